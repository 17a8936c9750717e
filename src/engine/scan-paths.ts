/**
 * `sot-gate scan [PATH...]`: walk files under root (no symlinks followed, .git and node_modules
 * skipped), scan each one streaming, apply severities and suppressions, return a CheckResult.
 * A PATH must be a regular file or a directory; symbolic links and special files (FIFO, socket, device) met inside a
 * directory are skipped and counted in a note, never read.
 */
import { lstat, readdir } from 'node:fs/promises';
import path from 'node:path';
import { globMatch } from './glob.js';
import { severityFor, type Config } from './config.js';
import { scanFile, scannerOptions } from './scanner/index.js';
import type { ScanOptions } from './scanner/types.js';
import { compareFindings, fingerprintOf, scannerSeverity } from './check.js';
import { loadBaseline } from './load.js';
import { classify, decodeName, nameFindings, shown, shownPath, toPosix } from './tree.js';
import { IGNORED_DIRECTIVE_ID } from './rules/suppress/ignored-directive.js';
import { applySuppressions, ignoredSuppressions, type AllowDirective } from './suppress.js';
import { EvaluationError, summarize, type CheckResult, type Finding } from './types.js';

const ALWAYS_SKIPPED = new Set(['.git', 'node_modules']);
/** An errno code at the start of a message (a worker thread sends the message only). */
const CODE = /^(E[A-Z]+):/;
/** Files in flight at once (streamed logs interleave; a worker pool keeps this many requests queued or running). */
export const IN_FLIGHT = 16;

/** How a file is scanned: in this thread by default; the CLI passes a pool of worker threads (src/cli/scan-pool.ts). */
export type ScanFileFn = typeof scanFile;
/** Chooses how to scan, once the walk knows how many files and bytes there are. */
export type ChooseScanner = (files: number, bytes: number) => ScanFileFn;

interface Walked {
  abs: string;
  size: number;
}

/** What the walk found: the files to scan, and the entries it did not read (relative paths). */
interface Walk {
  files: Walked[];
  links: string[];
  special: string[];
}

/** A PATH argument (explicit: anything but a regular file or directory is refused), or an entry met inside one. */
async function walk(root: string, start: string, ignore: string[], out: Walk, explicit = false): Promise<void> {
  const rel = toPosix(path.relative(root, start));
  if (rel && ignore.some((g) => globMatch(rel, g))) return;
  let st;
  try {
    st = await lstat(start);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw new EvaluationError(`${shownPath(root, start)}: ${code === 'ENOENT' || code === 'ENOTDIR' ? 'no such file or directory' : `cannot be read (${code ?? 'error'})`}`);
  }
  if (st.isFile()) {
    out.files.push({ abs: start, size: st.size });
    return;
  }
  if (!st.isDirectory()) {
    if (explicit) throw new EvaluationError(`${shownPath(root, start)}: not a regular file or directory (symbolic links are never followed)`);
    (st.isSymbolicLink() ? out.links : out.special).push(rel);
    return;
  }
  let entries;
  try {
    entries = await readdir(start, { withFileTypes: true, encoding: 'buffer' });
  } catch (e) {
    throw new EvaluationError(`cannot read directory ${shownPath(root, start)}: ${(e as NodeJS.ErrnoException).code ?? 'error'}`);
  }
  const names = entries.map((e) => decodeName(e.name));
  // A name that is not UTF-8 cannot be opened by its shown name: could not evaluate, with the name shown escaped.
  const bad = names.find((n) => !n.valid && !ignore.some((g) => globMatch(toPosix(path.relative(root, path.join(start, n.name))), g)));
  if (bad) throw new EvaluationError(`${shownPath(root, path.join(start, bad.name))}: the name is not valid UTF-8, so it cannot be scanned (rename it)`);
  for (const name of names.map((n) => n.name).sort()) {
    if (ALWAYS_SKIPPED.has(name)) continue;
    await walk(root, path.join(start, name), ignore, out);
  }
}

/** `skipped 2 binary file(s): a, b`: the first 20 paths, each shown() (a path is input: it may hold anything). */
function skipNote(what: string, rels: string[]): string[] {
  if (!rels.length) return [];
  const list = [...new Set(rels)].sort();
  return [`skipped ${list.length} ${what}: ${list.slice(0, 20).map(shown).join(', ')}${list.length > 20 ? ', …' : ''}`];
}

