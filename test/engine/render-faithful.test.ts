/**
 * The decision record and the work items are read as GitHub renders them: what a reviewer cannot see (HTML comments,
 * code blocks, link reference definitions) is never the state, and what reads two ways is decision/ambiguous.
 * Each trick is tested both ways: hidden (not read) and visible (read, or ambiguous).
 */
import { describe, expect, it } from 'vitest';
import { parseDecisionRecord } from '../../src/engine/parse/decision.js';
import { parseMarkdown } from '../../src/engine/parse/markdown.js';
import { parseWorkItems } from '../../src/engine/parse/workitems.js';
import { admissionJson, admissionPath, DECISION_PATH, decisionDoc, EXTERNAL_DECISION, issuesDoc, localTree, UNDECIDED } from '../../src/engine/rules/fixtures.js';
import { evaluateFiles } from '../helpers/tree.js';

const QWEN = admissionPath('qwen-local', 'qwen3.6-35b-a3b');
const STATE = '## Current Decision State';
const STATUS = /^- `decision_status`.*$/m;
const lineOf = (text: string, needle: string | RegExp) => text.split('\n').findIndex((l) => (typeof needle === 'string' ? l === needle : needle.test(l))) + 1;
const at = (r: ReturnType<typeof evaluateFiles>, prefix: string) =>
  r.findings.filter((f) => f.ruleId.startsWith(prefix)).map((f) => `${f.ruleId} ${f.file}:${f.line}`);

/** A second decision_status (not_decided), hidden by `wrap`, inserted right after the state heading. */
const OTHER = '- `decision_status`: `not_decided`.';
const TRICKS: Array<[string, (s: string) => string]> = [
  ['an HTML comment', (s) => `<!--\n${s}\n-->`],
  ['a one-line HTML comment', (s) => `<!-- ${s} -->`],
  ['a ``` fence', (s) => '```\n' + s + '\n```'],
  ['a ~~~ fence', (s) => '~~~md\n' + s + '\n~~~'],
  ['an indented code block', (s) => `    ${s}`],
  ['a link reference definition title', (s) => `[state]: /x "${s}"`],
];

function withBeforeState(hidden: string): string {
  return decisionDoc().replace(`${STATE}\n\n`, `${STATE}\n\n${hidden}\n\n`);
}

describe('a second decision_status hidden from the reader is not read; the same line visible is ambiguous', () => {
  for (const [name, wrap] of TRICKS) {
    it(`inside ${name}`, () => {
      const hidden = withBeforeState(wrap(OTHER));
      const r = evaluateFiles({ ...localTree(), [DECISION_PATH]: hidden });
      expect(r.findings).toEqual([]);
      expect(r.decision?.status).toBe('local_provider_required');
      expect(r.admittedPairs).toHaveLength(1);

      const visible = withBeforeState(OTHER);
      const v = evaluateFiles({ ...localTree(), [DECISION_PATH]: visible });
      const first = lineOf(visible, OTHER);
      const second = lineOf(visible, '- `decision_status`: `local_provider_required`.');
      expect(at(v, 'decision/ambiguous')).toEqual([`decision/ambiguous ${DECISION_PATH}:${first}`]);
      expect(v.findings.find((f) => f.ruleId === 'decision/ambiguous')?.message).toBe(
        `\`decision_status\` is given 2 times as bullets (lines ${first}, ${second}) with different values ("not_decided", "local_provider_required"): give each state field exactly once`,
      );
      expect(v.admittedPairs).toEqual([]);
    });
  }

  it('the only decision_status inside a comment: the record has none (decision/invalid-status), visible it is read', () => {
    const doc = decisionDoc().replace(STATUS, '<!-- $& -->');
    const r = evaluateFiles({ [DECISION_PATH]: doc });
    expect(at(r, 'decision/invalid-status')).toEqual([`decision/invalid-status ${DECISION_PATH}:${lineOf(doc, STATE)}`]);
    expect(evaluateFiles({ [DECISION_PATH]: decisionDoc() }).findings).toEqual([]);
  });
});

