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
import { redact, redactSecrets } from './scanner/index.js';
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

/** Control, line-separator and bidirectional-formatting characters: escaped so a message stays one honest line. */
const UNSAFE_CHARS = /[\u0000-\u001f\u007f-\u009f\u061c\u200b-\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069\ufeff]/g;
const ESCAPES: Record<string, string> = { '\n': '\\n', '\r': '\\r', '\t': '\\t' };

/** `a\nb` -> `a\\nb`: one line, no forged lines, no reordered text. */
export function escapeControls(text: string): string {
  return text.replace(UNSAFE_CHARS, (c) => ESCAPES[c] ?? `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

/**
 * A user-given argument or path as a message may echo it: detected secrets redacted, and any word (letters, digits,
 * `_`, `-`) holding a run of 20 or more letters and digits shortened to a prefix and its length (a token glued to other
 * text can escape the detectors: `x_ghp_…`), then escaped to one line.
 */
export function shown(text: string): string {
  return escapeControls(redactSecrets(text).replace(/[\w-]*[A-Za-z0-9]{20,}[\w-]*/g, (word) => redact(word)));
}

/** Whether `p` is `dir` or lies below it (lexically: both resolved, no link followed). */
export function isWithin(dir: string, p: string): boolean {
  const rel = path.relative(path.resolve(dir), path.resolve(dir, p));
  return rel === '' || (!path.isAbsolute(rel) && rel !== '..' && !rel.startsWith(`..${path.sep}`));
}

/** How a path is named to the user: relative to `from` (the current directory) when inside it, else absolute. */
export function pathFrom(from: string, p: string): string {
  const abs = path.resolve(from, p);
  return toPosix(isWithin(from, abs) ? path.relative(from, abs) || '.' : abs);
}

/** A path in a message: pathFrom(), then shown(). */
export const shownPath = (from: string, p: string): string => shown(pathFrom(from, p));

/** Walk a directory; returns the matched files with their bytes. A symlink that matches is reported, not read. */
export async function loadTree(root: string, config: Config): Promise<InputFile[]> {
  let st;
  try {
    st = await lstat(root);
  } catch {
    throw new EvaluationError(`${shown(root)}: no such file or directory`);
  }
  if (!st.isDirectory()) throw new EvaluationError(`${shown(root)}: not a directory (symbolic links are never followed)`);
  const out: InputFile[] = [];
  const walk = async (dir: string): Promise<void> => {
    let entries;
    try {
      entries = await readdir(dir, { withFileTypes: true });
    } catch (e) {
      throw new EvaluationError(`cannot read directory ${shown(toPosix(path.relative(root, dir)) || '.')}: ${(e as NodeJS.ErrnoException).code ?? 'error'}`);
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
    throw new EvaluationError(`git ${args[0]} failed: ${shown(why ?? '')}`);
  }
}

/** The matched files of a git revision (for the transition rules and the policy-from-base rule). */
export async function loadGitTree(root: string, ref: string, config: Config): Promise<InputFile[]> {
  if (!/^[A-Za-z0-9._/@^~{}:-]+$/.test(ref) || ref.startsWith('-')) throw new EvaluationError(`not a git revision: "${shown(ref)}"`);
  await git(root, ['rev-parse', '--verify', '--quiet', `${ref}^{commit}`]).catch(() => {
    throw new EvaluationError(`git revision ${shown(ref)} not found in ${shown(root)}`);
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
