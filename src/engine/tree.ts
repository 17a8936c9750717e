/**
 * Reading the files to evaluate: from a directory (symbolic links are never followed, never read through),
 * or from a git revision. Every path is relative to the root with POSIX separators.
 */
import { execFile } from 'node:child_process';
import { lstat, readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';
import { globMatch } from './glob.js';
import type { Config } from './config.js';
import { EvaluationError } from './types.js';

const execFileP = promisify(execFile);

export type FileKind = 'sot' | 'admission';

export interface InputFile {
  path: string;
  kind: FileKind;
  /** File content, or why it could not be read. */
  bytes?: Uint8Array;
  error?: string;
}

const ALWAYS_IGNORED = ['**/node_modules/**', '**/.git/**', 'node_modules/**', '.git/**'];

/** sot | admission | undefined for a relative path. Admission globs win (a .json is never Markdown). */
export function classify(rel: string, config: Config): FileKind | undefined {
  if ([...ALWAYS_IGNORED, ...config.ignore].some((g) => globMatch(rel, g))) return undefined;
  if (config['admission-files'].some((g) => globMatch(rel, g))) return 'admission';
  if (config['sot-files'].some((g) => globMatch(rel, g))) return 'sot';
  return undefined;
}

export const toPosix = (p: string) => p.split(path.sep).join('/');

/** Walk a directory; returns the matched files with their bytes. A symlink that matches is reported, not read. */
export async function loadTree(root: string, config: Config): Promise<InputFile[]> {
  let st;
  try {
    st = await lstat(root);
  } catch {
    throw new EvaluationError(`cannot read ${root}: no such file or directory`);
  }
  if (!st.isDirectory()) throw new EvaluationError(`${root} is not a directory`);
  const out: InputFile[] = [];
  const walk = async (dir: string): Promise<void> => {
    let entries;
    try {
      entries = await readdir(dir, { withFileTypes: true });
    } catch (e) {
      throw new EvaluationError(`cannot read directory ${toPosix(path.relative(root, dir)) || '.'}: ${(e as NodeJS.ErrnoException).code ?? 'error'}`);
    }
    entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    for (const ent of entries) {
      const abs = path.join(dir, ent.name);
      const rel = toPosix(path.relative(root, abs));
      if (ent.isDirectory()) {
        if (ent.name === '.git' || ent.name === 'node_modules') continue;
        await walk(abs);
        continue;
      }
      const kind = classify(rel, config);
      if (!kind) continue;
      if (ent.isSymbolicLink()) {
        out.push({ path: rel, kind, error: 'is a symbolic link (never followed: a link could point outside the workspace)' });
        continue;
      }
      if (!ent.isFile()) {
        out.push({ path: rel, kind, error: 'is not a regular file' });
        continue;
      }
      out.push(await readInput(abs, rel, kind));
    }
  };
  await walk(root);
  return out;
}

export async function readInput(abs: string, rel: string, kind: FileKind): Promise<InputFile> {
  try {
    const st = await lstat(abs);
    if (st.isSymbolicLink()) return { path: rel, kind, error: 'is a symbolic link (never followed: a link could point outside the workspace)' };
    if (!st.isFile()) return { path: rel, kind, error: 'is not a regular file' };
    return { path: rel, kind, bytes: await readFile(abs) };
  } catch (e) {
    return { path: rel, kind, error: `cannot be read (${(e as NodeJS.ErrnoException).code ?? 'I/O error'})` };
  }
}

async function git(root: string, args: string[], maxBuffer = 64 * 1024 * 1024): Promise<Buffer> {
  try {
    const { stdout } = await execFileP('git', ['-C', root, ...args], { encoding: 'buffer', maxBuffer });
    return stdout;
  } catch (e) {
    const err = e as { stderr?: Buffer; message: string };
    const why = (err.stderr?.toString('utf8') || err.message).split('\n')[0]?.slice(0, 200);
    throw new EvaluationError(`git ${args[0]} failed: ${why}`);
  }
}

/** The matched files of a git revision (for the transition rules and the policy-from-base rule). */
export async function loadGitTree(root: string, ref: string, config: Config): Promise<InputFile[]> {
  if (!/^[A-Za-z0-9._/@^~{}:-]+$/.test(ref) || ref.startsWith('-')) throw new EvaluationError(`not a git revision: ${JSON.stringify(ref)}`);
  await git(root, ['rev-parse', '--verify', '--quiet', `${ref}^{commit}`]).catch(() => {
    throw new EvaluationError(`git revision ${ref} not found in ${root}`);
  });
  const prefix = (await git(root, ['rev-parse', '--show-prefix'])).toString('utf8').trim();
  const listing = (await git(root, ['ls-tree', '-r', '-z', '--full-tree', ref])).toString('utf8');
  const out: InputFile[] = [];
  for (const entry of listing.split('\0')) {
    if (!entry) continue;
    const tab = entry.indexOf('\t');
    const [mode, type, oid] = entry.slice(0, tab).split(' ');
    const full = entry.slice(tab + 1);
    if (prefix && !full.startsWith(prefix)) continue;
    const rel = full.slice(prefix.length);
    const kind = classify(rel, config);
    if (!kind) continue;
    if (type !== 'blob') continue; // submodules (commit) and trees are not files
    if (mode === '120000') {
      out.push({ path: rel, kind, error: 'is a symbolic link (never followed: a link could point outside the workspace)' });
      continue;
    }
    out.push({ path: rel, kind, bytes: await git(root, ['cat-file', 'blob', oid ?? '']) });
  }
  return out;
}

/** Read one file of a revision, or undefined when it does not exist there. */
export async function gitShow(root: string, ref: string, rel: string): Promise<Buffer | undefined> {
  try {
    const { stdout } = await execFileP('git', ['-C', root, 'show', `${ref}:./${rel}`], { encoding: 'buffer', maxBuffer: 64 * 1024 * 1024 });
    return stdout;
  } catch {
    return undefined;
  }
}
