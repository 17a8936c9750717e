/**
 * The CLI adapter: argument parsing and exit codes around the pure engine.
 * Exit 0: no error findings. 1: error findings (or a blocked preflight). 2: could not evaluate.
 */
import { lstat } from 'node:fs/promises';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { evaluate } from '../engine/check.js';
import type { Config } from '../engine/config.js';
import { loadBaseline, loadConfig } from '../engine/load.js';
import { toJson } from '../engine/report/json.js';
import { toSarif } from '../engine/report/sarif.js';
import { toText } from '../engine/report/text.js';
import { scanPaths } from '../engine/scan-paths.js';
import { redactSecrets, scanFile } from '../engine/scanner/index.js';
import { parseBaseline, type BaselineEntry } from '../engine/suppress.js';
import { classify, escapeControls, gitShow, isWithin, loadGitTree, loadTree, pathFrom, shown, shownPath, toPosix } from '../engine/tree.js';
import { EvaluationError, type CheckResult } from '../engine/types.js';
import { defaultThreads, MAX_THREADS, type ScanPool } from './scan-pool.js';
import { STAGE2_COMMAND_HELP, STAGE2_COMMANDS, STAGE2_HELP, STAGE2_USAGE } from './stage2.js';
import { DEFAULT_MAX_COMMITS } from '../engine/git-scan.js';
import { scanGitRange, scanStaged } from '../git-scan-run.js';

export interface CliIO {
  stdout: (s: string) => void;
  stderr: (s: string) => void;
  cwd: string;
  env: Record<string, string | undefined>;
  /** Worker threads for `scan` (src/cli.ts passes them; absent in tests that run the CLI in-process). */
  scanPool?: (threads: number) => ScanPool;
}

export type Command = (args: string[], io: CliIO) => Promise<number>;

/** Inputs below this size are scanned in the main thread: starting a worker costs more than it saves. */
const PARALLEL_MIN_BYTES = 4 * 1024 * 1024;

const CHECK_LINE = 'sot-gate check [PATH...] [--config FILE] [--format text|json|sarif] [--base-ref REF | --base-dir DIR] [--exit-zero]';
const SCAN_LINE = 'sot-gate scan [PATH...] [--staged | --git-range A..B [--max-commits N]] [--config FILE] [--format text|json|sarif] [--threads N] [--exit-zero]';
const CHECK_TEXT = `check   SOT Markdown and admission JSON against the policy (decision status, admissions, work items, no-secret).
        A directory PATH (default .) is checked whole. A file PATH narrows the report to that file, checked in its tree:
        the nearest enclosing directory that holds .sot or .git, else the file's directory. The report is the union.
        --base-ref compares with a git revision (transition rules); --base-dir with a directory holding the earlier state.
`;
const SCAN_TEXT = `scan    any files (a harness run directory, logs) with the no-secret, endpoint and path rules.
        --threads N (1 to 8) scans on N threads (default: the available cores, at most 4; inputs under 4 MiB use one).
        --staged scans what \`git commit\` is about to record: the lines the index adds (not the work tree). A pre-commit hook.
        --git-range A..B scans the lines every commit of the range adds, and every commit message: a secret removed by a
        later commit is still in the history. At most --max-commits N commits (default ${DEFAULT_MAX_COMMITS}); more is exit 2.
`;
const COMMON_TEXT = `A PATH must be a regular file or a directory: symbolic links are never followed. An option may be given once.
--exit-zero prints the findings and exits 0 (a demonstration, not a gate).
Exit codes: 0 no error findings, 1 error findings, 2 could not evaluate (one line on stderr says why).
`;

export const USAGE = `Usage:
  ${CHECK_LINE}
  ${SCAN_LINE}
${STAGE2_USAGE}  sot-gate --help | --version | COMMAND --help

${CHECK_TEXT}${SCAN_TEXT}${STAGE2_HELP}${COMMON_TEXT}`;

/** `sot-gate check --help`, `sot-gate scan --help`; the other commands show USAGE. */
const COMMAND_HELP: Record<string, string> = {
  check: `Usage: ${CHECK_LINE}\n\n${CHECK_TEXT}${COMMON_TEXT}`,
  scan: `Usage: ${SCAN_LINE}\n\n${SCAN_TEXT}${COMMON_TEXT}`,
};

const FORMATS = ['text', 'json', 'sarif'] as const;
type Format = (typeof FORMATS)[number];

function format(value: string | undefined): Format {
  const f = value ?? 'text';
  if (!(FORMATS as readonly string[]).includes(f)) throw new EvaluationError(`--format must be one of ${FORMATS.join(', ')}, not "${shown(f)}"`);
  return f as Format;
}