describe('the same field twice', () => {
  it('two bullets, even with the same value, are ambiguous; one is not', () => {
    const doc = decisionDoc().replace(/^- `model`:.*$/m, '$&\n- `model`: `qwen3.6-35b-a3b`.');
    const r = evaluateFiles({ [DECISION_PATH]: doc });
    const l = lineOf(doc, /^- `model`/);
    expect(r.findings.map((f) => `${f.ruleId} ${f.line} ${f.message}`)).toEqual([
      `decision/ambiguous ${l} \`model\` is given 2 times as bullets (lines ${l}, ${l + 1}): give each state field exactly once`,
    ]);
    expect(evaluateFiles({ [DECISION_PATH]: decisionDoc() }).findings).toEqual([]);
  });

  it('a bullet and a table row for one key are ambiguous, naming both lines; the table alone is read', () => {
    const table = '| field | value |\n| --- | --- |\n| `decision_status` | `external_provider_approved` |\n';
    const both = decisionDoc().replace('## Decision History', `${table}\n## Decision History`);
    const r = evaluateFiles({ [DECISION_PATH]: both });
    const bullet = lineOf(both, STATUS);
    const row = lineOf(both, '| `decision_status` | `external_provider_approved` |');
    expect(r.findings.map((f) => `${f.ruleId} ${f.line} ${f.message}`)).toEqual([
      `decision/ambiguous ${bullet} \`decision_status\` is given 2 times as a bullet and in a table row (lines ${bullet}, ${row}) with different values ("local_provider_required", "external_provider_approved"): give each state field exactly once`,
    ]);

    const tableOnly = decisionDoc({ ...EXTERNAL_DECISION, decision_status: null }).replace('## Decision History', `${table}\n## Decision History`);
    const t = evaluateFiles({ [DECISION_PATH]: tableOnly });
    expect(t.findings).toEqual([]);
    expect(t.decision?.status).toBe('external_provider_approved');
  });

  it('a plainly written known key (no code span) and a case variant count as the same key', () => {
    for (const extra of ['- decision_status: not_decided.', '- `Decision_Status`: `not_decided`.', '| decision status | not_decided |\n| --- | --- |']) {
      const doc = decisionDoc().replace(STATUS, `$&\n\n${extra}\n`);
      expect(at(evaluateFiles({ [DECISION_PATH]: doc }), 'decision/ambiguous')).toHaveLength(1);
    }
    // An unknown plain key is prose, not a field.
    expect(evaluateFiles({ [DECISION_PATH]: decisionDoc().replace(STATUS, '$&\n- note: decision_status is local.') }).findings).toEqual([]);
  });

  it('a bullet nested in a block quote or a sub-list renders, so it is read (and ambiguous here)', () => {
    for (const extra of ['> - `decision_status`: `not_decided`.', '- Notes:\n  - `decision_status`: `not_decided`.']) {
      const doc = decisionDoc().replace('## Decision History', `${extra}\n\n## Decision History`);
      expect(at(evaluateFiles({ [DECISION_PATH]: doc }), 'decision/ambiguous')).toHaveLength(1);
    }
  });
});

