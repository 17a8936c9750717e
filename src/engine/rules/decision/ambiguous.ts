import { stateSections } from '../../parse/decision.js';
import { DECISION_PATH, decisionDoc, localTree } from '../fixtures.js';
import type { Rule } from '../rule.js';

const STATUS_BULLET = /^- `decision_status`.*$/m;

export const ambiguous: Rule = {
  id: 'decision/ambiguous',
  defaultSeverity: 'error',
  summary: 'The decision state reads two ways: a field given twice, two state sections, or two decision records.',
  description:
    'The decision record is read as GitHub renders it (CommonMark with GitHub tables), so the gate enforces what a reviewer approves. ' +
    'A field is a list item that starts with its key (`- \\`decision_status\\`: \\`value\\`.`, `:` or `=`), or a table row whose first cell is the key and second the value (`| \\`decision_status\\` | \\`value\\` |`), anywhere in the `## Current Decision State` section, also in a nested list or a block quote. ' +
    'A key is a code span, or one of the record\'s known keys written plainly (`decision_status: value`); keys are compared after Unicode NFKC, without invisible characters, and case-folded. ' +
    'Not read, because GitHub does not show them as content: HTML comments and HTML blocks, fenced (```` ``` ```` or `~~~`) and indented code blocks, and link reference definitions (`[x]: …`). ' +
    'The heading is matched on its rendered text (a setext heading counts; emphasis, escapes and character references are resolved).\n\n' +
    'Ambiguity is an error, never a silent pick. This rule fires, naming every line involved, when: a state field is given more than once (two `decision_status` bullets, or a bullet and a table row for the same key, even with equal values); ' +
    'a record has two `Current Decision State` sections; a known field is written as text that is not a list item or a table row (an escaped `\\- `, a paragraph line `decision_status: …`: it reads like a field but is not one); a state field is written in raw HTML in the state section (GitHub shows it, this check does not read HTML; a comment naming a field is fine); or two SOT files hold one and no `decision-record` is configured in `.github/sot-gate.yml`. ' +
    'While the record is ambiguous nothing is admitted. Fix: keep exactly one record with one state section and each field once.',
  examples: {
    fire: [
      {
        description: 'two decision_status bullets',
        files: { [DECISION_PATH]: decisionDoc().replace(STATUS_BULLET, '$&\n- `decision_status`: `not_decided`.') },
      },
      {
        description: 'a field both as a bullet and in a table row',
        files: { [DECISION_PATH]: decisionDoc().replace('## Decision History', '| field | value |\n| --- | --- |\n| `provider` | `openai-codex` |\n\n## Decision History') },
      },
      {
        description: 'two Current Decision State sections',
        files: { [DECISION_PATH]: decisionDoc().replace('## Decision History', '## Current Decision State\n\n- `effect`: none.\n\n## Decision History') },
      },
      { description: 'two decision records in one tree', files: localTree({ '.sot/other.md': decisionDoc() }) },
      {
        description: 'a state field written in HTML',
        files: { [DECISION_PATH]: decisionDoc().replace(STATUS_BULLET, '$&\n\n<ul><li><code>decision_status</code>: <code>not_decided</code></li></ul>\n') },
      },
    ],
    quiet: [
      { description: 'one record, each field once', files: localTree() },
      {
        description: 'a second decision_status inside an HTML comment or a code block is not content',
        files: { [DECISION_PATH]: decisionDoc().replace(STATUS_BULLET, '$&\n\n<!-- - `decision_status`: `not_decided`. -->\n\n```\n- `decision_status`: `not_decided`.\n```\n') },
      },
      {
        description: 'the state as a table, each field once',
        files: { [DECISION_PATH]: decisionDoc({ provider: null }).replace('## Decision History', '| field | value |\n| --- | --- |\n| `provider` | `qwen-local` |\n\n## Decision History') },
      },
      { description: 'two records, one configured', files: localTree({ '.sot/other.md': decisionDoc() }), config: { 'decision-record': DECISION_PATH } },
    ],
  },
  check(ctx, report) {
    if (!ctx.config['decision-record'] && ctx.decisionCandidates.length > 1) {
      const where = ctx.decisionCandidates.map((file) => {
        const doc = ctx.sot.find((d) => d.file === file);
        const lines = doc ? stateSections(doc).map((s) => s.line) : [];
        return { file, line: lines[0] ?? 1, label: `${file}:${lines.join(',') || '1'}` };
      });
      for (const w of where) {
        report({
          file: w.file,
          line: w.line,
          message: `${where.length} decision records in one tree (${where.map((x) => x.label).join(', ')}): keep one, or set decision-record in .github/sot-gate.yml`,
        });
      }
    }
    const d = ctx.decision;
    for (const a of d?.ambiguities ?? []) report({ file: d!.file, line: a.lines[0] ?? d!.line, message: a.message });
  },
};
