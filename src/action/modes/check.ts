/**
 * `mode: check` — the pull request gate, meant to be the required status check on main.
 *
 * Order: inputs → the checkout is the pull request's tree → policy (from the base commit on pull requests) → changed
 * files (API, else git diff) → trees → change control (reviews, only when the decision state or the policy changed) →
 * evaluate → report (SARIF, job summary, outputs, sticky comment, then the findings' annotations in the room GitHub
 * leaves after sot-gate's own warnings) → fail or pass. Anything that prevents a complete evaluation throws (the step
 * fails with that message): the check is never green by accident. A SARIF file that cannot be written fails the step
 * too, but only after the outputs, the summary and the comment report the result.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { evaluate } from '../../engine/check.js';
import type { Config } from '../../engine/config.js';
import { toSarif } from '../../engine/report/sarif.js';
import { plural, toSummary, type SummaryInfo } from '../../engine/report/summary.js';
import { unapprovedChangeRule, type ApprovalState } from '../../engine/rules/decision/unapproved-change.js';
import type { Rename } from '../../engine/change-control.js';
import { parseBaseline, type BaselineEntry } from '../../engine/suppress.js';
import { loadBaseline } from '../../engine/load.js';
import { classify, gitShow, loadTree, shown, toPosix, type InputFile } from '../../engine/tree.js';
import { EvaluationError, type CheckResult, type Finding } from '../../engine/types.js';
import { annotate, type ExtraWarning } from '../annotations.js';
import { ActionFailure } from '../api-error.js';
import { findApproval } from '../approvals.js';
import { listChangedFiles, touchedPaths, type ChangedFiles } from '../changed-files.js';
import { COMMENT_LIMIT, COMMENT_MARKER, upsertComment } from '../comment-pr.js';
import type { ActionContext, ActionDeps } from '../deps.js';
import { ensureCommit, headCommit, repoTop } from '../git.js';
import { PR_EVENTS, readCheckInputs, type FailOn } from '../inputs.js';
import { mergeExposure, scanExposure } from '../exposure-scan.js';
import { isStage2Ready, setCheckOutputs } from '../outputs.js';
import { loadPolicy } from '../policy.js';
import { changesOf, mergeBaseOf, openPullRequestsOf, pullRequestTrees, type PullRequestTrees } from '../pull-request.js';

export function isFailing(result: CheckResult, failOn: FailOn): boolean {
  if (failOn === 'never') return false;
  return result.summary.errors > 0 || (failOn === 'warning' && result.summary.warnings > 0);
}

/** Findings and files re-rooted from the evaluated root to the repository's top (what annotations and SARIF need). */
export function relocate(result: CheckResult, rootRel: string): CheckResult {
  if (rootRel === '.' || rootRel === '') return result;
  const to = (p: string) => path.posix.normalize(path.posix.join(rootRel, p));
  const f = (x: Finding): Finding => ({ ...x, file: to(x.file) });
  return {
    ...result,
    findings: result.findings.map(f),
    suppressed: result.suppressed.map(f),
    admittedPairs: result.admittedPairs.map((p) => ({ ...p, file: to(p.file) })),
    filesEvaluated: result.filesEvaluated.map(to),
    ...(result.decision ? { decision: { ...result.decision, file: to(result.decision.file) } } : {}),
  };
}

async function baselineFor(root: string, rootRel: string, config: Config, top: string | undefined, baseSha: string | undefined): Promise<BaselineEntry[]> {
  const rel = config.secrets.baseline;
  if (!rel) return [];
  if (!baseSha || !top) return loadBaseline(root, config);
  // On a pull request the baseline is policy too: read it from the base commit, so a pull request cannot baseline its own findings.
  const repoRel = path.posix.normalize(path.posix.join(rootRel, rel));
  const text = await gitShow(top, baseSha, repoRel);
  return text ? parseBaseline(text.toString('utf8'), `${rel} (base)`) : [];
}

/** On a pull request, the baseline as the pull request has it: an entry it adds or changes counts only with an approval. */
async function headBaselineFor(root: string, config: Config, baseSha: string | undefined): Promise<BaselineEntry[] | undefined> {
  if (!baseSha || !config.secrets.baseline) return undefined;
  try {
    return await loadBaseline(root, config);
  } catch (e) {
    if (e instanceof EvaluationError && e.message.endsWith('ENOENT')) return []; // the pull request deletes it
    throw e;
  }
}