/** SOT and admission files by the same globs `check` uses; anything else is an artifact. */
function kindOf(rel: string, config: Config): ScanOptions['kind'] {
  return classify(rel, config) ?? 'artifact';
}

export async function scanPaths(
  root: string,
  paths: string[],
  config: Config,
  today = new Date().toISOString().slice(0, 10),
  choose: ChooseScanner = () => scanFile,
): Promise<CheckResult> {
  const absRoot = path.resolve(root);
  const walked: Walk = { files: [], links: [], special: [] };
  for (const p of paths.length ? paths : ['.']) await walk(absRoot, path.resolve(absRoot, p), config.ignore, walked, true);
  const files = walked.files;
  // Largest first: with several threads, a big log started last would leave the others idle at the end.
  const seen = new Set<string>();
  const distinct = files.filter((f) => !seen.has(f.abs) && seen.add(f.abs));
  const unique = distinct.sort((a, b) => b.size - a.size || (a.abs < b.abs ? -1 : a.abs > b.abs ? 1 : 0)).map((f) => f.abs);
  const scan = choose(unique.length, distinct.reduce((n, f) => n + f.size, 0));
  const baseline = await loadBaseline(absRoot, config);

  const findings: Finding[] = [];
  const allows: AllowDirective[] = [];
  const binaries: string[] = [];
  const evaluated: string[] = [];
  let next = 0;
  const worker = async () => {
    while (next < unique.length) {
      const abs = unique[next++]!;
      const rel = toPosix(path.relative(absRoot, abs)) || toPosix(path.basename(abs));
      const opts = scannerOptions(config, kindOf(rel, config));
      const res = await scan(abs, rel, opts, config.secrets['max-file-size']).catch((e: unknown) => {
        // A file that vanished or cannot be opened: name it (shown) with the reason, never an internal error with its path.
        const code = (e as NodeJS.ErrnoException | undefined)?.code ?? CODE.exec(String((e as Error | undefined)?.message ?? ''))?.[1];
        if (!code?.startsWith('E')) throw e;
        throw new EvaluationError(`cannot read ${shownPath(absRoot, abs)}: ${code}`);
      });
      if (res.binary) {
        binaries.push(rel);
        continue;
      }
      evaluated.push(rel);
      allows.push(...res.allows);
      for (const f of res.findings) {
        const ruleId = f.ruleId ?? 'secret/unknown';
        const severity = severityFor(config, ruleId, scannerSeverity(ruleId));
        if (severity === 'off') continue;
        findings.push({ ...f, ruleId, severity });
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(IN_FLIGHT, unique.length) }, worker));

  // A token used as a file or directory name: a finding on that path (shown redacted, like every path).
  for (const f of nameFindings([...new Set([...evaluated, ...binaries, ...walked.links, ...walked.special])], config)) {
    const severity = severityFor(config, f.ruleId!, scannerSeverity(f.ruleId!));
    if (severity !== 'off') findings.push({ ...f, ruleId: f.ruleId!, severity });
  }
  const { active, suppressed } = applySuppressions(findings, allows, baseline, today);
  // A directive that cannot count (outside Markdown prose, or naming a governance rule) is reported, never silently inert.
  const ignoredSeverity = severityFor(config, IGNORED_DIRECTIVE_ID, 'warning');
  if (ignoredSeverity !== 'off') {
    for (const i of ignoredSuppressions(allows, baseline, config.secrets.baseline ?? 'baseline')) {
      active.push({ ruleId: IGNORED_DIRECTIVE_ID, severity: ignoredSeverity, file: i.file, line: i.line, message: i.message, fingerprint: fingerprintOf(IGNORED_DIRECTIVE_ID, i.file, i.message) });
    }
  }
  active.sort(compareFindings);
  suppressed.sort(compareFindings);
  evaluated.sort();
  binaries.sort();
  const notes = [
    ...skipNote('binary file(s)', binaries),
    ...skipNote('symbolic link(s), never followed', walked.links),
    ...skipNote('special file(s) (FIFO, socket or device), never read', walked.special),
  ];
  return {
    version: 1,
    summary: summarize(evaluated.length, active, suppressed),
    findings: active,
    suppressed,
    notes,
    admittedPairs: [],
    filesEvaluated: evaluated,
  };
}
