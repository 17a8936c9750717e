/**
 * decision/unapproved-change: a pull request that changes the protected surface (the decision record, an admission
 * file, the policy file, the baseline, configured globs: the base policy's `change-control`) needs an approving review
 * from a configured approver. The review data lives in GitHub, so this rule is not in the catalog: the action builds it
 * with the approval it found and passes it to evaluate() through `extraRules`. What changed is a content comparison of
 * the base tree (ctx.base.files) with the evaluated tree (ctx.files): see ../../change-control.ts.
 */
import { protectedChanges, type OtherFile, type ProtectedChange, type Rename } from '../../change-control.js';
import { PROTECTED_SURFACE, type Config } from '../../config.js';
import { DECISION_STATE_KEYS, hasDecisionState, parseDecisionRecord, type DecisionRecord } from '../../parse/decision.js';
import { parseMarkdown } from '../../parse/markdown.js';
import { decodeText } from '../../parse/text.js';
import type { InputFile } from '../../tree.js';
import { admissionJson, admissionPath, DECISION_PATH, decisionDoc, EXTERNAL_DECISION, ISSUES_PATH, issuesDoc, localTree } from '../fixtures.js';
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
  /** The policy file, relative to the evaluated root, when the pull request changes it (and its content is not in `others`). */
  configChanged?: string;
}