export function render(result: CheckResult, fmt: Format): string {
  return fmt === 'json' ? toJson(result) : fmt === 'sarif' ? toSarif(result) : toText(result);
}

const exitFor = (result: CheckResult, exitZero: boolean) => (exitZero || result.summary.errors === 0 ? 0 : 1);

type Token = NonNullable<ReturnType<typeof parseArgs>['tokens']>[number];

/**
 * What parseArgs lets through: an option given twice (which one would win?) and an empty value (`--base-ref ""` from an
 * unset variable must not turn the transition rules off) are exit 2; so is an empty PATH (it would mean `.`).
 */
function strict(tokens: Token[] | undefined): void {
  const seen = new Set<string>();
  for (const t of tokens ?? []) {
    if (t.kind === 'positional' && t.value === '') throw new EvaluationError('a PATH is an empty string');
    if (t.kind !== 'option') continue;
    if (seen.has(t.name)) throw new EvaluationError(`--${t.name} given twice`);
    seen.add(t.name);
    if (t.value === '') throw new EvaluationError(`--${t.name} is empty: give a value`);
  }
}

/** An explicit PATH: a directory or a regular file. Anything else is exit 2: a link is never followed, a FIFO never read. */
async function target(cwd: string, given: string): Promise<{ abs: string; dir: boolean }> {
  const abs = path.resolve(cwd, given);
  let st;
  try {
    st = await lstat(abs);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw new EvaluationError(`${shownPath(cwd, abs)}: ${code === 'ENOENT' || code === 'ENOTDIR' ? 'no such file or directory' : `cannot be read (${code ?? 'error'})`}`);
  }
  if (!st.isDirectory() && !st.isFile()) throw new EvaluationError(`${shownPath(cwd, abs)}: not a regular file or directory (symbolic links are never followed)`);
  return { abs, dir: st.isDirectory() };
}

/** The tree a file PATH is checked in: the nearest enclosing directory that holds `.sot` or `.git`, else its own directory. */
async function treeOf(file: string): Promise<string> {
  const has = (p: string, dirOnly: boolean) =>
    lstat(p).then(
      (st) => !dirOnly || st.isDirectory(),
      () => false,
    );
  for (let dir = path.dirname(file); ; dir = path.dirname(dir)) {
    if ((await has(path.join(dir, '.sot'), true)) || (await has(path.join(dir, '.git'), false))) return dir;
    if (path.dirname(dir) === dir) return path.dirname(file);
  }
}

/** The options `check` and `scan` share. */
const REPORT_OPTIONS = {
  config: { type: 'string' },
  format: { type: 'string' },
  'exit-zero': { type: 'boolean', default: false },
} as const;

/** --config, resolved, with its name for messages. */
const configArg = (cwd: string, given: string | undefined) => (given === undefined ? [] : ([path.resolve(cwd, given), shownPath(cwd, given)] as const));

const isMissing = (e: unknown) => e instanceof EvaluationError && e.message.endsWith('ENOENT');

/** The baseline of the earlier state (--base-ref or --base-dir); none when it has no baseline file. */
async function baseBaseline(config: Config, at: { root: string; ref: string } | { dir: string }): Promise<BaselineEntry[]> {
  const rel = config.secrets.baseline;
  if (!rel) return [];
  if ('dir' in at) return loadBaseline(at.dir, config).catch((e: unknown) => (isMissing(e) ? [] : Promise.reject(e)));
  const text = await gitShow(at.root, at.ref, toPosix(path.normalize(rel)));
  return text ? parseBaseline(text.toString('utf8'), `${rel} (${at.ref})`) : [];
}

