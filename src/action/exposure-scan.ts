/**
 * Check mode's exposure scan: the no-secret, endpoint and path rules (`secret/*`, `endpoint/*`, `path/*`) over every
 * file the pull request adds or modifies (not only governance files), and over the added lines and messages of every
 * commit between the merge base and the head (on push: `before..after`), as `sot-gate scan --git-range` does.
 *
 * A shallow checkout (actions/checkout's default, depth 1) is deepened with `git fetch --depth=N` until the range is
 * complete; only when the commits cannot be fetched does the check fail, naming `fetch-depth: 0`.
 */
import { lstat } from 'node:fs/promises';
import path from 'node:path';
import { compareFindings } from '../engine/check.js';
import type { Config } from '../engine/config.js';
import { DEFAULT_MAX_COMMITS } from '../engine/git-scan.js';
import { scanPaths } from '../engine/scan-paths.js';
import type { BaselineEntry } from '../engine/suppress.js';
import { classify, shown } from '../engine/tree.js';
import { EvaluationError, summarize, type CheckResult, type Finding } from '../engine/types.js';
import { scanGitRange, truncatedBy } from '../git-scan-run.js';
import { ActionFailure } from './api-error.js';
import type { ChangedFile } from './changed-files.js';
import type { ActionContext, Core } from './deps.js';
import { git, hasCommit } from './git.js';

export type SecretScope = 'changed-files' | 'governance';
export const SECRET_SCOPES: readonly SecretScope[] = ['changed-files', 'governance'];

/** The `secret-scope` input: `changed-files` (default) or `governance`. */
export function readSecretScope(core: Pick<Core, 'getInput'>): SecretScope {
  const v = core.getInput('secret-scope').trim() || 'changed-files';
  if (!(SECRET_SCOPES as readonly string[]).includes(v)) {
    throw new ActionFailure(`input \`secret-scope\` must be one of ${SECRET_SCOPES.join(', ')}, not ${JSON.stringify(v.slice(0, 40))}`);
  }
  return v as SecretScope;
}

export interface ExposureInput {
  core: Pick<Core, 'getInput' | 'info'>;
  context: Pick<ActionContext, 'eventName' | 'payload'>;
  /** The repository's top (undefined outside a checkout: no commit scan). */
  top: string | undefined;
  /** The evaluated root and its path from the top. */
  root: string;
  rootRel: string;
  config: Config;
  baseline: BaselineEntry[];
  today: string;
  /** `scope` input: `changed` scans the pull request's changed files, `all` the whole tree. */
  scope: 'changed' | 'all';
  /** The pull request's changed files (repository paths), when known. */
  changed?: readonly ChangedFile[];
  maxCommits?: number;
  /**
   * The login of an approver whose approval of the pull request's head counts. Every line a pull request's commits add
   * is the pull request's own: an inline directive or example marker on it counts only with that approval.
   */
  approvedBy?: string;
}

const SHA = /^[0-9a-f]{40}([0-9a-f]{24})?$/;
const ZERO = /^0+$/;

/**
 * The exposure findings, repository-relative, to merge into the check's result (mergeExposure). Governance files are
 * left out of the file scan: the check evaluates them already (with the same scanner).
 */
export async function scanExposure(input: ExposureInput): Promise<CheckResult> {
  const secretScope = readSecretScope(input.core);
  const parts: CheckResult[] = [];
  if (secretScope === 'changed-files') parts.push(await scanFiles(input));
  const range = await commitRange(input);
  if (range) parts.push(await scanGitRange(input.top!, range, input.config, { maxCommits: input.maxCommits ?? DEFAULT_MAX_COMMITS, baseline: input.baseline, today: input.today, inlineSuppressions: !isPullRequest(input) || input.approvedBy !== undefined }).catch(toFailure));
  return combine(parts);
}

/** A pull request's run: its commits are unreviewed until an approver approves the head. */
const isPullRequest = (input: ExposureInput) => input.context.payload.pull_request !== undefined;

const toFailure = (e: unknown): never => {
  throw e instanceof EvaluationError ? new ActionFailure(`scanning the commits: ${e.message}`) : e;
};

