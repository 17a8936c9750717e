/**
 * The few git operations the action needs in the checked-out workspace: find the repository's top and the checked-out
 * commit, make sure a commit is present (actions/checkout fetches one commit by default), and list a diff's changed files.
 * Every failure is an ActionFailure with git's first stderr line; no credential is ever part of a git argument.
 */
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { ActionFailure } from './api-error.js';
import type { ChangedFile } from './changed-files.js';

const execFileP = promisify(execFile);

const SHA = /^[0-9a-f]{40}([0-9a-f]{24})?$/;

export async function git(cwd: string, args: string[]): Promise<Buffer> {
  try {
    const { stdout } = await execFileP('git', ['-C', cwd, ...args], { encoding: 'buffer', maxBuffer: 256 * 1024 * 1024 });
    return stdout;
  } catch (e) {
    const err = e as { stderr?: Buffer; message: string };
    const why = (err.stderr?.toString('utf8').trim() || err.message).split('\n')[0]?.slice(0, 300);
    throw new ActionFailure(`git ${args[0]} failed: ${why}`);
  }
}

/** The repository's top-level directory, or undefined when `dir` is not inside a git work tree. */
export async function repoTop(dir: string): Promise<string | undefined> {
  try {
    return (await git(dir, ['rev-parse', '--show-toplevel'])).toString('utf8').trim() || undefined;
  } catch {
    return undefined;
  }
}

/** The checked-out commit (HEAD) of the work tree at `cwd`, lower-case. Throws (ActionFailure) when it cannot be read. */
export async function headCommit(cwd: string): Promise<string> {
  const sha = (await git(cwd, ['rev-parse', '--verify', 'HEAD^{commit}'])).toString('utf8').trim().toLowerCase();
  if (!SHA.test(sha)) throw new ActionFailure(`git rev-parse HEAD gave ${JSON.stringify(sha.slice(0, 80))}, not a commit sha`);
  return sha;
}

export async function hasCommit(cwd: string, sha: string): Promise<boolean> {
  try {
    await git(cwd, ['cat-file', '-e', `${sha}^{commit}`]);
    return true;
  } catch {
    return false;
  }
}

/** Fetch `sha` from origin when the shallow checkout does not have it. Fails closed with the reason. */
export async function ensureCommit(cwd: string, sha: string, what = 'the base commit'): Promise<'present' | 'fetched'> {
  if (!SHA.test(sha)) throw new ActionFailure(`not a commit sha: ${JSON.stringify(sha.slice(0, 80))}`);
  if (await hasCommit(cwd, sha)) return 'present';
  try {
    await git(cwd, ['fetch', '--no-tags', '--no-recurse-submodules', '--depth=1', 'origin', sha]);
  } catch (e) {
    throw new ActionFailure(
      `${what} ${sha.slice(0, 12)} is not in the checkout and fetching it failed (${(e as Error).message}): ` +
        'check out with actions/checkout (keep persist-credentials, or use fetch-depth: 0) so it can be read',
    );
  }
  if (!(await hasCommit(cwd, sha))) throw new ActionFailure(`${what} ${sha.slice(0, 12)} could not be fetched from origin`);
  return 'fetched';
}

/** Parse `git diff --name-status -z -M` output. Paths are relative to the repository's top. */
export function parseNameStatus(out: string): ChangedFile[] {
  const parts = out.split('\0');
  const files: ChangedFile[] = [];
  for (let i = 0; i < parts.length; ) {
    const code = parts[i++];
    if (!code) continue;
    const kind = code[0];
    if (kind === 'R' || kind === 'C') {
      const from = parts[i++] ?? '';
      const to = parts[i++] ?? '';
      files.push(kind === 'R' ? { path: to, status: 'renamed', previousPath: from } : { path: to, status: 'copied', previousPath: from });
      continue;
    }
    const p = parts[i++] ?? '';
    files.push({ path: p, status: kind === 'A' ? 'added' : kind === 'D' ? 'removed' : 'modified' });
  }
  return files;
}

export async function diffNameStatus(cwd: string, base: string, head: string): Promise<ChangedFile[]> {
  const out = await git(cwd, ['-c', 'core.quotepath=false', 'diff', '--no-ext-diff', '--name-status', '-z', '-M', base, head, '--']);
  return parseNameStatus(out.toString('utf8'));
}