describe('state sections', () => {
  it('a second Current Decision State section is ambiguous, naming both headings; one section is not', () => {
    const doc = decisionDoc().replace('## Decision History', `${STATE}\n\n- \`approval_source\`: later.\n\n## Decision History`);
    const r = evaluateFiles({ [DECISION_PATH]: doc });
    const lines = doc.split('\n').flatMap((l, i) => (l === STATE ? [i + 1] : []));
    expect(lines).toHaveLength(2);
    expect(r.findings.map((f) => `${f.ruleId} ${f.line}`)).toEqual([`decision/ambiguous ${lines[0]}`, `decision/ambiguous ${lineOf(doc, /^- `approval_source`/)}`]);
    expect(r.findings[0]?.message).toBe(`2 "Current Decision State" sections (lines ${lines.join(', ')}): the record must have exactly one`);
  });

  it('a second state section inside an HTML comment or a fence is not a section', () => {
    for (const wrap of TRICKS.slice(0, 4).map(([, w]) => w)) {
      const doc = decisionDoc().replace('## Decision History', `${wrap(`${STATE}\n\n${OTHER}`)}\n\n## Decision History`);
      expect(evaluateFiles({ [DECISION_PATH]: doc }).findings).toEqual([]);
    }
  });

  it('a setext heading and a heading with markup render as the state heading; a renamed one does not', () => {
    const setext = decisionDoc().replace(STATE, 'Current Decision State\n----------------------');
    expect(evaluateFiles({ ...localTree(), [DECISION_PATH]: setext }).decision?.status).toBe('local_provider_required');
    const marked = decisionDoc().replace(STATE, '## *Current* Decision&#32;State');
    expect(evaluateFiles({ ...localTree(), [DECISION_PATH]: marked }).decision?.status).toBe('local_provider_required');
    const renamed = decisionDoc().replace(STATE, '## Current Decision State (draft)');
    expect(at(evaluateFiles({ ...localTree(), [DECISION_PATH]: renamed }), 'decision/record-missing')).toEqual([`decision/record-missing ${QWEN}:1`]);
  });

  it('two decision records in one tree: decision/ambiguous names both files, record-missing stays quiet', () => {
    const r = evaluateFiles({ ...localTree(), '.sot/other.md': decisionDoc(EXTERNAL_DECISION) });
    expect(r.findings.map((f) => `${f.ruleId} ${f.file}:${f.line}`)).toEqual([`decision/ambiguous ${DECISION_PATH}:14`, 'decision/ambiguous .sot/other.md:14']);
    expect(r.findings[0]?.message).toContain(`${DECISION_PATH}:14, .sot/other.md:14`);
    expect(r.admittedPairs).toEqual([]);
  });
});

describe('Decision History reads visible content only', () => {
  const base = { [DECISION_PATH]: decisionDoc(EXTERNAL_DECISION) };
  const hist = (wrap: (s: string) => string) =>
    decisionDoc({}, ['not_decided']).replace('Previous state:', `Previous state:\n\n${wrap('- `decision_status`: `external_provider_approved`.')}`);
  for (const [name, wrap] of TRICKS) {
    it(`the previous value only inside ${name} does not count; visible, it does`, () => {
      const doc = hist(wrap);
      expect(at(evaluateFiles({ [DECISION_PATH]: doc }, { base }), 'decision/history-not-updated')).toEqual([
        `decision/history-not-updated ${DECISION_PATH}:${lineOf(doc, '## Decision History')}`,
      ]);
      expect(at(evaluateFiles({ [DECISION_PATH]: hist((s) => s) }, { base }), 'decision/')).toEqual([]);
    });
  }
});

