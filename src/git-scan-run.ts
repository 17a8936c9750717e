/**
 * The adapter that runs git for the history scan (src/engine/git-scan.ts): `git log -p` over a range, `git diff --cached`
 * for the index, each as a child process whose output is streamed into GitScan (memory stays bounded however long the
 * history). Used by the CLI (`sot-gate scan --git-range`, `--staged`) and by the action's check mode.
 */
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import type { Config } from './engine/config.js';
import { DEFAULT_MAX_COMMITS, GIT_STAGED_ARGS, GitScan, gitLogArgs, type GitScanResult } from './engine/git-scan.js';
import type { BaselineEntry } from './engine/suppress.js';
import { shown } from './engine/tree.js';
import { EvaluationError } from './engine/types.js';

export interface RunOptions {
  maxCommits?: number;
  baseline?: BaselineEntry[];
  today?: string;
  /** Whether inline directives and example markers count (GitScanOptions.inlineSuppressions). */
  inlineSuppressions?: boolean;
}

const GIT_ENV = { ...process.env, LC_ALL: 'C', GIT_PAGER: 'cat', GIT_TERMINAL_PROMPT: '0' };

/** Run git and return its stdout (small outputs only); a failure is an EvaluationError with git's first stderr line. */
async function gitText(cwd: string, args: string[]): Promise<string> {
  const scanless = { push: (c: Buffer) => void out.push(c) };
  const out: Buffer[] = [];
  await run(cwd, args, scanless);
  return Buffer.concat(out).toString('utf8');
}

/** Spawn git, stream its stdout into `sink`; kill it when the sink throws. Exit status other than 0 fails. */
async function run(cwd: string, args: string[], sink: { push(chunk: Buffer): void }): Promise<void> {
  const child = spawn('git', ['-C', cwd, ...args], { stdio: ['ignore', 'pipe', 'pipe'], env: GIT_ENV });
  let stderr = '';
  child.stderr.setEncoding('utf8');
  child.stderr.on('data', (d: string) => {
    if (stderr.length < 4096) stderr += d;
  });
  const exited = new Promise<number | null>((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (code) => resolve(code));
  });
  const verb = args.find((a) => /^[a-z][a-z-]*$/.test(a) && a !== '-c') ?? 'git';
  try {
    for await (const chunk of child.stdout) sink.push(chunk as Buffer);
  } catch (e) {
    child.kill();
    await exited.catch(() => undefined);
    throw e;
  }
  let code: number | null;
  try {
    code = await exited;
  } catch (e) {
    throw new EvaluationError(`cannot run git: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
  }
  if (code !== 0) {
    const why = stderr.trim().split('\n')[0]?.slice(0, 300) || `exit status ${code}`;
    throw new EvaluationError(`git ${verb} failed: ${shown(why)}`);
  }
}

/** A range as the user wrote it (A..B, A...B, a revision): never an option, never several arguments. */
function checkRange(range: string): void {
  if (!range || range.startsWith('-') || /[\s\0]/.test(range)) throw new EvaluationError(`not a git range: "${shown(range)}"`);
}

/**
 * Commits of the range whose parents a shallow clone cut off: the range would silently stop there. Empty when the
 * repository is complete.
 */
export async function truncatedBy(cwd: string, range: string, maxCommits: number): Promise<string[]> {
  if ((await gitText(cwd, ['rev-parse', '--is-shallow-repository'])).trim() !== 'true') return [];
  const shallowFile = path.resolve(cwd, (await gitText(cwd, ['rev-parse', '--git-path', 'shallow'])).trim());
  const cut = new Set((await readFile(shallowFile, 'utf8').catch(() => '')).split('\n').filter(Boolean));
  const listed = (await gitText(cwd, ['rev-list', `--max-count=${maxCommits + 1}`, '--end-of-options', range, '--'])).split('\n').filter(Boolean);
  return listed.filter((sha) => cut.has(sha));
}

/** The added lines and messages of every commit of `range` (`A..B`), scanned. */
export async function scanGitRange(cwd: string, range: string, config: Config, opts: RunOptions = {}): Promise<GitScanResult> {
  checkRange(range);
  const maxCommits = opts.maxCommits ?? DEFAULT_MAX_COMMITS;
  const cut = await truncatedBy(cwd, range, maxCommits).catch(async (e: unknown) => {
    // A commit of the range missing in a shallow clone: say how to get it.
    const shallow = (await gitText(cwd, ['rev-parse', '--is-shallow-repository']).catch(() => '')).trim() === 'true';
    if (!shallow) throw e;
    throw new EvaluationError(`${(e as Error).message}: this is a shallow clone and the range's commits are not all in it; fetch them first (git fetch --unshallow, or actions/checkout with fetch-depth: 0)`);
  });
  if (cut.length) {
    throw new EvaluationError(
      `the history of ${shown(range)} is incomplete in this shallow clone (the parents of ${cut[0]!.slice(0, 12)} are missing): fetch it first (git fetch --unshallow, or actions/checkout with fetch-depth: 0)`,
    );
  }
  const boundary = randomBytes(12).toString('hex');
  const scan = new GitScan({
    config,
    boundary,
    maxCommits,
    ...(opts.baseline ? { baseline: opts.baseline } : {}),
    ...(opts.today ? { today: opts.today } : {}),
    ...(opts.inlineSuppressions !== undefined ? { inlineSuppressions: opts.inlineSuppressions } : {}),
  });
  await run(cwd, [...gitLogArgs(boundary, maxCommits), '--end-of-options', range, '--'], scan);
  return scan.end();
}

/** The added lines of the index against HEAD: what `git commit` is about to record. */
export async function scanStaged(cwd: string, config: Config, opts: RunOptions = {}): Promise<GitScanResult> {
  const scan = new GitScan({ config, ...(opts.baseline ? { baseline: opts.baseline } : {}), ...(opts.today ? { today: opts.today } : {}) });
  await run(cwd, GIT_STAGED_ARGS, scan);
  return scan.end();
}