/** Non-governance files: the pull request's added or modified ones (scope changed), or the whole tree (scope all). */
async function scanFiles(input: ExposureInput): Promise<CheckResult> {
  const { root, rootRel, config } = input;
  const toRoot = (p: string) => (rootRel === '.' ? p : p.startsWith(`${rootRel}/`) ? p.slice(rootRel.length + 1) : undefined);
  let paths: string[];
  const skipped: string[] = [];
  if (input.scope === 'changed') {
    paths = [];
    for (const f of input.changed ?? []) {
      if (f.status === 'removed') continue;
      const rel = toRoot(f.path);
      if (rel === undefined || classify(rel, config)) continue;
      // A changed path that is not a regular file in the checkout (a symbolic link, a submodule) is never read: counted.
      const st = await lstat(path.join(root, rel)).catch(() => undefined);
      if (st?.isFile()) paths.push(rel);
      else if (st) skipped.push(rel);
    }
    if (!paths.length) return { ...empty(), notes: skipped.length ? [`not scanned (not a regular file): ${skipped.slice(0, 20).map(shown).join(', ')}`] : [] };
  } else paths = ['.'];
  const r = await scanPaths(root, paths, config, input.today).catch((e: unknown) => {
    throw e instanceof EvaluationError ? new ActionFailure(`scanning the changed files: ${e.message}`) : e;
  });
  const keep = (f: Finding) => !classify(f.file, config);
  const toRepo = (p: string) => (rootRel === '.' ? p : path.posix.join(rootRel, p));
  const findings = r.findings.filter(keep).map((f) => ({ ...f, file: toRepo(f.file) }));
  const suppressed = r.suppressed.filter(keep).map((f) => ({ ...f, file: toRepo(f.file) }));
  const files = r.filesEvaluated.filter((p) => !classify(p, config)).map(toRepo);
  return {
    ...r,
    summary: summarize(files.length, findings, suppressed),
    findings,
    suppressed,
    filesEvaluated: files,
    notes: [...r.notes, ...(skipped.length ? [`not scanned (not a regular file): ${skipped.slice(0, 20).map(shown).join(', ')}`] : [])],
  };
}

function empty(): CheckResult {
  return { version: 1, summary: { files: 0, errors: 0, warnings: 0, suppressed: 0 }, findings: [], suppressed: [], notes: [], admittedPairs: [], filesEvaluated: [] };
}

/** One value is reported once: by the tree's evaluation first, then the file scan, then the commits (same rule and fingerprint). */
const key = (f: Finding) => (f.fingerprint ? `${f.ruleId}\0${f.fingerprint}` : undefined);
function unseen(seen: Set<string>, list: readonly Finding[]): Finding[] {
  return list.filter((f) => {
    const k = key(f);
    if (k === undefined) return true;
    if (seen.has(k)) return false;
    seen.add(k);
    return true;
  });
}

function combine(parts: CheckResult[]): CheckResult {
  const out = empty();
  const seen = new Set<string>();
  // Active first: a value one part reports active (a line the pull request's commits add, whose directive has no
  // approval) is not hidden by another part that saw it suppressed.
  for (const p of parts) out.findings.push(...unseen(seen, p.findings));
  for (const p of parts) out.suppressed.push(...unseen(seen, p.suppressed));
  for (const p of parts) {
    out.notes.push(...p.notes);
    out.filesEvaluated.push(...p.filesEvaluated);
    out.summary.files += p.summary.files;
  }
  out.summary = summarize(out.summary.files, out.findings, out.suppressed);
  return out;
}

/** The check's result with the exposure findings merged in (counts, notes; the findings kept sorted by the reports). */
export function mergeExposure(result: CheckResult, exposure: CheckResult): CheckResult {
  if (!exposure.findings.length && !exposure.suppressed.length && !exposure.notes.length && !exposure.summary.files) return result;
  const seen = new Set([...result.findings, ...result.suppressed].flatMap((f) => key(f) ?? []));
  const findings = [...result.findings, ...unseen(seen, exposure.findings)];
  const suppressed = [...result.suppressed, ...unseen(seen, exposure.suppressed)];
  const files = new Set([...result.filesEvaluated, ...exposure.filesEvaluated]);
  return {
    ...result,
    summary: summarize(result.summary.files + exposure.summary.files, findings, suppressed),
    findings: findings.sort(compareFindings),
    suppressed,
    notes: [...result.notes, ...exposure.notes],
    filesEvaluated: [...files].sort(),
  };
}