describe('a decided record withdrawn in the head fires the transition rules', () => {
  const base = { [DECISION_PATH]: decisionDoc() };
  const both = ['decision/forbidden-transition', 'decision/history-not-updated'];
  const ids = (r: ReturnType<typeof evaluateFiles>) => r.findings.filter((f) => both.includes(f.ruleId)).map((f) => `${f.ruleId} ${f.file}:${f.line}`);

  it('heading renamed', () => {
    const head = decisionDoc().replace(STATE, '## Decision State');
    expect(ids(evaluateFiles({ [DECISION_PATH]: head }, { base }))).toEqual(both.map((id) => `${id} ${DECISION_PATH}:1`));
    // the same head without a base, or against an undecided base, or the heading kept: quiet
    expect(ids(evaluateFiles({ [DECISION_PATH]: head }))).toEqual([]);
    expect(ids(evaluateFiles({ [DECISION_PATH]: head }, { base: { [DECISION_PATH]: decisionDoc(UNDECIDED, []) } }))).toEqual([]);
    expect(ids(evaluateFiles({ [DECISION_PATH]: decisionDoc() }, { base }))).toEqual([]);
  });

  it('heading hidden in an HTML comment, section emptied, record deleted, or a second record added', () => {
    const hiddenHeading = decisionDoc().replace(STATE, `<!-- ${STATE} -->`);
    const emptied = decisionDoc({ decision_status: null });
    const heading = lineOf(emptied, STATE);
    expect(ids(evaluateFiles({ [DECISION_PATH]: hiddenHeading }, { base }))).toEqual(both.map((id) => `${id} ${DECISION_PATH}:1`));
    expect(ids(evaluateFiles({ [DECISION_PATH]: emptied }, { base }))).toEqual([
      `decision/forbidden-transition ${DECISION_PATH}:${heading}`,
      `decision/history-not-updated ${DECISION_PATH}:${lineOf(emptied, '## Decision History')}`,
    ]);
    const deleted = evaluateFiles({ [QWEN]: admissionJson() }, { base });
    expect(ids(deleted)).toEqual(both.map((id) => `${id} ${DECISION_PATH}:1`));
    expect(deleted.findings.find((f) => f.ruleId === 'decision/forbidden-transition')?.message).toContain(`the decision record ${DECISION_PATH} is gone from the head tree`);
    const twoRecords = evaluateFiles({ ...localTree(), '.sot/other.md': decisionDoc() }, { base });
    expect(ids(twoRecords).length).toBe(2);
  });

  it('the history of an emptied record that records the base value keeps history-not-updated quiet (forbidden-transition still fires)', () => {
    const emptied = decisionDoc({ decision_status: null }, ['not_decided', 'local_provider_required']);
    expect(ids(evaluateFiles({ [DECISION_PATH]: emptied }, { base })).map((s) => s.split(' ')[0])).toEqual(['decision/forbidden-transition']);
  });
});

describe('work items read from the tree', () => {
  const P = '.sot/ISSUES.md';
  const item = (body: string) => issuesDoc(`## CTO-WORK-031 - Thing\n\n${body}`);
  const statusOf = (doc: string) => {
    const md = parseMarkdown(P, doc, doc.split('\n'));
    return parseWorkItems(md)[0];
  };
  for (const [name, wrap] of TRICKS.filter(([n]) => !n.includes('link'))) {
    it(`a Status line inside ${name} is not read; a visible one is`, () => {
      const hidden = item(`Status: validated.\n\n${wrap('Status: blocked.')}\n`);
      expect(statusOf(hidden)?.statuses).toBeUndefined();
      expect(evaluateFiles({ [P]: hidden }).findings).toEqual([]);
      const visible = item('Status: validated.\n\nStatus: blocked.\n');
      const r = evaluateFiles({ [P]: visible });
      const l = lineOf(visible, 'Status: blocked.');
      expect(r.findings.map((f) => `${f.ruleId} ${f.line} ${f.message}`)).toEqual([
        `workitem/invalid-status ${l} CTO-WORK-031 has 2 "Status:" lines (lines ${l - 2}, ${l}: "validated", "blocked"): give it exactly one`,
      ]);
    });
  }

  it('a Status line inside a multi-line link reference definition title is not read', () => {
    const hidden = item("Status: validated.\n\n[ref]: /x '\nStatus: blocked.\n'\n");
    expect(statusOf(hidden)?.status?.value).toBe('validated');
    expect(evaluateFiles({ [P]: hidden }).findings).toEqual([]);
  });

  it('blockers inside a comment do not count; a visible list does', () => {
    const hidden = item('Status: blocked.\n\nBlocked by:\n\n<!--\n- JP.\n-->\n');
    expect(evaluateFiles({ [P]: hidden }).findings.map((f) => f.ruleId)).toEqual(['workitem/blocked-without-blocker']);
    expect(evaluateFiles({ [P]: item('Status: blocked.\n\nBlocked by:\n\n- JP.\n') }).findings).toEqual([]);
  });
});

