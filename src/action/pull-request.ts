/**
 * The pull request a run judges, and the trees it judges it by.
 *
 * - Which pull request: on pull_request / pull_request_review, the event's. On every other event (push,
 *   workflow_dispatch, merge_group, schedule, …) the run reports a check on GITHUB_SHA, which may be an open pull
 *   request's head: then that pull request's change control applies (repos.listPullRequestsAssociatedWithCommit), or
 *   the run fails closed when it cannot tell.
 * - Which trees: the merge base of base and head (repos.compareCommitsWithBasehead), the base commit
 *   (pull_request.base.sha: the policy and the baseline come from it) and the head, all read from git, never from the
 *   working tree; the evaluated tree is their three-way merge (what the pull request would land), so the verdict is the
 *   same whether the workflow checked out the merge ref or the head, and a stale branch is judged by what it merges.
 */
import path from 'node:path';
import { mergeTrees, pickBytes, protectedChanges, type OtherFile, type ProtectedChange, type Rename } from '../engine/change-control.js';
import type { Config } from '../engine/config.js';
import { globMatch } from '../engine/glob.js';
import { classify, gitShow, loadGitTree, shown, type InputFile } from '../engine/tree.js';
import { ActionFailure, describeApiError } from './api-error.js';
import type { ActionContext, Octokit } from './deps.js';
import { ensureCommit } from './git.js';

export type PullRequest = NonNullable<ActionContext['payload']['pull_request']>;

/** The events whose payload carries the pull request. Every other event looks the commit's open pull request up. */
export const PULL_REQUEST_EVENTS = ['pull_request', 'pull_request_review'] as const;

/**
 * The events the example workflow (examples/workflows/sot-gate.yml) reports the required check on. Any other event
 * that reports it on a pull request's head applies that pull request's change control (openPullRequestsOf).
 */
export const REQUIRED_CHECK_EVENTS = [...PULL_REQUEST_EVENTS, 'merge_group'] as const;

/**
 * The open pull requests whose head is `sha`. Fails closed (ActionFailure naming the permission) when the API cannot
 * answer: a run that cannot tell whether it reports on a pull request's head must not pass it without change control.
 */
export async function openPullRequestsOf(octokit: Octokit, owner: string, repo: string, sha: string, secrets: readonly string[]): Promise<PullRequest[]> {
  let items: Array<Record<string, unknown>>;
  try {
    items = (await octokit.paginate(octokit.rest.repos.listPullRequestsAssociatedWithCommit, { owner, repo, commit_sha: sha, per_page: 100 })) as unknown as Array<Record<string, unknown>>;
  } catch (e) {
    throw new ActionFailure(
      `${describeApiError(e, `finding the open pull requests whose head is ${sha.slice(0, 12)}`, 'pull-requests: read', secrets)}; ` +
        "this run reports the check on that commit, so it must apply the change control of a pull request whose head it is (or know there is none)",
    );
  }
  return items
    .filter((p) => p.state === 'open' && String((p.head as { sha?: string } | undefined)?.sha ?? '').toLowerCase() === sha.toLowerCase())
    .map((p) => p as unknown as PullRequest);
}

/** The merge base of base and head from the API, present in the checkout afterwards. Fails closed. */
export async function mergeBaseOf(octokit: Octokit, owner: string, repo: string, top: string, pr: PullRequest, secrets: readonly string[]): Promise<string> {
  let sha: string | undefined;
  try {
    const { data } = await octokit.rest.repos.compareCommitsWithBasehead({ owner, repo, basehead: `${pr.base.sha}...${pr.head.sha}`, per_page: 1 });
    sha = data.merge_base_commit?.sha;
  } catch (e) {
    throw new ActionFailure(
      `${describeApiError(e, "finding the merge base of the pull request's base and head", 'contents: read', secrets)}; ` +
        'sot-gate compares the head with the merge base (not with the base tip, which would blame the pull request for what its base branch changed since)',
    );
  }
  if (!sha || !/^[0-9a-f]{40}$/i.test(sha)) throw new ActionFailure("the GitHub API gave no merge base for the pull request's base and head: sot-gate cannot tell what the pull request changes");
  await ensureCommit(top, sha.toLowerCase(), 'the merge base');
  return sha.toLowerCase();
}

