/**
 * suppress/unapproved: a suppression the change itself adds or changes (an inline directive, a documentation-example
 * marker, a baseline entry) counts only once an approver approves the current head. Until then the finding it would
 * hide stays active, and this rule says what it would hide. evaluate() computes what is new by comparing with the base
 * revision and runs this rule after the suppressions are applied (ctx.suppression).
 */
import { INLINE_SUPPRESSIBLE } from '../../allow.js';
import type { UnreviewedSuppression } from '../../suppress.js';
import { frontMatter } from '../fixtures.js';
import type { Rule, RuleExample } from '../rule.js';

export const UNAPPROVED_SUPPRESSION_ID = 'suppress/unapproved';

const NOTES = '.sot/notes.md';
const CONFIG = { secrets: { 'target-repository-patterns': ['/srv/targets/**'] } };
const notes = (line: string) => `${frontMatter({ title: 'Notes' })}\n# Notes\n\n${line}\n`;
const PATH_LINE = 'The fixture was copied from /srv/targets/acme-api/src.';
const ALLOWED = `${PATH_LINE} <!-- sot-gate:allow path/target-repository -- reviewed: the fixture's origin -->`;
const ABOVE = `<!-- sot-gate:allow path/* -- reviewed: the fixture's origin -->\n${PATH_LINE}`;
const EXAMPLE = `${PATH_LINE} <!-- sot-gate:example -->`;

const fire: RuleExample[] = [
  { description: 'the pull request adds an allow directive on the line of a finding', config: CONFIG, base: { [NOTES]: notes(PATH_LINE) }, files: { [NOTES]: notes(ALLOWED) } },
  { description: 'the pull request adds an allow directive in a Markdown comment on the line above', config: CONFIG, base: { [NOTES]: notes(PATH_LINE) }, files: { [NOTES]: notes(ABOVE) } },
  { description: 'the pull request adds the file together with its directive', config: CONFIG, base: {}, files: { [NOTES]: notes(ALLOWED) } },
  { description: 'the pull request marks the line as a documentation example (invisible once rendered)', config: CONFIG, base: { [NOTES]: notes(PATH_LINE) }, files: { [NOTES]: notes(EXAMPLE) } },
  {
    description: 'the directive was reviewed for another line: the pull request moves it onto a new finding',
    config: CONFIG,
    base: { [NOTES]: notes(ALLOWED.replace('acme-api', 'old-api')) },
    files: { [NOTES]: notes(ALLOWED) },
  },
];

const quiet: RuleExample[] = [
  { description: 'the same directive is in the base revision (reviewed when it was merged)', config: CONFIG, base: { [NOTES]: notes(ALLOWED) }, files: { [NOTES]: notes(ALLOWED) } },
  { description: 'no base revision (a push, or the CLI without --base-ref/--base-dir): directives in the tree count as reviewed', config: CONFIG, files: { [NOTES]: notes(ALLOWED) } },
  { description: 'the pull request adds a directive that hides nothing', config: CONFIG, base: { [NOTES]: notes('Nothing here.') }, files: { [NOTES]: notes('Nothing here. <!-- sot-gate:allow path/* -- later -->') } },
];

function where(u: UnreviewedSuppression): string {
  if (u.kind === 'directive') return `\`sot-gate:allow ${u.rule ?? ''}\``;
  if (u.kind === 'example') return 'the documentation-example marker (`sot-gate:example`)';
  return `the baseline entry ${(u.fingerprint ?? '').slice(0, 8)}… (${u.rule ?? ''})`;
}

const NEEDS = 'it counts only once an approver (the base branch policy\'s `approvers`) approves the current head commit';

export const unapprovedSuppression: Rule = {
  id: UNAPPROVED_SUPPRESSION_ID,
  defaultSeverity: 'error',
  summary: 'The change adds or changes a suppression (allow directive, example marker, baseline entry) without an approval that counts.',
  description:
    'A suppression is a decision to accept a finding, so the change being judged cannot make it for itself. An inline `sot-gate:allow` directive or a `sot-gate:example` marker that the pull request adds, moves or rewrites ' +
    '(no directive with the same file, rule, reason and covered line exists in the base revision of that file), or a baseline entry it adds or changes (not in the base branch\'s baseline as it is), ' +
    'suppresses nothing until an approver of the base branch\'s policy approves the current head (the same approval rules as change control). Until then the finding stays active, and this rule reports, at the directive or marker (or at the baseline file), ' +
    'which finding it would hide: the rule id, file and line, never the value.\n\n' +
    `Only exposure findings (${INLINE_SUPPRESSIBLE.map((p) => `\`${p}*\``).join(', ')}) can be suppressed at all; see [suppress/ignored-directive](suppress-ignored-directive.md) for directives that never count. ` +
    'Without a base revision (a push, the CLI without `--base-ref`/`--base-dir`) the tree\'s directives count as reviewed. The CLI sees no reviews: with a base, a new directive is always reported. ' +
    'Fix: remove the directive and the value it would hide, or ask an approver to approve the current head (the GitHub Action re-runs on the review). ' +
    'A baseline entry the change adds that hides no finding yet is reported too: it could hide one later without review.',
  examples: { fire, quiet },
  check(ctx, report) {
    const facts = ctx.suppression;
    if (!facts) return;
    for (const u of facts.unreviewed) {
      const file = u.file ?? facts.baselineFile;
      const line = u.line ?? 1;
      const hides = u.hides ? `it would hide ${u.hides.ruleId} at ${u.hides.file}:${u.hides.line}` : 'it hides no active finding now, but could hide one later';
      report({ file, line, message: `this change adds or changes ${where(u)}: ${hides}; ${NEEDS} (the finding stays active until then)` });
    }
  },
};