describe('parse shapes kept for the other rules', () => {
  it('fields keep their value, values and line; ambiguities are empty for a clean record', () => {
    const doc = decisionDoc();
    const d = parseDecisionRecord(parseMarkdown(DECISION_PATH, doc, doc.split('\n')))!;
    expect(d.ambiguities).toEqual([]);
    expect(d.fields.get('evidence_sources')).toMatchObject({ values: ['CTO-CASE-MODEL-PROVIDER-ADMISSION-ISSUES.md', 'CTO-CASE-PROVIDER-DECISION-PACKET-PRD.md'] });
    expect(d.fields.get('credential_source_class')).toMatchObject({ value: 'pi-models-json-local-provider-no-secret-plus-codex-oauth-fallback', line: lineOf(doc, /^- `credential_source_class`/) });
    expect(d.fields.get('approval_source')?.value).toBe('JP chat approval on 2026-05-31');
  });
  it('a value wrapped in emphasis or a link reads as rendered; an HTML comment inside a bullet is left out', () => {
    for (const v of ['**`external_provider_approved`**', '[`external_provider_approved`](#x)', '<!-- `not_decided` --> `external_provider_approved`']) {
      const doc = decisionDoc({ ...EXTERNAL_DECISION, decision_status: v });
      expect(evaluateFiles({ [DECISION_PATH]: doc }).decision?.status).toBe('external_provider_approved');
    }
  });
});

describe('state written in HTML', () => {
  it('a state field rendered by HTML is not read and is ambiguous; an HTML comment naming it is not', () => {
    const html = decisionDoc().replace(STATUS, '$&\n\n<ul><li><code>decision_status</code>: <code>not_decided</code></li></ul>\n');
    const r = evaluateFiles({ [DECISION_PATH]: html });
    const l = lineOf(html, /^<ul>/);
    expect(r.findings.map((f) => `${f.ruleId} ${f.line} ${f.message}`)).toEqual([
      `decision/ambiguous ${l} \`decision_status\` is written in HTML on line ${l}, which this check does not read: write the state as Markdown bullets or table rows`,
    ]);
    expect(r.decision?.status).toBe('local_provider_required');
    // Raw HTML blocks show their text as it is on GitHub (Markdown inside is not rendered): a field there is flagged too.
    const block = decisionDoc().replace(`${STATE}\n\n`, `${STATE}\n\n<div>\n${OTHER}\n</div>\n\n`);
    expect(at(evaluateFiles({ [DECISION_PATH]: block }), 'decision/')).toEqual([`decision/ambiguous ${DECISION_PATH}:${lineOf(block, '<div>')}`]);
    const comment = decisionDoc().replace(STATUS, '$&\n\n<!-- decision_status was external_provider_approved until 2026-05-31 -->\n');
    expect(evaluateFiles({ [DECISION_PATH]: comment }).findings).toEqual([]);
  });
});

describe('field-shaped text that is not a field', () => {
  it('an escaped bullet or a paragraph naming a known field reads like a field: ambiguous; prose mentioning it is not', () => {
    for (const extra of ['\\- `decision_status`: `not_decided`.', '`decision_status`: `not_decided`.', 'Note.\ndecision_status = not_decided']) {
      const doc = decisionDoc().replace('## Decision History', `${extra}\n\n## Decision History`);
      const l = lineOf(doc, /decision_status.*not_decided/);
      const r = evaluateFiles({ [DECISION_PATH]: doc });
      expect(r.findings.map((f) => `${f.ruleId} ${f.line} ${f.message}`)).toEqual([
        `decision/ambiguous ${l} \`decision_status\` on line ${l} is not a list item or a table row, so it is not read as a field: make it a bullet or remove it`,
      ]);
    }
    const prose = decisionDoc().replace('## Decision History', 'The `decision_status` above is final; `note`: none.\n\n## Decision History');
    expect(evaluateFiles({ [DECISION_PATH]: prose }).findings).toEqual([]);
  });

  it('a state heading inside a block quote is a second state section', () => {
    const doc = decisionDoc().replace('## Decision History', `> ${STATE}\n>\n> - \`effect\`: none.\n\n## Decision History`);
    expect(at(evaluateFiles({ [DECISION_PATH]: doc }), 'decision/ambiguous')).toHaveLength(2);
  });
});
