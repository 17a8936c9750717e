import { DECISION_PATH, decisionDoc, EXTERNAL_DECISION, UNDECIDED } from '../fixtures.js';
import type { Rule } from '../rule.js';

export const forbiddenTransition: Rule = {
  id: 'decision/forbidden-transition',
  defaultSeverity: 'error',
  summary: 'A decided record moved back to not_decided (or to an unknown status).',
  description:
    'Compared with the base revision (the pull request\'s base commit, or `--base-ref`): once decided, a record may move only between the decided values (`external_provider_approved` and `local_provider_required`), never back to `not_decided`. Without a base this rule is silent.',
  examples: {
    fire: [
      { description: 'local back to not_decided', base: { [DECISION_PATH]: decisionDoc() }, files: { [DECISION_PATH]: decisionDoc(UNDECIDED, ['local_provider_required']) } },
    ],
    quiet: [
      { description: 'external to local', base: { [DECISION_PATH]: decisionDoc(EXTERNAL_DECISION) }, files: { [DECISION_PATH]: decisionDoc({}, ['not_decided', 'external_provider_approved']) } },
      { description: 'not_decided to local', base: { [DECISION_PATH]: decisionDoc(UNDECIDED, []) }, files: { [DECISION_PATH]: decisionDoc() } },
      { description: 'no base', files: { [DECISION_PATH]: decisionDoc(UNDECIDED, []) } },
    ],
  },
  check(ctx, report) {
    const before = ctx.base?.decision?.fields.get('decision_status')?.value;
    const d = ctx.decision;
    const after = d?.fields.get('decision_status');
    if (!d || !before || before === 'not_decided' || !after || after.value === before) return;
    const decided = ctx.config.vocabularies['decision-status'].filter((s) => s !== 'not_decided');
    if (!decided.includes(before)) return;
    if (!decided.includes(after.value)) {
      report({ file: d.file, line: after.line, message: `decision_status moved from ${before} to ${after.value}: a decided record may only move to ${decided.join(' or ')}` });
    }
  },
};