/**
 * The commits to scan: on a pull request `base..head`, on push `before..after` (a new branch: its head commit), with the
 * history fetched as deep as the range needs. Undefined when the event has no commit range.
 */
async function commitRange(input: ExposureInput): Promise<string | undefined> {
  const { top, context } = input;
  if (!top) return undefined;
  const maxCommits = input.maxCommits ?? DEFAULT_MAX_COMMITS;
  const pr = context.payload.pull_request as (NonNullable<ActionContext['payload']['pull_request']> & { commits?: number }) | undefined;
  if (pr) return ensureRange(top, pr.base.sha, pr.head.sha, typeof pr.commits === 'number' ? pr.commits : 0, maxCommits, input.core);
  if (context.eventName === 'push') {
    const before = String(context.payload.before ?? '');
    const after = String(context.payload.after ?? '');
    if (!SHA.test(after)) return undefined;
    if (!before || ZERO.test(before) || !SHA.test(before)) {
      // A new branch: there is no earlier state to compare with; its head commit is scanned.
      await fetchDepth(top, [after], 2).catch(() => undefined);
      const parent = await git(top, ['rev-parse', '--verify', '--quiet', `${after}^1`]).then(
        (b) => b.toString('utf8').trim(),
        () => '',
      );
      input.core.info(`sot-gate: a new branch: scanning its head commit ${after.slice(0, 12)}`);
      return parent ? `${parent}..${after}` : after;
    }
    return ensureRange(top, before, after, 0, maxCommits, input.core);
  }
  return undefined;
}

async function fetchDepth(top: string, shas: string[], depth: number): Promise<void> {
  await git(top, ['fetch', '--no-tags', '--no-recurse-submodules', '--quiet', `--depth=${depth}`, 'origin', ...shas]);
}

/** Whether `base..head` can be read whole: both commits present, a merge base, and no commit of the range cut off by a shallow clone. */
async function complete(top: string, base: string, head: string, maxCommits: number): Promise<boolean> {
  if (!(await hasCommit(top, base)) || !(await hasCommit(top, head))) return false;
  try {
    await git(top, ['merge-base', base, head]);
  } catch {
    return false;
  }
  return (await truncatedBy(top, `${base}..${head}`, maxCommits)).length === 0;
}

/** Fetch deeper (`git fetch --depth=N origin base head`) until `base..head` is complete; fail closed naming fetch-depth: 0. */
async function ensureRange(top: string, base: string, head: string, commits: number, maxCommits: number, core: Pick<Core, 'info'>): Promise<string> {
  for (const sha of [base, head]) if (!SHA.test(sha)) throw new ActionFailure(`not a commit sha: ${JSON.stringify(sha.slice(0, 80))}`);
  const range = `${base}..${head}`;
  let lastError = '';
  for (let depth = Math.max(commits + 1, 50); ; depth *= 4) {
    if (await complete(top, base, head, maxCommits)) return range;
    if (depth > 4 * (maxCommits + 1)) break;
    try {
      core.info(`sot-gate: fetching the pull request's commits (git fetch --depth=${depth})`);
      await fetchDepth(top, [base, head], depth);
    } catch (e) {
      lastError = (e as Error).message;
      break;
    }
  }
  if (await complete(top, base, head, maxCommits)) return range;
  throw new ActionFailure(
    `the commits between ${base.slice(0, 12)} and ${head.slice(0, 12)} cannot be read from this checkout${lastError ? ` (${lastError})` : ''}: ` +
      'every commit is scanned for secrets, and a range cut short would pass unscanned commits. Check out with actions/checkout and `fetch-depth: 0`, or keep its credentials so sot-gate can fetch them',
  );
}