const check: Command = async (args, io) => {
  const { values, positionals, tokens } = parseArgs({
    args,
    allowPositionals: true,
    tokens: true,
    options: { ...REPORT_OPTIONS, 'base-ref': { type: 'string' }, 'base-dir': { type: 'string' } },
  });
  strict(tokens);
  const fmt = format(values.format);
  if (values['base-ref'] !== undefined && values['base-dir'] !== undefined) {
    throw new EvaluationError('--base-ref and --base-dir cannot be used together: give one earlier state');
  }
  const baseDir = values['base-dir'] === undefined ? undefined : await target(io.cwd, values['base-dir']);
  if (baseDir && !baseDir.dir) throw new EvaluationError(`--base-dir ${shownPath(io.cwd, baseDir.abs)}: not a directory`);
  const [configFile, configName] = configArg(io.cwd, values.config);

  // Roots to evaluate, each whole (a directory PATH) or narrowed to the file PATHs in it. The same path given twice
  // counts once; a file inside a directory PATH adds nothing (the directory is reported whole).
  const targets = new Map<string, boolean>();
  for (const t of positionals.length ? positionals : ['.']) {
    const { abs, dir } = await target(io.cwd, t);
    targets.set(abs, dir);
  }
  const dirs = [...targets].filter(([, dir]) => dir).map(([abs]) => abs);
  const roots = new Map<string, Set<string> | undefined>(dirs.map((d) => [d, undefined]));
  for (const [file, dir] of targets) {
    if (dir || dirs.some((d) => isWithin(d, file))) continue;
    const root = await treeOf(file);
    roots.set(root, (roots.get(root) ?? new Set()).add(file));
  }

  const results: Array<{ root: string; result: CheckResult }> = [];
  const notes: string[] = [];
  for (const [root, only] of roots) {
    const { config } = await loadConfig(root, configFile, configName);
    let changed: Set<string> | undefined;
    if (only) {
      changed = new Set();
      for (const f of only) {
        const rel = toPosix(path.relative(root, f));
        if (classify(rel, config)) changed.add(rel);
        else notes.push(`${shownPath(io.cwd, f)} is not an SOT or admission file (sot-files, admission-files): not checked`);
      }
      // Nothing of this tree to report on: evaluating it would only add tree-wide findings nobody asked for.
      if (!changed.size) continue;
    }
    const input = await loadTree(root, config);
    const base = values['base-ref'] ? await loadGitTree(root, values['base-ref'], config) : baseDir ? await loadTree(baseDir.abs, config) : undefined;
    // With an earlier state, the baseline is its baseline, and the tree's entries it lacks are new (the CLI sees no
    // approvals, so they count for nothing: suppress/unapproved).
    const baseline = base ? await baseBaseline(config, values['base-ref'] ? { root, ref: values['base-ref'] } : { dir: baseDir!.abs }) : await loadBaseline(root, config);
    const headBaseline = base ? await loadBaseline(root, config).catch((e: unknown) => (isMissing(e) ? [] : Promise.reject(e))) : undefined;
    const result = evaluate({ files: input, config, baseline, ...(headBaseline ? { headBaseline } : {}), ...(base ? { base } : {}), ...(changed ? { changed } : {}) });
    results.push({ root, result });
  }
  const result = merge(
    results.map((r) => r.result),
    results.length > 1 ? results.map((r) => pathFrom(io.cwd, r.root)) : undefined,
  );
  result.notes.push(...notes);
  io.stdout(render(result, fmt));
  return exitFor(result, values['exit-zero']);
};

const scan: Command = async (args, io) => {
  const { values, positionals, tokens } = parseArgs({
    args,
    allowPositionals: true,
    tokens: true,
    options: { ...REPORT_OPTIONS, threads: { type: 'string' }, staged: { type: 'boolean', default: false }, 'git-range': { type: 'string' }, 'max-commits': { type: 'string' } },
  });
  strict(tokens);
  const fmt = format(values.format);
  const threads = values.threads === undefined ? defaultThreads() : threadCount(values.threads);
  const [configFile, configName] = configArg(io.cwd, values.config);
  const range = values['git-range'];
  if (values.staged || range !== undefined) {
    if (values.staged && range !== undefined) throw new EvaluationError('--staged and --git-range cannot be used together: scan the index or a range of commits');
    if (positionals.length) throw new EvaluationError(`${values.staged ? '--staged' : '--git-range'} scans git, not files: give no PATH`);
    if (values['max-commits'] !== undefined && range === undefined) throw new EvaluationError('--max-commits goes with --git-range');
    const { config } = await loadConfig(io.cwd, configFile, configName);
    const baseline = await loadBaseline(io.cwd, config);
    const result = range !== undefined
      ? await scanGitRange(io.cwd, range, config, { baseline, ...(values['max-commits'] !== undefined ? { maxCommits: maxCommits(values['max-commits']) } : {}) })
      : await scanStaged(io.cwd, config, { baseline });
    io.stdout(render(result, fmt));
    return exitFor(result, values['exit-zero']);
  }
  if (values['max-commits'] !== undefined) throw new EvaluationError('--max-commits goes with --git-range');
  const { config } = await loadConfig(io.cwd, configFile, configName);
  let pool: ScanPool | undefined;
  let result: CheckResult;
  try {
    result = await scanPaths(io.cwd, positionals.length ? positionals : ['.'], config, undefined, (files, bytes) => {
      if (!io.scanPool || threads < 2 || files < 2 || bytes < PARALLEL_MIN_BYTES) return scanFile;
      pool = io.scanPool(Math.min(threads, files));
      return pool.scanFile;
    });
  } finally {
    await pool?.close();
  }
  io.stdout(render(result, fmt));
  return exitFor(result, values['exit-zero']);
};

