/**
 * decision/unapproved-change: a pull request that changes the decision state (or the policy file) needs an approving
 * review from a configured approver. The review data lives in GitHub, so this rule is not in the catalog: the action
 * builds it with the approval it found and passes it to evaluate() through `extraRules`.
 */
import type { Config } from '../../config.js';
import { DECISION_STATE_KEYS, hasDecisionState, parseDecisionRecord, type DecisionRecord } from '../../parse/decision.js';
import { parseMarkdown } from '../../parse/markdown.js';
import { decodeText } from '../../parse/text.js';
import type { InputFile } from '../../tree.js';
import { DECISION_PATH, decisionDoc, EXTERNAL_DECISION, localTree } from '../fixtures.js';
import type { Rule, RuleExample } from '../rule.js';

export const UNAPPROVED_CHANGE_ID = 'decision/unapproved-change';

/** What the action learned from the pull request's reviews. */
export interface ApprovalState {
  /** The approvers named by the base branch's policy (logins or org/team slugs). */
  approvers: readonly string[];
  /** The login of an approver whose approval counts (on the current head, latest review APPROVED, not the author). */
  approvedBy?: string;
  /** Why no approval counts, for the finding's message (never contains a secret). */
  reason?: string;
  /** The policy file, relative to the evaluated root, when the pull request changes it. */
  configChanged?: string;
}

/**
 * The decision-state keys whose value differs between two records. A record appearing counts as a change of every key
 * it sets; a record disappearing (no readable state in the head: heading renamed, record deleted or ambiguous) counts
 * as a change of every key the base set.
 */
export function decisionStateChanges(base: DecisionRecord | undefined, head: DecisionRecord | undefined): string[] {
  if (!head && !base) return [];
  return DECISION_STATE_KEYS.filter((k) => (base?.fields.get(k)?.value ?? '') !== (head?.fields.get(k)?.value ?? ''));
}

/**
 * The decision record of a set of files, found the way evaluate() finds it (the configured record, else the one SOT
 * file with a Current Decision State). The action calls this before evaluating, to know whether reviews are needed.
 */
export function readDecision(files: readonly InputFile[], config: Config): DecisionRecord | undefined {
  const configured = config['decision-record'];
  const docs = [];
  for (const f of files) {
    if (f.kind !== 'sot' || !f.bytes) continue;
    if (configured && f.path !== configured) continue;
    const decoded = decodeText(f.bytes);
    if (!decoded.ok) continue;
    const doc = parseMarkdown(f.path, decoded.value.text, decoded.value.lines);
    if (hasDecisionState(doc)) docs.push(doc);
  }
  return docs.length === 1 && docs[0] ? parseDecisionRecord(docs[0]) : undefined;
}

const who = (a: ApprovalState) => (a.approvers.length ? a.approvers.map((x) => `@${x}`).join(', ') : '(none)');

function why(a: ApprovalState): string {
  if (!a.approvers.length) {
    return 'the base branch policy names no `approvers`, so nobody can approve it: add approvers to .github/sot-gate.yml (the check fails closed until then)';
  }
  return `it needs an approving review on the current head commit from one of ${who(a)}${a.reason ? ` (${a.reason})` : ''}`;
}

const CHANGED_BASE = { [DECISION_PATH]: decisionDoc(EXTERNAL_DECISION) };
const CHANGED: RuleExample = {
  description: 'decision_status and the pairs changed from external to local',
  base: CHANGED_BASE,
  files: localTree(),
};
const POLICY: RuleExample = {
  description: 'the policy file changed',
  files: { ...localTree(), '.github/sot-gate.yml': 'approvers: [jp]\n' },
  base: { [DECISION_PATH]: decisionDoc() },
};

const UNCHANGED: RuleExample[] = [
  { description: 'the decision state is unchanged', base: { [DECISION_PATH]: decisionDoc() }, files: localTree() },
  {
    description: 'only a field outside the decision state changed (approval_source)',
    base: { [DECISION_PATH]: decisionDoc({ approval_source: 'JP chat approval on 2026-05-30' }) },
    files: localTree(),
  },
  { description: 'no base revision (not a pull request)', files: localTree() },
];

/**
 * The rule, holding the approval found for this pull request. Its examples follow that approval: without one, a
 * decision-state change fires; with one, the same change is quiet.
 */
export function unapprovedChangeRule(approval: ApprovalState): Rule {
  const approved = approval.approvedBy !== undefined;
  const changes = [CHANGED, ...(approval.configChanged ? [POLICY] : [])];
  return {
    id: UNAPPROVED_CHANGE_ID,
    defaultSeverity: 'error',
    summary: 'The pull request changes the decision state or the policy without an approving review from a configured approver.',
    description:
      'Change control for the decision record. When a pull request changes any decision-state field of the record (`' +
      DECISION_STATE_KEYS.join('`, `') +
      '`), withdraws a record (no readable Current Decision State where the base had one), or changes the policy file `.github/sot-gate.yml`, it needs an approving review from one of the `approvers` of the **base** branch\'s policy (a GitHub login, or an `org/team` slug). ' +
      'An approval counts only when it is on the pull request\'s current head commit (a later push voids it), it is that reviewer\'s latest review (a later "changes requested" or a dismissal voids it), and the reviewer is not the pull request\'s author. ' +
      'With no approvers configured the check fails closed. Fix: ask an approver to review and approve the current head; the `pull_request_review` trigger re-runs the check.\n\n' +
      'This rule needs the pull request\'s reviews, so only the GitHub Action (on `pull_request` and `pull_request_review`) runs it; the CLI never reports it. ' +
      'Team approvers (`org/team`) need a token that can read team membership (`read:org`: a PAT or a GitHub App token with Members: read; the default `GITHUB_TOKEN` cannot), otherwise the action warns and the approval does not count. ' +
      'Bootstrapping: the pull request that first adds `approvers` is itself a policy change nobody can approve yet; merge it before making the check required (or let an administrator bypass). ' +
      'Its severity, like every rule\'s, comes from the base branch\'s policy: a pull request cannot switch it off for itself.',
    examples: {
      fire: approved ? [] : changes,
      // An unapproved policy change fires whatever the tree: no tree is quiet then.
      quiet: !approved && approval.configChanged ? [] : [...(approved ? changes : []), ...UNCHANGED],
    },
    check(ctx, report) {
      if (approved) return;
      if (ctx.base) {
        const changed = decisionStateChanges(ctx.base.decision, ctx.decision);
        const d = ctx.decision;
        if (changed.length) {
          const first = changed.map((k) => d?.fields.get(k)?.line).find((l): l is number => l !== undefined) ?? d?.line ?? 1;
          report({
            file: d?.file ?? ctx.base.decision?.file ?? '.',
            line: first,
            message: `this pull request changes the decision state (${changed.join(', ')}): ${why(approval)}`,
          });
        }
      }
      if (approval.configChanged) {
        report({
          file: approval.configChanged,
          line: 1,
          message: `this pull request changes the policy file (the check judges it with the base branch's policy): ${why(approval)}`,
        });
      }
    },
  };
}
