import { DECISION_PATH, decisionDoc, EXTERNAL_DECISION, UNDECIDED } from '../fixtures.js';
import type { Rule, RuleContext } from '../rule.js';

export const forbiddenTransition: Rule = {
  id: 'decision/forbidden-transition',
  defaultSeverity: 'error',
  summary: 'A decided record moved back to not_decided (or to an unknown status).',
  description:
    'Compared with the base revision (the pull request\'s base commit, `--base-ref` or `--base-dir`): once decided, a record may move only between the decided values (`external_provider_approved` and `local_provider_required`), never back to `not_decided`. ' +
    'A decided base record whose head has no readable state is a withdrawal and fires too: the `## Current Decision State` heading renamed, the section emptied of its `decision_status`, the record deleted, or a second record added so that none can be read. ' +
    'The state is read as GitHub renders the record (see `decision/ambiguous`): a `decision_status` inside an HTML comment, a code block or a link reference definition is not read, so hiding the state there is a withdrawal as well. Without a base this rule is silent.',
  examples: {
    fire: [
      { description: 'local back to not_decided', base: { [DECISION_PATH]: decisionDoc() }, files: { [DECISION_PATH]: decisionDoc(UNDECIDED, ['local_provider_required']) } },
      {
        description: 'withdrawn: the state heading renamed',
        base: { [DECISION_PATH]: decisionDoc() },
        files: { [DECISION_PATH]: decisionDoc().replace('## Current Decision State', '## Former Decision State') },
      },
      {
        description: 'withdrawn: decision_status hidden in an HTML comment',
        base: { [DECISION_PATH]: decisionDoc() },
        files: { [DECISION_PATH]: decisionDoc().replace(/^- `decision_status`.*$/m, '<!-- $& -->') },
      },
    ],
    quiet: [
      { description: 'external to local', base: { [DECISION_PATH]: decisionDoc(EXTERNAL_DECISION) }, files: { [DECISION_PATH]: decisionDoc({}, ['not_decided', 'external_provider_approved']) } },
      { description: 'not_decided to local', base: { [DECISION_PATH]: decisionDoc(UNDECIDED, []) }, files: { [DECISION_PATH]: decisionDoc() } },
      { description: 'no base', files: { [DECISION_PATH]: decisionDoc(UNDECIDED, []) } },
    ],
  },
  check(ctx, report) {
    const base = ctx.base?.decision;
    const before = base?.fields.get('decision_status')?.value;
    const d = ctx.decision;
    const after = d?.fields.get('decision_status');
    if (!base || !before || before === 'not_decided' || after?.value === before) return;
    const decided = ctx.config.vocabularies['decision-status'].filter((s) => s !== 'not_decided');
    if (!decided.includes(before)) return;
    if (!d || !after || after.value === '') {
      // A withdrawal: the decided record has no readable state any more (heading renamed, section emptied, record
      // deleted or made ambiguous). That is a move away from a decided state as much as writing not_decided is.
      const w = withdrawal(ctx);
      report({ file: w.file, line: w.line, message: `decision_status was ${before} in the base revision, but ${w.what}: a decided record cannot be withdrawn; it may only move to ${decided.join(' or ')}` });
      return;
    }
    if (!decided.includes(after.value)) {
      report({ file: d.file, line: after.line, message: `decision_status moved from ${before} to ${after.value}: a decided record may only move to ${decided.join(' or ')}` });
    }
  },
};

/** Where and how a decided base record lost its readable state in the head tree. */
export function withdrawal(ctx: RuleContext): { file: string; line: number; what: string } {
  const d = ctx.decision;
  if (d) return { file: d.file, line: d.line, what: 'its Current Decision State has no decision_status' };
  const baseFile = ctx.base?.decision?.file ?? '.';
  if (ctx.decisionCandidates.length > 1) {
    return { file: ctx.decisionCandidates[0]!, line: 1, what: `the head tree has ${ctx.decisionCandidates.length} decision records (${ctx.decisionCandidates.join(', ')}) and none can be read` };
  }
  if (ctx.sot.some((doc) => doc.file === baseFile)) {
    return { file: baseFile, line: 1, what: `${baseFile} has no "Current Decision State" section any more (a renamed or removed heading)` };
  }
  return { file: baseFile, line: 1, what: `the decision record ${baseFile} is gone from the head tree` };
}