type PullRequest = NonNullable<ActionContext['payload']['pull_request']>;

/**
 * Fail closed unless the checked-out HEAD is the pull request's tree: its head commit, its merge commit
 * (merge_commit_sha), or, on pull_request and pull_request_review, GITHUB_SHA (the merge ref's commit, what
 * actions/checkout checks out there). On pull_request_target GITHUB_SHA is the base branch's commit, which is not the
 * pull request: a checkout of the base would evaluate the wrong tree and pass a bad pull request.
 */
export async function assertPullRequestCheckout(top: string, pr: PullRequest, context: Pick<ActionContext, 'eventName' | 'sha'>): Promise<void> {
  let head: string;
  try {
    head = await headCommit(top);
  } catch (e) {
    throw new ActionFailure(
      `cannot read the checked-out commit (${(e as Error).message}): on a pull request sot-gate must confirm that it evaluates the pull request's tree. ` +
        "Check out the pull request with actions/checkout before sot-gate (its default on pull_request checks out the pull request's merge commit)",
    );
  }
  const expected = new Map<string, string>(); // sha -> what it is
  const accept = (sha: string | null | undefined, what: string) => {
    if (sha && !expected.has(sha.toLowerCase())) expected.set(sha.toLowerCase(), what);
  };
  accept(pr.head.sha, "the pull request's head");
  accept(pr.merge_commit_sha, 'its merge commit');
  if (context.eventName !== 'pull_request_target') accept(context.sha, 'the merge ref (GITHUB_SHA)');
  if (expected.has(head)) return;
  const short = (sha: string) => sha.slice(0, 12);
  const list = [...expected].map(([sha, what]) => `${what} ${short(sha)}`);
  throw new ActionFailure(
    `the checkout is not the pull request's tree: HEAD is ${short(head)}, expected ${list.join(' or ')}; evaluating another tree would judge the wrong files. ` +
      (context.eventName === 'pull_request_target' ? "On pull_request_target actions/checkout checks out the base branch by default: run on pull_request instead, or check" : 'Check') +
      " out the pull request's head or merge ref before sot-gate (actions/checkout's default on pull_request and pull_request_review; elsewhere `ref: ${{ github.event.pull_request.head.sha }}`)",
  );
}