/** What the action knows about the change besides the two trees. */
export interface ChangeInputs {
  /** Protected files outside the SOT/admission tree (policy, baseline, configured globs), both versions. */
  others?: readonly OtherFile[];
  /** Renames from the pull request's file list. */
  renames?: readonly Rename[];
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

const NOUN: Record<ProtectedChange['surface'], string> = {
  'decision-record': 'the decision record',
  admissions: 'the admission file',
  policy: 'the policy file',
  baseline: 'the baseline file',
  files: 'the protected file',
};
const VERB: Record<ProtectedChange['change'], string> = { added: 'adds', modified: 'changes', deleted: 'deletes', renamed: 'renames' };

/** What a change is, in words: "this pull request deletes the admission file", with the decision record's fields. */
export function describeChange(c: ProtectedChange): string {
  let noun = NOUN[c.surface];
  if (c.surface === 'decision-record' && c.change === 'added') noun = 'a decision record';
  let what = `this pull request ${VERB[c.change]} ${noun}${c.change === 'renamed' && c.from ? ` (was ${c.from})` : ''}`;
  if (c.surface === 'policy') what += " (the check judges it with the base branch's policy)";
  if (c.surface === 'decision-record') {
    if (c.change === 'deleted') what += ': deleting or withdrawing the decision is a decision change';
    else if (c.state === 'gone') what += ': it no longer has a Current Decision State (withdrawing the decision is a decision change)';
    else if (c.state === 'new' && c.change !== 'added') what += ': it now has a Current Decision State (a second decision record)';
    else if (c.fields?.length) what += ` (decision state: ${c.fields.join(', ')})`;
    else if (c.change === 'modified') what += ' (its text outside the state fields: the record is governance as a whole)';
  }
  return what;
}

const CHANGED_BASE = { ...localTree(), [DECISION_PATH]: decisionDoc(EXTERNAL_DECISION) } as Record<string, string>;
const CHANGED: RuleExample = {
  description: 'decision_status and the pairs changed from external to local',
  base: CHANGED_BASE,
  files: localTree(),
};
const BASE = localTree() as Record<string, string>;
const SURFACE: RuleExample[] = [
  {
    description: 'approval_source rewritten (any content change of the record counts, not only the eight state fields)',
    base: BASE,
    files: localTree({ [DECISION_PATH]: decisionDoc({ approval_source: 'anyone may approve' }) }),
  },
  {
    description: 'the Current Decision State heading renamed (the record "has no decision")',
    base: BASE,
    files: localTree({ [DECISION_PATH]: decisionDoc().replace('## Current Decision State', '## Former Decision State') }),
  },
  {
    description: 'an admission file changed ("role": "fallback" added)',
    base: BASE,
    files: localTree({ [admissionPath('qwen-local', 'qwen3.6-35b-a3b')]: admissionJson({ role: 'fallback' }) }),
  },
  {
    description: 'the decision record and every admission deleted',
    base: BASE,
    files: { 'README.md': 'nothing here\n' },
  },
];
const POLICY: RuleExample = {
  description: 'the policy file changed',
  files: { ...localTree(), '.github/sot-gate.yml': 'approvers: [jp]\n' },
  base: BASE,
};

const UNCHANGED: RuleExample[] = [
  { description: 'the protected files are unchanged', base: BASE, files: localTree() },
  {
    description: 'only a work item outside the protected surface changed',
    base: { ...BASE, [ISSUES_PATH]: issuesDoc('### CTO-WORK-001\n\nStatus: open\n') },
    files: localTree({ [ISSUES_PATH]: issuesDoc('### CTO-WORK-001\n\nStatus: in_progress\n') }),
  },
  { description: 'no base revision (not a pull request)', files: localTree() },
];

/**
 * The rule, holding the approval found for this pull request. Its examples follow that approval: without one, a
 * protected change fires; with one, the same change is quiet.
 */
export function unapprovedChangeRule(approval: ApprovalState, inputs: ChangeInputs = {}): Rule {
  const approved = approval.approvedBy !== undefined;
  const changes = [CHANGED, ...SURFACE, ...(approval.configChanged ? [POLICY] : [])];
  return {
    id: UNAPPROVED_CHANGE_ID,
    defaultSeverity: 'error',
    summary: 'The pull request changes the protected surface (decision record, admissions, policy, baseline) without an approving review from a configured approver.',
    description:
      'Change control. The protected surface is set by the **base** branch\'s policy (`change-control.protect`, default: `' +
      PROTECTED_SURFACE.join('`, `') +
      '`; `change-control.files` adds globs). A pull request that changes any of it needs an approving review: ' +
      'any content change of the decision record (also outside the state fields `' +
      DECISION_STATE_KEYS.join('`, `') +
      '`: its approval source, review trigger and prose are governance too), its deletion or rename, a second decision record, or a record that no longer has a Current Decision State (deleting or withdrawing a decision is a decision change); ' +
      'any admission file added, changed, deleted or renamed; the policy file `.github/sot-gate.yml`; the baseline file. ' +
      'The finding names the file and what changed (for the decision record, which state fields). ' +
      'What changed is the content of the merge of the pull request compared with its base branch: a stale branch is not blamed for what the base branch changed since. ' +
      'The approval must come from one of the `approvers` of the base branch\'s policy (a GitHub login, or an `org/team` slug). ' +
      'An approval counts only when it is on the pull request\'s current head commit (a later push voids it), it is that reviewer\'s latest review (a later "changes requested" or a dismissal voids it), and the reviewer is not the pull request\'s author. ' +
      'With no approvers configured the check fails closed. Fix: ask an approver to review and approve the current head; the `pull_request_review` trigger re-runs the check.\n\n' +
      'This rule needs the pull request\'s reviews, so only the GitHub Action runs it (on a pull request, and on any other event whose commit is the head of an open pull request); the CLI never reports it. ' +
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
      const found = protectedChanges({
        base: ctx.base?.files ?? ctx.files ?? [],
        head: ctx.files ?? [],
        config: ctx.config,
        ...(inputs.others ? { others: inputs.others } : {}),
        ...(inputs.renames ? { renames: inputs.renames } : {}),
      });
      if (approval.configChanged && !found.some((c) => c.surface === 'policy')) {
        found.push({ file: approval.configChanged, surface: 'policy', change: 'modified', line: 1 });
      }
      for (const c of found) report({ file: c.file, line: c.line, message: `${describeChange(c)}: ${why(approval)}` });
    },
  };
}
