/**
 * The CLI adapter: argument parsing and exit codes around the pure engine.
 * Exit 0: no error findings. 1: error findings (or a blocked preflight). 2: could not evaluate.
 */
import { stat } from 'node:fs/promises';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { evaluate } from '../engine/check.js';
import { loadBaseline, loadConfig } from '../engine/load.js';
import { toJson } from '../engine/report/json.js';
import { toSarif } from '../engine/report/sarif.js';
import { toText } from '../engine/report/text.js';
import { scanPaths } from '../engine/scan-paths.js';
import { redactSecrets, scanFile } from '../engine/scanner/index.js';
import { loadGitTree, loadTree, toPosix } from '../engine/tree.js';
import { EvaluationError, type CheckResult } from '../engine/types.js';
import { defaultThreads, MAX_THREADS, type ScanPool } from './scan-pool.js';
import { STAGE2_COMMANDS, STAGE2_HELP, STAGE2_USAGE } from './stage2.js';

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

export const USAGE = `Usage:
  sot-gate check [PATH...] [--config FILE] [--format text|json|sarif] [--base-ref REF | --base-dir DIR] [--exit-zero]
  sot-gate scan [PATH...] [--config FILE] [--format text|json|sarif] [--threads N] [--exit-zero]
${STAGE2_USAGE}  sot-gate --help | --version

check   SOT Markdown and admission JSON against the policy (decision status, admissions, work items, no-secret).
scan    any files (a harness run directory, logs) with the no-secret, endpoint and path rules.
        --threads N (1 to 8) scans on N threads (default: the available cores, at most 4; inputs under 4 MiB use one).
${STAGE2_HELP}--base-ref compares with a git revision (transition rules); --base-dir with a directory holding the earlier state.
--exit-zero prints the findings and exits 0 (a demonstration, not a gate).
Exit codes: 0 no error findings, 1 error findings, 2 could not evaluate.
`;

const FORMATS = ['text', 'json', 'sarif'] as const;
type Format = (typeof FORMATS)[number];

function format(value: string | undefined): Format {
  const f = value ?? 'text';
  if (!(FORMATS as readonly string[]).includes(f)) throw new EvaluationError(`--format must be one of ${FORMATS.join(', ')}, not ${JSON.stringify(f)}`);
  return f as Format;
}

export function render(result: CheckResult, fmt: Format): string {
  return fmt === 'json' ? toJson(result) : fmt === 'sarif' ? toSarif(result) : toText(result);
}

const exitFor = (result: CheckResult, exitZero: boolean) => (exitZero || result.summary.errors === 0 ? 0 : 1);

async function isDir(p: string): Promise<boolean> {
  try {
    return (await stat(p)).isDirectory();
  } catch {
    throw new EvaluationError(`cannot read ${p}: no such file or directory`);
  }
}

/** The options `check` and `scan` share. */
const REPORT_OPTIONS = {
  config: { type: 'string' },
  format: { type: 'string' },
  'exit-zero': { type: 'boolean', default: false },
} as const;

const check: Command = async (args, io) => {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: { ...REPORT_OPTIONS, 'base-ref': { type: 'string' }, 'base-dir': { type: 'string' } },
  });
  const fmt = format(values.format);
  const targets = positionals.length ? positionals : ['.'];
  // Directories are roots; files narrow the report to themselves within the current directory's tree.
  const dirs: string[] = [];
  const files: string[] = [];
  for (const t of targets) ((await isDir(path.resolve(io.cwd, t))) ? dirs : files).push(t);
  if (files.length && !dirs.length) dirs.push('.');
  const results: CheckResult[] = [];
  for (const dir of dirs) {
    const root = path.resolve(io.cwd, dir);
    const { config } = await loadConfig(root, values.config ? path.resolve(io.cwd, values.config) : undefined);
    const input = await loadTree(root, config);
    const base = values['base-ref']
      ? await loadGitTree(root, values['base-ref'], config)
      : values['base-dir']
        ? await loadTree(path.resolve(io.cwd, values['base-dir']), config)
        : undefined;
    const changed = files.length ? new Set(files.map((f) => toPosix(path.relative(root, path.resolve(io.cwd, f))))) : undefined;
    results.push(
      evaluate({ files: input, config, baseline: await loadBaseline(root, config), ...(base ? { base } : {}), ...(changed ? { changed } : {}) }),
    );
  }
  const result = merge(results, dirs.length > 1 ? dirs.map((d) => toPosix(path.normalize(d))) : undefined);
  io.stdout(render(result, fmt));
  return exitFor(result, values['exit-zero']);
};

const scan: Command = async (args, io) => {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: { ...REPORT_OPTIONS, threads: { type: 'string' } },
  });
  const fmt = format(values.format);
  const threads = values.threads === undefined ? defaultThreads() : threadCount(values.threads);
  const { config } = await loadConfig(io.cwd, values.config ? path.resolve(io.cwd, values.config) : undefined);
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

function threadCount(v: string): number {
  const n = Number(v);
  if (!/^\d+$/.test(v) || n < 1 || n > MAX_THREADS) throw new EvaluationError(`--threads must be a whole number from 1 to ${MAX_THREADS}, not "${v}"`);
  return n;
}

/** Several roots: prefix each finding's file with its root so paths stay unambiguous. */
function merge(results: CheckResult[], prefixes?: string[]): CheckResult {
  if (results.length === 1 && !prefixes) return results[0]!;
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
  if (!cmd || cmd === '--help' || cmd === '-h' || cmd === 'help') {
    io.stdout(USAGE);
    return cmd ? 0 : 2;
  }
  if (cmd === '--version') {
    io.stdout('sot-gate 0.1.0\n');
    return 0;
  }
  const command = COMMANDS[cmd];
  if (!command) {
    io.stderr(`sot-gate: unknown command ${JSON.stringify(cmd)}\n${USAGE}`);
    return 2;
  }
  try {
    return await command(rest, io);
  } catch (e) {
    io.stderr(`sot-gate: ${describeError(e)}\n`);
    return 2;
  }
}

/** One clear line: EvaluationError and argument errors as they are; anything else is an internal fault. */
export function describeError(e: unknown): string {
  return redactSecrets(describeUnredacted(e));
}

function describeUnredacted(e: unknown): string {
  if (e instanceof EvaluationError) return e.message;
  const err = e as { code?: string; message?: string; name?: string };
  if (typeof err?.code === 'string' && err.code.startsWith('ERR_PARSE_ARGS')) return `${err.message ?? 'bad arguments'} (see sot-gate --help)`;
  return `internal error (${err?.name ?? 'Error'}): ${(err?.message ?? String(e)).split('\n')[0]}`;
}