export async function runCheck(deps: ActionDeps): Promise<void> {
  const { core, context } = deps;
  // sot-gate's own warnings, counted: GitHub shows 10 warning annotations per step, and the findings get what is left.
  let ownWarnings = 0;
  const warn = (message: string) => {
    ownWarnings++;
    core.warning(message);
  };
  const inputs = readCheckInputs(core, context.eventName);
  const secrets = inputs.token ? [inputs.token] : [];
  const { owner, repo } = context.repo;
  let pr = PR_EVENTS.has(context.eventName) ? context.payload.pull_request : undefined;
  if (context.eventName === 'pull_request_target') {
    warn('sot-gate: running on pull_request_target is not supported: it checks out the base branch and runs with a write token. Use pull_request and pull_request_review.');
  }
  // On a runner GITHUB_SHA is always a commit; the all-zero placeholder of a local run (.env.example) heads nothing.
  const reportsOnCommit = /^[0-9a-f]{40}$/i.test(context.sha) && !/^0+$/.test(context.sha);
  if (!PR_EVENTS.has(context.eventName) && reportsOnCommit) {
    // This run reports the check on GITHUB_SHA: when that is an open pull request's head, its change control applies
    // (a workflow_dispatch or push run on the branch must not turn the head green without it).
    if (!inputs.token) {
      throw new ActionFailure(
        `no GitHub token: on ${context.eventName} sot-gate must find out whether the commit is the head of an open pull request (whose change control then applies); set the \`token\` input (default: github.token)`,
      );
    }
    const open = await openPullRequestsOf(deps.octokit(), owner, repo, context.sha, secrets);
    if (open.length > 1) {
      throw new ActionFailure(
        `the commit ${context.sha.slice(0, 12)} is the head of ${open.length} open pull requests (${open.map((p) => `#${p.number}`).join(', ')}): run sot-gate on their pull_request events, where each one's change control applies`,
      );
    }
    if (open[0]) {
      pr = open[0];
      core.info(`sot-gate: ${context.sha.slice(0, 12)} is the head of the open pull request #${pr.number}: its change control applies to this ${context.eventName} run.`);
    }
  }
  if (inputs.scope === 'changed' && !pr) {
    throw new ActionFailure(`scope: changed needs a pull_request or pull_request_review event (this is ${context.eventName}); use scope: all`);
  }
  if (pr && !inputs.token) {
    throw new ActionFailure('no GitHub token: on pull requests the check reads the changed files and the reviews through the GitHub API; set the `token` input (default: github.token)');
  }

  const root = path.resolve(deps.cwd, inputs.path);
  const top = await repoTop(root);
  if (pr && !top) throw new ActionFailure(`${shown(inputs.path)} is not inside a git checkout: run actions/checkout before sot-gate`);
  if (pr && top) await assertPullRequestCheckout(top, pr, context);
  const rootRel = toPosix(path.relative(top ?? deps.cwd, root)) || '.';
  if (rootRel.startsWith('../') || rootRel === '..') throw new ActionFailure(`input \`path\` (${shown(inputs.path)}) is outside the repository`);
  const toRoot = (repoPath: string): string | undefined =>
    rootRel === '.' ? repoPath : repoPath.startsWith(`${rootRel}/`) ? repoPath.slice(rootRel.length + 1) : undefined;
  const toRepo = (rootPath: string) => (rootRel === '.' ? rootPath : path.posix.normalize(path.posix.join(rootRel, rootPath)));

  // The policy and the baseline come from the base commit (pull_request.base.sha, the base branch's tip GitHub gives
  // with the pull request), so a pull request cannot loosen what judges it.
  const baseSha = pr?.base.sha;
  if (pr && top && baseSha) await ensureCommit(top, baseSha);
  const policy = await loadPolicy({ workspace: deps.cwd, ...(top ? { repoTop: top } : {}), config: inputs.config, configIsDefault: inputs.configIsDefault, ...(baseSha ? { baseSha } : {}) });
  const { config } = policy;

  // What the pull request changes against the merge base, within the evaluated root, and the trees to judge it by.
  let changed: ChangedFiles | undefined;
  let trees: PullRequestTrees | undefined;
  if (pr && top && baseSha) {
    const octokit = deps.octokit();
    const mergeBase = await mergeBaseOf(octokit, owner, repo, top, pr, secrets);
    changed = await listChangedFiles({ octokit, owner, repo, pullNumber: pr.number, cwd: top, baseSha: mergeBase, head: pr.head.sha.toLowerCase(), secrets });
    if (changed.apiFailed) warn(`sot-gate: ${changed.fallbackReason}; the changed files come from git diff instead, and the check still evaluates them.`);
    else if (changed.fallbackReason) core.info(`sot-gate: changed files from git diff: ${changed.fallbackReason}`);
    const changedPaths = touchedPaths(changed.files).flatMap((p) => toRoot(p) ?? []);
    trees = await pullRequestTrees({ octokit, owner, repo, top, root, rootRel, pr, config, policyFile: policy.file, changedPaths, secrets, mergeBase });
  }
  const policyChangedRel = pr && trees?.policyChanged ? path.posix.relative(rootRel === '.' ? '' : rootRel, policy.file) : undefined;
  const touched = new Set(changed ? touchedPaths(changed.files).flatMap((p) => toRoot(p) ?? []) : []);
  const relevant = [...touched].filter((p) => classify(p, config));
  const deleted: string[] = [];
  const renames: Rename[] = [];
  for (const f of changed?.files ?? []) {
    const now = toRoot(f.path);
    const before = f.previousPath ? toRoot(f.previousPath) : undefined;
    if (f.status === 'renamed' && now && before) renames.push({ from: before, to: now });
    if (f.status === 'removed') {
      if (now && classify(now, config)) deleted.push(now);
      continue;
    }
    if (!(now && classify(now, config)) && f.status === 'renamed' && before && classify(before, config)) deleted.push(before);
  }
  const present = [...touched].filter((p) => classify(p, config) && !deleted.includes(p));

  // On a pull request the files come from git (the merge of head into base), never from the working tree: the verdict
  // does not depend on whether the workflow checked out the merge ref or the head.
  const files: InputFile[] = trees ? trees.merged : await loadTree(root, config);
  const base: InputFile[] | undefined = trees?.base;

  // Fail closed: every changed governance file must have been evaluated (a deleted one is reported as deleted).
  const evaluated = new Set(files.map((f) => f.path));
  const notEvaluated = present.filter((p) => !evaluated.has(p));
  if (notEvaluated.length) {
    throw new ActionFailure(
      `${plural(notEvaluated.length, 'changed SOT/admission file')} not found in the pull request's tree (${notEvaluated.slice(0, 3).map((p) => shown(toRepo(p))).join(', ')}${notEvaluated.length > 3 ? ', …' : ''}): the changed-file list and the head commit disagree`,
    );
  }

  // Change control: on a pull request the approval is always read (one listReviews call) when approvers are configured.
  let approval: ApprovalState = { approvers: config.approvers };
  let approvalNote: string | undefined;
  let extraRules: ReturnType<typeof unapprovedChangeRule>[] = [];
  if (pr && trees) {
    if (config.approvers.length) {
      approval = await findApproval({
        octokit: deps.octokit(),
        owner,
        repo,
        pullNumber: pr.number,
        headSha: pr.head.sha,
        author: pr.user?.login,
        approvers: config.approvers,
        warn,
        secrets,
      });
    }
    const protectedChanged = changesOf(trees, config, renames);
    if (protectedChanged.length) {
      const names = protectedChanged.slice(0, 5).map((c) => `${shown(toRepo(c.file))} (${c.change})`).join(', ') + (protectedChanged.length > 5 ? ', …' : '');
      const what = `${plural(protectedChanged.length, 'protected file')} changed: ${names}`;
      approvalNote = approval.approvedBy
        ? `${what}; approved by @${approval.approvedBy} on the current head`
        : `${what}; no approval that counts${approval.reason ? ` (${approval.reason})` : ''}`;
    }
    extraRules = [unapprovedChangeRule(approval, { others: trees.others, renames })];
  }

  const scoped = inputs.scope === 'changed' ? new Set([...touched, ...(policyChangedRel ? [policyChangedRel] : [])]) : undefined;
  const baseline = await baselineFor(root, rootRel, config, top, baseSha);
  const today = deps.now().toISOString().slice(0, 10);
  // The same evaluation without the pull request: a finding it does not have was caused by the pull request, on
  // whatever file it sits (scope: changed keeps it).
  const known = scoped && base ? new Set(evaluate({ files: base, config, baseline, today }).findings.map((f) => f.fingerprint ?? '')) : undefined;
  const raw = evaluate({
    files,
    config,
    ...(base ? { base } : {}),
    baseline,
    ...(await headBaselineFor(root, config, baseSha).then((headBaseline) => (headBaseline ? { headBaseline } : {}))),
    today,
    ...(scoped ? { changed: scoped } : {}),
    ...(known ? { known } : {}),
    ...(approval.approvedBy ? { approvedBy: approval.approvedBy } : {}),
    extraRules,
  });
  // Exposure rules over every changed file and every commit of the pull request (src/action/exposure-scan.ts).
  const exposure = await scanExposure({
    core, context, top, root, rootRel, config, scope: inputs.scope, today: deps.now().toISOString().slice(0, 10),
    baseline, ...(changed ? { changed: changed.files } : {}), ...(approval.approvedBy ? { approvedBy: approval.approvedBy } : {}),
  });
  const result = mergeExposure(relocate(raw, rootRel), exposure);
  const failed = isFailing(result, inputs.failOn);
  const nothingToCheck = inputs.scope === 'changed' && relevant.length === 0 && !policyChangedRel;

  // Report. The SARIF file first (its failure is reported, not thrown, until everything else has reported), then the
  // summary, the outputs and the comment, then the findings' annotations in the room sot-gate's own warnings left.
  let sarifError: string | undefined;
  if (inputs.sarifFile) {
    const out = path.resolve(deps.cwd, inputs.sarifFile);
    try {
      await mkdir(path.dirname(out), { recursive: true });
      await writeFile(
        out,
        toSarif(result, extraRules, {
          repository: { uri: `${context.serverUrl}/${owner}/${repo}`, ...(context.sha ? { revision: context.sha } : {}) },
          ...(top ? { srcRoot: pathToFileURL(`${top}/`).href } : {}),
        }),
      );
    } catch (e) {
      // The path as the workspace sees it: never the runner's absolute workspace path.
      sarifError = `cannot write the SARIF file ${toPosix(path.relative(deps.cwd, out))} (input \`sarif-file\`): ${(e as NodeJS.ErrnoException).code ?? 'error'}`;
    }
  }
  const stepFails = failed || sarifError !== undefined;

  const deletedRepo = deleted.map(toRepo);
  const extra: ExtraWarning[] = deletedRepo.map((file) => ({
    file,
    title: 'sot-gate: governance file deleted',
    message: `${shown(file)} is deleted by this pull request${classify(toRoot(file) ?? file, config) === 'admission' ? ': this withdraws the admission' : ''}; review that this is intended.`,
  }));

  const notes = [...(inputs.failOn !== 'error' ? [`fail-on: ${inputs.failOn}`] : []), ...(sarifError ? [sarifError] : [])];
  const sarifWritten = Boolean(inputs.sarifFile) && !sarifError;
  const info: SummaryInfo = {
    outcome: failed ? 'failed' : 'passed',
    scope: inputs.scope,
    root: rootRel,
    policy: policy.source,
    ...(changed ? { changed: { total: changed.files.length, relevant: relevant.length + (policyChangedRel ? 1 : 0), source: changed.source, ...(changed.fallbackReason ? { fallbackReason: changed.fallbackReason } : {}) } } : {}),
    deleted: deletedRepo,
    nothingToCheck,
    ...(approvalNote ? { approval: approvalNote } : {}),
    ...(notes.length ? { notes } : {}),
    fullListAt: sarifWritten ? 'the SARIF file and the `findings` output' : 'the `findings` output',
  };
  const summary = toSummary(result, info);
  try {
    await core.summary.addRaw(summary).write();
  } catch (e) {
    warn(`sot-gate: the job summary could not be written (${(e as Error).message.split('\n')[0]}); the annotations and outputs still report the result.`);
  }

  const admissionsToCheck =
    inputs.scope === 'changed' ? present.filter((p) => classify(p, config) === 'admission').map(toRepo) : files.filter((f) => f.kind === 'admission').map((f) => toRepo(f.path));
  const decided = config.vocabularies['decision-status'].filter((s) => s !== 'not_decided');
  setCheckOutputs({ setOutput: (name, value) => core.setOutput(name, value), warning: (m) => warn(String(m)) }, result, isStage2Ready(result, decided, admissionsToCheck));

  if (pr && inputs.comment !== 'never') {
    const sha = pr.head.sha.slice(0, 7);
    await upsertComment({
      octokit: deps.octokit(),
      owner,
      repo,
      issueNumber: pr.number,
      mode: inputs.comment,
      failed,
      body: `${COMMENT_MARKER}\n${toSummary(result, { ...info, limit: COMMENT_LIMIT - 1024, fullListAt: 'the job summary' })}\n<sub>sot-gate on ${sha}</sub>\n`,
      passingBody:
        result.summary.errors > 0
          ? `${COMMENT_MARKER}\n## ⚠️ sot-gate: ${plural(result.summary.errors, 'error')} found (not failing the check, fail-on: ${inputs.failOn})\n\nSee the job summary of ${sha}.\n`
          : `${COMMENT_MARKER}\n## ✅ sot-gate: passed\n\nThe problems reported earlier are fixed as of ${sha}.\n`,
      fork: Boolean(pr.head.repo?.full_name && pr.base.repo?.full_name && pr.head.repo.full_name !== pr.base.repo.full_name),
      warn,
      secrets,
    });
  }

  // The step's failure message (core.setFailed) is an error annotation too.
  annotate(core, result.findings, extra, sarifWritten, { warnings: ownWarnings, errors: stepFails ? 1 : 0 });

  const s = result.summary;
  core.info(`sot-gate: ${plural(s.errors, 'error')}, ${plural(s.warnings, 'warning')}, ${s.suppressed} suppressed; ${plural(s.files, 'file')} evaluated${nothingToCheck ? ' (no SOT, admission or policy file changed)' : ''}.`);
  const found = failed
    ? `${plural(s.errors, 'error')}${inputs.failOn === 'warning' ? ` and ${plural(s.warnings, 'warning')}` : ''} found (fail-on: ${inputs.failOn}); see the annotations and the job summary`
    : undefined;
  if (sarifError) throw new ActionFailure(`${sarifError}; the outputs and the job summary report the result${found ? `: ${found}` : ''}`);
  if (found) throw new ActionFailure(found);
}