function maxCommits(v: string): number {
  const n = Number(v);
  if (!/^\d+$/.test(v) || n < 1 || n > 1_000_000) throw new EvaluationError(`--max-commits must be a whole number from 1 to 1000000, not "${shown(v)}"`);
  return n;
}

function threadCount(v: string): number {
  const n = Number(v);
  if (!/^\d+$/.test(v) || n < 1 || n > MAX_THREADS) throw new EvaluationError(`--threads must be a whole number from 1 to ${MAX_THREADS}, not "${shown(v)}"`);
  return n;
}

/** Several roots: prefix each finding's file with its root so paths stay unambiguous. */
function merge(results: CheckResult[], prefixes?: string[]): CheckResult {
  if (results.length === 1 && !prefixes) return { ...results[0]!, notes: [...results[0]!.notes] };
  const pre = (i: number, f: string) => (prefixes?.[i] && prefixes[i] !== '.' ? `${prefixes[i]}/${f}` : f);
  const out: CheckResult = {
    version: 1,
    summary: { files: 0, errors: 0, warnings: 0, suppressed: 0 },
    findings: [],
    suppressed: [],
    notes: [],
    admittedPairs: [],
    filesEvaluated: [],
  };
  results.forEach((r, i) => {
    out.summary.files += r.summary.files;
    out.summary.errors += r.summary.errors;
    out.summary.warnings += r.summary.warnings;
    out.summary.suppressed += r.summary.suppressed;
    out.findings.push(...r.findings.map((f) => ({ ...f, file: pre(i, f.file) })));
    out.suppressed.push(...r.suppressed.map((f) => ({ ...f, file: pre(i, f.file) })));
    out.notes.push(...r.notes);
    out.admittedPairs.push(...r.admittedPairs.map((p) => ({ ...p, file: pre(i, p.file) })));
    out.filesEvaluated.push(...r.filesEvaluated.map((f) => pre(i, f)));
  });
  return out;
}

/** Subcommands; later modules register more (preflight, verify-evidence, evidence, dispatch). */
export const COMMANDS: Record<string, Command> = { check, scan, ...STAGE2_COMMANDS };

export async function runCli(argv: string[], io: CliIO): Promise<number> {
  const [cmd, ...rest] = argv;
  if (cmd === '--help' || cmd === '-h' || cmd === 'help') {
    io.stdout(USAGE);
    return 0;
  }
  if (cmd === '--version') {
    io.stdout('sot-gate 0.1.0\n');
    return 0;
  }
  if (!cmd) {
    io.stdout(USAGE);
    io.stderr('sot-gate: no command given (see sot-gate --help)\n');
    return 2;
  }
  const command = Object.hasOwn(COMMANDS, cmd) ? COMMANDS[cmd] : undefined;
  if (!command) {
    io.stderr(`sot-gate: unknown command "${shown(cmd)}" (see sot-gate --help)\n`);
    return 2;
  }
  const end = rest.indexOf('--');
  if ((end === -1 ? rest : rest.slice(0, end)).some((a) => a === '--help' || a === '-h')) {
    io.stdout(COMMAND_HELP[cmd] ?? STAGE2_COMMAND_HELP[cmd] ?? USAGE);
    return 0;
  }
  try {
    return await command(rest, io);
  } catch (e) {
    io.stderr(`sot-gate: ${describeError(e)}\n`);
    return 2;
  }
}

/**
 * One clear line: EvaluationError and argument errors as they are; anything else is an internal fault. Detected secrets
 * are redacted and control characters escaped whatever the source; arguments are shown() where they are quoted.
 */
export function describeError(e: unknown): string {
  return escapeControls(redactSecrets(describeUnredacted(e)));
}

function describeUnredacted(e: unknown): string {
  if (e instanceof EvaluationError) return e.message;
  const err = e as { code?: string; message?: string; name?: string };
  if (typeof err?.code === 'string' && err.code.startsWith('ERR_PARSE_ARGS')) {
    return `${shown((err.message ?? 'bad arguments').replace(/\s*\n\s*/g, ' '))} (see sot-gate --help)`;
  }
  return `internal error (${shown(String(err?.name ?? 'Error'))}): ${shown((err?.message ?? String(e)).split('\n')[0] ?? '')}`;
}
