/**
 * Reading the files to evaluate: from a directory (symbolic links are never followed, never read through),
 * or from a git revision. Every path is relative to the root with POSIX separators.
 *
 * Nothing that could hold a governance file is skipped silently: a symbolic link to a directory and a directory whose
 * name is not valid UTF-8 are entries that cannot be evaluated (sot/unreadable), like such a file.
 */
import { isUtf8 } from 'node:buffer';
import { execFile } from 'node:child_process';
import { lstat, readdir, readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';
import { globMatch } from './glob.js';
import type { Config } from './config.js';
import { fingerprint, redact, redactSecrets, scannerOptions, scanText } from './scanner/index.js';
import { EvaluationError, type RawFinding } from './types.js';

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
/** Directory names never walked into (nor reported when they are links). */
const SKIPPED_NAMES = new Set(['.git', 'node_modules']);

/** The built-in and the policy's `ignore` globs, as written (case-sensitive: they exclude exactly what they name). */
const isIgnored = (rel: string, config: Config) => [...ALWAYS_IGNORED, ...config.ignore].some((g) => globMatch(rel, g));

/**
 * sot | admission | undefined for a relative path. Admission globs win (a .json is never Markdown). The `sot-files` and
 * `admission-files` globs match whatever the case of a letter (`x-admission.Json`, `.SOT/a.MD`): a file that differs
 * from the convention only in case is still a governance file (a case-insensitive file system opens it under the
 * conventional name), so it is checked, never skipped.
 */
export function classify(rel: string, config: Config): FileKind | undefined {
  if (isIgnored(rel, config)) return undefined;
  if (config['admission-files'].some((g) => globMatch(rel, g, { nocase: true }))) return 'admission';
  if (config['sot-files'].some((g) => globMatch(rel, g, { nocase: true }))) return 'sot';
  return undefined;
}

/**
 * The kind of governance file a directory `rel` could hold (a glob could match a path below it), or undefined when
 * none could or everything below it is ignored. SOT first: `.sot` could hold both.
 */
export function mayHold(rel: string, config: Config): FileKind | undefined {
  if (isIgnored(rel, config) || isIgnored(`${rel}/x/x`, config)) return undefined;
  if (config['sot-files'].some((g) => globMatch(rel, g, { nocase: true, partial: true }))) return 'sot';
  if (config['admission-files'].some((g) => globMatch(rel, g, { nocase: true, partial: true }))) return 'admission';
  return undefined;
}

export const DIRECTORY_LINK = 'is a symbolic link to a directory: sot-gate does not follow links, so no file under it is checked (replace the link with the directory, or add it to `ignore`)';
export const OUTSIDE_LINK = 'is a symbolic link to a path outside the repository: sot-gate does not follow links (if it is a directory, no file under it is checked)';
export const NON_UTF8_DIRECTORY = 'is a directory whose name is not valid UTF-8: no file under it is checked (rename it)';
export const NON_UTF8_FILE = 'has a name that is not valid UTF-8 (rename it)';

/**
 * A name as raw bytes, shown: valid UTF-8 as text, every byte of an invalid sequence as `\xNN` (two different invalid
 * names stay different, and the result is valid text). `valid` tells whether there were none.
 */
export function decodeName(bytes: Uint8Array): { name: string; valid: boolean } {
  const buf = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (isUtf8(buf)) return { name: buf.toString('utf8'), valid: true };
  let name = '';
  let i = 0;
  while (i < buf.length) {
    const b = buf[i]!;
    const len = b < 0x80 ? 1 : b >= 0xc2 && b <= 0xdf ? 2 : b >= 0xe0 && b <= 0xef ? 3 : b >= 0xf0 && b <= 0xf4 ? 4 : 0;
    const seq = len ? buf.subarray(i, i + len) : undefined;
    if (seq && seq.length === len && isUtf8(seq)) {
      name += seq.toString('utf8');
      i += len;
    } else {
      name += `\\x${b.toString(16).padStart(2, '0')}`;
      i++;
    }
  }
  return { name, valid: false };
}

/** Paths scanned per scanText call (a blank line between two): far below the scanner's per-rule cap per text. */
const NAMES_PER_BLOCK = 64;

/**
 * A secret or a private endpoint value used as a file or directory name: the scanner's findings on the paths
 * themselves (rule id of the detector, line 1 of that path, redacted message). The paths are scanned as plain text
 * (several per call, one per line with a blank line between, so no value spans two), never as documentation (a
 * `sot-gate:example` in a name marks nothing), and a path is not a Target Repository exposure (path/target-repository
 * is for paths written in content).
 */
export function nameFindings(rels: readonly string[], config: Config): RawFinding[] {
  const opts = scannerOptions(config, 'artifact');
  const out: RawFinding[] = [];
  for (let i = 0; i < rels.length; i += NAMES_PER_BLOCK) {
    const block = rels.slice(i, i + NAMES_PER_BLOCK);
    // A name may hold a line break: a space keeps every column and keeps one path per line.
    const text = block.map((r) => r.replace(/[\r\n]/g, ' ')).join('\n\n');
    for (const s of scanText(text, '', opts)) {
      const rel = block[Math.floor((s.line - 1) / 2)];
      if (!s.ruleId || s.ruleId === 'path/target-repository' || rel === undefined) continue;
      const where = (s.column ?? 1) - 1 > rel.lastIndexOf('/') ? 'in the file name' : 'in a directory name of this path';
      out.push({ ruleId: s.ruleId, file: rel, line: 1, message: `${where}: ${s.message}`, fingerprint: fingerprint(s.ruleId, rel, `name\0${s.fingerprint ?? ''}`) });
    }
  }
  return out;
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

/**
 * Walk a directory; returns the matched files with their bytes. A symlink that matches is reported, not read; so is a
 * symbolic link to a directory and a directory whose name is not valid UTF-8 where a governance file could be
 * (mayHold): never followed, never skipped silently.
 */
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
      entries = await readdir(dir, { withFileTypes: true, encoding: 'buffer' });
    } catch (e) {
      throw new EvaluationError(`cannot read directory ${shown(toPosix(path.relative(root, dir)) || '.')}: ${(e as NodeJS.ErrnoException).code ?? 'error'}`);
    }
    const named = entries.map((ent) => ({ ent, ...decodeName(ent.name) }));
    named.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : Buffer.compare(a.ent.name, b.ent.name)));
    for (const { ent, name, valid } of named) {
      if (SKIPPED_NAMES.has(name)) continue;
      const relDir = toPosix(path.relative(root, dir));
      const rel = relDir ? `${relDir}/${name}` : name;
      const holds = ent.isDirectory() || ent.isSymbolicLink() ? mayHold(rel, config) : undefined;
      if (!valid) {
        // Not nameable as a string path: reported under its shown name, never opened, never walked into.
        const kind = classify(rel, config);
        const linked = ent.isSymbolicLink() && holds !== undefined && (await isDirectoryLink(Buffer.concat([Buffer.from(dir + path.sep), ent.name])));
        if (holds && (ent.isDirectory() || linked)) out.push({ path: rel, kind: holds, error: NON_UTF8_DIRECTORY });
        else if (kind) out.push({ path: rel, kind, error: NON_UTF8_FILE });
        continue;
      }
      const abs = path.join(dir, name);
      if (ent.isDirectory()) {
        await walk(abs);
        continue;
      }
      const kind = classify(rel, config);
      if (ent.isSymbolicLink()) {
        if (kind) out.push({ path: rel, kind, error: 'is a symbolic link (never followed: a link could point outside the workspace)' });
        else if (holds && (await isDirectoryLink(abs))) out.push({ path: rel, kind: holds, error: DIRECTORY_LINK });
        continue;
      }
      if (!kind) continue;
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

/** Whether a symbolic link leads to a directory (its target's type only: nothing under it is read). */
async function isDirectoryLink(abs: string | Buffer): Promise<boolean> {
  try {
    return (await stat(abs)).isDirectory();
  } catch {
    return false; // dangling or a loop: nothing could be read through it
  }
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

/** Split a buffer at every `sep` byte. */
function splitBytes(buf: Buffer, sep: number): Buffer[] {
  const parts: Buffer[] = [];
  let start = 0;
  for (let i = buf.indexOf(sep); i >= 0; i = buf.indexOf(sep, start)) {
    parts.push(buf.subarray(start, i));
    start = i + 1;
  }
  parts.push(buf.subarray(start));
  return parts;
}

/**
 * The matched files of a git revision (for the transition rules and the policy-from-base rule). Entries are judged as
 * loadTree judges them on disk: a symbolic link (mode 120000) is never followed; one that leads to a directory of the
 * revision (or out of the repository) where a governance file could be, and a directory whose name is not valid UTF-8,
 * are entries that cannot be evaluated.
 */
export async function loadGitTree(root: string, ref: string, config: Config): Promise<InputFile[]> {
  if (!/^[A-Za-z0-9._/@^~{}:-]+$/.test(ref) || ref.startsWith('-')) throw new EvaluationError(`not a git revision: "${shown(ref)}"`);
  await git(root, ['rev-parse', '--verify', '--quiet', `${ref}^{commit}`]).catch(() => {
    throw new EvaluationError(`git revision ${shown(ref)} not found in ${shown(root)}`);
  });
  const prefix = (await git(root, ['rev-parse', '--show-prefix'])).toString('utf8').trim();
  const listing = await git(root, ['ls-tree', '-r', '-z', '--full-tree', ref]);
  const entries: Array<{ mode: string; type: string; oid: string; full: string; parts: Array<{ name: string; valid: boolean }> }> = [];
  for (const entry of splitBytes(listing, 0)) {
    if (!entry.length) continue;
    const tab = entry.indexOf(0x09);
    const [mode = '', type = '', oid = ''] = entry.subarray(0, tab).toString('utf8').split(' ');
    const parts = splitBytes(entry.subarray(tab + 1), 0x2f).map(decodeName);
    entries.push({ mode, type, oid, full: parts.map((p) => p.name).join('/'), parts });
  }
  const dirs = new Set<string>(['.']);
  const links = new Map<string, string>();
  for (const e of entries) {
    for (let i = e.full.indexOf('/'); i >= 0; i = e.full.indexOf('/', i + 1)) dirs.add(e.full.slice(0, i));
    if (e.mode === '120000') links.set(e.full, e.oid);
  }
  /** Where a link of the revision leads: a directory, outside the repository, or elsewhere (a file, nothing). */
  const linkKind = async (full: string): Promise<'directory' | 'outside' | undefined> => {
    let at = full;
    for (let hops = 0; hops < 16; hops++) {
      const target = (await git(root, ['cat-file', 'blob', links.get(at) ?? ''])).toString('utf8');
      const resolved = path.posix.normalize(path.posix.join(path.posix.dirname(at), target));
      if (path.posix.isAbsolute(target) || resolved === '..' || resolved.startsWith('../')) return 'outside';
      if (dirs.has(resolved.replace(/\/$/, '') || '.')) return 'directory';
      if (!links.has(resolved)) return undefined;
      at = resolved;
    }
    return 'outside'; // a chain too long to follow: cannot tell where it leads
  };
  const out: InputFile[] = [];
  const reported = new Set<string>();
  for (const { mode, type, oid, full, parts } of entries) {
    if (prefix && !full.startsWith(prefix)) continue;
    const rel = full.slice(prefix.length);
    const bad = parts.findIndex((p) => !p.valid);
    if (bad >= 0) {
      // As on disk: a file with such a name is reported when it matches; a directory where one could be, once.
      const dirRel = parts.slice(0, bad + 1).map((p) => p.name).join('/').slice(prefix.length);
      const kind = bad === parts.length - 1 ? classify(rel, config) : undefined;
      const holds = bad < parts.length - 1 ? mayHold(dirRel, config) : undefined;
      if (kind) out.push({ path: rel, kind, error: NON_UTF8_FILE });
      else if (holds && !reported.has(dirRel)) {
        reported.add(dirRel);
        out.push({ path: dirRel, kind: holds, error: NON_UTF8_DIRECTORY });
      }
      continue;
    }
    const kind = classify(rel, config);
    if (type !== 'blob') continue; // submodules (commit) and trees are not files
    if (mode === '120000') {
      if (kind) out.push({ path: rel, kind, error: 'is a symbolic link (never followed: a link could point outside the workspace)' });
      else if (!SKIPPED_NAMES.has(path.posix.basename(rel))) {
        const holds = mayHold(rel, config);
        const leads = holds ? await linkKind(full) : undefined;
        if (holds && leads) out.push({ path: rel, kind: holds, error: leads === 'directory' ? DIRECTORY_LINK : OUTSIDE_LINK });
      }
      continue;
    }
    if (!kind) continue;
    out.push({ path: rel, kind, bytes: await git(root, ['cat-file', 'blob', oid]) });
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
