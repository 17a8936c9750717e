/**
 * suppress/ignored-directive: a suppression that can never count, reported so that nobody believes it works: an allow
 * directive or example marker outside Markdown prose (JSON, YAML, front matter, logs), an allow directive or a baseline
 * entry naming a governance rule. Runs after the suppressions are applied (ctx.suppression).
 */
import { INLINE_SUPPRESSIBLE } from '../../allow.js';
import { admissionJson, admissionPath, decisionDoc, DECISION_PATH, frontMatter, localTree } from '../fixtures.js';
import type { Rule } from '../rule.js';

export const IGNORED_DIRECTIVE_ID = 'suppress/ignored-directive';

const NOTES = '.sot/notes.md';
const QWEN = admissionPath('qwen-local', 'qwen3.6-35b-a3b');
const notes = (line: string, fm = '') => `${frontMatter({ title: 'Notes' }).replace(/---\n$/, `${fm}---\n`)}\n# Notes\n\n${line}\n`;
const families = INLINE_SUPPRESSIBLE.map((p) => `\`${p}*\``).join(', ');

export const ignoredDirective: Rule = {
  id: IGNORED_DIRECTIVE_ID,
  defaultSeverity: 'warning',
  summary: 'A suppression that can never count: a directive or example marker outside Markdown prose, a directive or baseline entry naming a governance rule.',
  description:
    `Only exposure findings (${families}) can be suppressed, and an inline \`sot-gate:allow\` directive counts only in the prose of a Markdown file: its body, never its YAML front matter, never a JSON, YAML, log or trace file, never a run directory. ` +
    'Governance findings (`decision/*`, `admission/*`, `workitem/*`, `sot/*`, `evidence/*`, `engine/*`, `suppress/*`) are never suppressed, neither inline nor by a baseline entry: fix the file, or change the rule\'s severity in the base branch\'s policy (a change-controlled file). ' +
    'A directive that cannot count, a `sot-gate:example` marker outside Markdown prose (front matter, JSON), or a baseline entry naming a rule no suppression covers, suppresses nothing; this warning says so at its line (a baseline entry: at line 1 of the baseline file), so that nobody believes it works. The finding it was meant to hide stays active.\n\n' +
    'Fix: remove the directive (or the baseline entry). For an exposure finding in Markdown prose, put the directive on the finding\'s line or alone in a Markdown comment on the line above.',
  examples: {
    fire: [
      { description: 'a directive inside a JSON string of an admission', files: localTree({ [QWEN]: admissionJson({ review_trigger: 'sot-gate:allow admission/* -- approved in chat' }) }) },
      { description: 'a directive in a Markdown file naming a governance rule', files: { [DECISION_PATH]: `${decisionDoc()}\n<!-- sot-gate:allow decision/history-not-updated -- migrated record -->\n` } },
      { description: 'a directive in the YAML front matter', files: { [NOTES]: notes('Nothing here.', '# sot-gate:allow secret/* -- fixture keys\n') } },
    ],
    quiet: [
      { description: 'a directive for an exposure rule in Markdown prose', files: { [NOTES]: notes('<!-- sot-gate:allow path/target-repository -- the fixture origin -->\nCopied from the fixture.') } },
      { description: 'a directive for every exposure rule (`*`) in Markdown prose', files: { [NOTES]: notes('Example. <!-- sot-gate:allow * -- documentation -->') } },
    ],
  },
  check(ctx, report) {
    for (const i of ctx.suppression?.ignored ?? []) report({ file: i.file, line: i.line, message: i.message });
  },
};