export interface PullRequestTrees {
  mergeBase: string;
  /** The base commit's governance files (the transition rules' base, and the "without this pull request" tree). */
  base: InputFile[];
  /** The three-way merge: what the pull request would land. */
  merged: InputFile[];
  /** Protected files outside the tree, base commit vs merge result. */
  others: OtherFile[];
  /** The policy file's version in the merge result differs from the base commit's. */
  policyChanged: boolean;
}

export interface TreesInput {
  octokit: Octokit;
  owner: string;
  repo: string;
  top: string;
  root: string;
  /** The evaluated root relative to the repository's top ('.' for the top). */
  rootRel: string;
  pr: PullRequest;
  config: Config;
  /** The policy file relative to the repository's top. */
  policyFile: string;
  /** Paths changed by the pull request (relative to the root), for the configured `change-control.files` globs. */
  changedPaths?: readonly string[];
  secrets: readonly string[];
  /** Already found (mergeBaseOf). */
  mergeBase?: string;
}

const toRepo = (rootRel: string, p: string) => (rootRel === '.' ? p : path.posix.normalize(path.posix.join(rootRel, p)));
const toRootRel = (rootRel: string, repoPath: string) => (rootRel === '.' ? repoPath : path.posix.relative(rootRel, repoPath));

function conflict(paths: readonly string[]): ActionFailure {
  const list = paths.slice(0, 3).map(shown).join(', ') + (paths.length > 3 ? ', …' : '');
  return new ActionFailure(
    `the pull request and its base branch both changed ${list} since they diverged, differently: update the branch (merge or rebase its base) so that sot-gate can judge what it would merge`,
  );
}

export async function pullRequestTrees(input: TreesInput): Promise<PullRequestTrees> {
  const { top, root, rootRel, pr, config } = input;
  await ensureCommit(top, pr.base.sha, 'the base commit');
  await ensureCommit(top, pr.head.sha.toLowerCase(), "the pull request's head");
  const mergeBase = input.mergeBase ?? (await mergeBaseOf(input.octokit, input.owner, input.repo, top, pr, input.secrets));
  const [mb, base, head] = await Promise.all([loadGitTree(root, mergeBase, config), loadGitTree(root, pr.base.sha, config), loadGitTree(root, pr.head.sha.toLowerCase(), config)]);
  const merged = mergeTrees(mb, base, head);
  if (merged.conflicts.length) throw conflict(merged.conflicts);

  const others: OtherFile[] = [];
  const other = async (repoPath: string, surface: OtherFile['surface']) => {
    const [m, b, h] = await Promise.all([gitShow(top, mergeBase, repoPath), gitShow(top, pr.base.sha, repoPath), gitShow(top, pr.head.sha.toLowerCase(), repoPath)]);
    const r = pickBytes(m, b, h);
    if (r === 'conflict') throw conflict([repoPath]);
    others.push({ file: toRootRel(rootRel, repoPath), surface, ...(b ? { base: b } : {}), ...(r.value ? { head: r.value } : {}) });
  };
  await other(input.policyFile, 'policy');
  if (config.secrets.baseline) await other(toRepo(rootRel, config.secrets.baseline), 'baseline');
  const globs = config['change-control'].files;
  for (const p of input.changedPaths ?? []) {
    if (!classify(p, config) && globs.some((g) => globMatch(p, g)) && !others.some((o) => o.file === p)) await other(toRepo(rootRel, p), 'files');
  }
  const policy = others[0]!;
  const policyChanged = !(policy.base === undefined ? policy.head === undefined : policy.head !== undefined && Buffer.from(policy.base).equals(Buffer.from(policy.head)));
  return { mergeBase, base, merged: merged.files, others, policyChanged };
}

/** What the pull request changes on the protected surface (for the summary and dispatch; the rule recomputes it). */
export function changesOf(trees: PullRequestTrees, config: Config, renames: readonly Rename[] = []): ProtectedChange[] {
  return protectedChanges({ base: trees.base, head: trees.merged, config, others: trees.others, renames });
}
