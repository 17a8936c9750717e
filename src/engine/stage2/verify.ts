/**
 * verify-evidence: read a Stage 2 run directory, run the evidence/* rules over it, scan every artifact for secrets
 * and endpoints (streaming), and return one CheckResult, the same shape `sot-gate check` returns.
 */
import { createReadStream } from 'node:fs';
import { lstat, readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { compareFindings, fingerprintOf } from '../check.js';
import { severityFor, type Config } from '../config.js';
import { scanPaths } from '../scan-paths.js';
import { toPosix } from '../tree.js';
import { EvaluationError, summarize, type CheckResult, type Finding } from '../types.js';
import { readAdmissionFile, type AdmissionRead } from './admission-file.js';
import {
  deniedIds,
  inDir,
  isMarker,
  parseJsonObject,
  parseReport,
  parseTraceLine,
  type EndpointHit,
  type EvidenceContext,
  type TraceModel,
} from './context.js';
import { EVIDENCE_RULES, type EvidenceRule } from './rules/index.js';
import { ENV, RUN_FILES } from './vocabulary.js';

export interface VerifyOptions {
  /** The run directory (absolute). */
  runDir: string;
  /** How the run directory is shown in findings (relative to the working directory, or as given). */
  display: string;
  /** Repository root: a relative admission path resolves against it. */
  root: string;
  /** --admission-file; default: CTO_HARNESS_CASE_MODEL_ADMISSION_FILE from env. */
  admissionFile?: string;
  config: Config;
  env: Record<string, string | undefined>;
  today?: string;
}

export const MAX_REPORT_BYTES = 4 * 1024 * 1024;
const ALWAYS_SKIPPED = new Set(['.git', 'node_modules']);

async function listFiles(root: string): Promise<{ files: string[]; links: string[] }> {
  const files: string[] = [];
  const links: string[] = [];
  const walk = async (dir: string): Promise<void> => {
    const entries = await readdir(dir, { withFileTypes: true });
    entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    for (const e of entries) {
      if (ALWAYS_SKIPPED.has(e.name)) continue;
      const abs = path.join(dir, e.name);
      const rel = toPosix(path.relative(root, abs));
      if (e.isSymbolicLink()) links.push(rel);
      else if (e.isDirectory()) await walk(abs);
      else if (e.isFile()) files.push(rel);
    }
  };
  await walk(root);
  return { files, links };
}

async function readReport(abs: string): Promise<EvidenceContext['report']> {
  let st;
  try {
    st = await lstat(abs);
  } catch {
    return { present: false };
  }
  if (st.isSymbolicLink()) return { present: false, reason: 'report.json is a symbolic link, never followed' };
  if (!st.isFile()) return { present: false, reason: 'report.json is not a regular file' };
  if (st.size > MAX_REPORT_BYTES) return { present: true, keyLines: {}, problems: [{ line: 1, message: `larger than ${MAX_REPORT_BYTES} bytes` }] };
  return parseReport((await readFile(abs, 'utf8')).replace(/^\uFEFF/, ''));
}

/** trace.jsonl, line by line (streaming: a trace can be large). */
async function readTrace(abs: string, config: Config): Promise<TraceModel> {
  let st;
  try {
    st = await lstat(abs);
  } catch {
    return { present: false, entries: [], problems: [] };
  }
  if (st.isSymbolicLink() || !st.isFile()) return { present: true, entries: [], problems: [{ line: 1, message: 'trace.jsonl is not a regular file (symbolic links are never followed)' }] };
  const denied = deniedIds(config);
  const model: TraceModel = { present: true, entries: [], problems: [] };
  const rl = createInterface({ input: createReadStream(abs, { encoding: 'utf8' }), crlfDelay: Infinity });
  let n = 0;
  for await (const l of rl) {
    n++;
    const { entry, problem } = parseTraceLine(n === 1 ? l.replace(/^\uFEFF/, '') : l, n, denied);
    if (entry) model.entries.push(entry);
    if (problem) model.problems.push(problem);
  }
  return model;
}

/** The strings that identify an endpoint value: the value itself and its host[:port] (when specific enough). */
export function endpointNeedles(value: string): string[] {
  const v = value.trim().replace(/\/+$/, '');
  if (v.length < 4) return [];
  const out = [v];
  try {
    const u = new URL(v);
    const loopbackNoPort = !u.port && /^(localhost|127\.\d+\.\d+\.\d+|\[::1\])$/i.test(u.hostname);
    if (u.host && u.host.length >= 6 && !loopbackNoPort) out.push(u.host);
  } catch {
    /* not a URL: the literal value only */
  }
  return [...new Set(out)];
}

/** First line of `abs` containing one of the needles, streaming with an overlap so a needle split by chunks is found. */
async function findInFile(abs: string, needles: string[]): Promise<number | undefined> {
  const longest = Math.max(...needles.map((n) => n.length));
  let carry = '';
  let carryLine = 1;
  const stream = createReadStream(abs, { encoding: 'utf8', highWaterMark: 1 << 20 });
  try {
    for await (const chunk of stream as AsyncIterable<string>) {
      const text = carry + chunk;
      let best = -1;
      for (const n of needles) {
        const i = text.indexOf(n);
        if (i >= 0 && (best < 0 || i < best)) best = i;
      }
      if (best >= 0) return carryLine + countNewlines(text, 0, best);
      const keep = Math.max(0, text.length - (longest - 1));
      carryLine += countNewlines(text, 0, keep);
      carry = text.slice(keep);
    }
  } finally {
    stream.destroy();
  }
  return undefined;
}

function countNewlines(s: string, from: number, to: number): number {
  let n = 0;
  for (let i = s.indexOf('\n', from); i >= 0 && i < to; i = s.indexOf('\n', i + 1)) n++;
  return n;
}

async function endpointHits(runDir: string, files: string[], config: Config, env: Record<string, string | undefined>): Promise<EndpointHit[]> {
  const hits: EndpointHit[] = [];
  for (const variable of config.secrets['endpoint-variables']) {
    const needles = endpointNeedles(env[variable] ?? '');
    if (!needles.length) continue;
    for (const f of files) {
      const line = await findInFile(path.join(runDir, f), needles);
      if (line !== undefined) hits.push({ file: f, line, variable });
    }
  }
  return hits;
}

/** Build the evidence model of a run directory on disk. */
export async function loadEvidence(opts: VerifyOptions): Promise<{ ctx: EvidenceContext; links: string[] }> {
  let st;
  try {
    st = await lstat(opts.runDir);
  } catch {
    throw new EvaluationError(`cannot read run directory ${opts.display}: no such file or directory`);
  }
  if (st.isSymbolicLink()) throw new EvaluationError(`run directory ${opts.display} is a symbolic link (never followed)`);
  if (!st.isDirectory()) throw new EvaluationError(`${opts.display} is not a directory`);
  const { files, links } = await listFiles(opts.runDir);
  const admission: AdmissionRead = await readAdmissionFile(opts.root, opts.admissionFile ?? opts.env[ENV.admissionFile]);
  const configRel = `${RUN_FILES.caseDataDir}/${RUN_FILES.config}`;
  let caseConfig: EvidenceContext['caseConfig'];
  if (files.includes(configRel)) {
    const abs = path.join(opts.runDir, configRel);
    const size = (await lstat(abs)).size;
    caseConfig = { file: configRel, ...(size > MAX_REPORT_BYTES ? { keyLines: {}, problems: [{ line: 1, message: 'too large' }] } : parseJsonObject(await readFile(abs, 'utf8'))) };
  }
  const ctx: EvidenceContext = {
    config: opts.config,
    dir: opts.display,
    files,
    report: await readReport(path.join(opts.runDir, RUN_FILES.report)),
    trace: await readTrace(path.join(opts.runDir, RUN_FILES.trace), opts.config),
    markers: files.filter(isMarker),
    admission,
    endpointHits: await endpointHits(opts.runDir, files, opts.config, opts.env),
    ...(caseConfig ? { caseConfig } : {}),
  };
  return { ctx, links };
}

/** Run the evidence rules over a context (pure). Severities and `off` come from the config's `rules`. */
export function runEvidenceRules(ctx: EvidenceContext, rules: readonly EvidenceRule[] = EVIDENCE_RULES): Finding[] {
  const out: Finding[] = [];
  for (const rule of rules) {
    const sev = severityFor(ctx.config, rule.id, rule.defaultSeverity);
    if (sev === 'off') continue;
    const push = (f: { file: string; line: number; column?: number; message: string; ruleId?: string }) => {
      const ruleId = f.ruleId ?? rule.id;
      out.push({
        ruleId,
        severity: sev,
        file: f.file,
        line: Math.max(1, f.line),
        ...(f.column ? { column: f.column } : {}),
        message: f.message,
        fingerprint: fingerprintOf(ruleId, f.file, f.message),
      });
    };
    try {
      rule.check(ctx, push);
    } catch (e) {
      // Fail closed: a rule that throws is an error finding, never a silent pass.
      out.push({
        ruleId: 'engine/rule-error',
        severity: 'error',
        file: inDir(ctx, RUN_FILES.report),
        line: 1,
        message: `rule ${rule.id} could not evaluate this run directory (${e instanceof Error ? e.name : 'error'}): the check fails closed`,
      });
    }
  }
  return out;
}

/** `loaded`: the run directory already read by loadEvidence (callers that also need the context read it once). */
export async function verifyEvidence(opts: VerifyOptions, loaded?: Awaited<ReturnType<typeof loadEvidence>>): Promise<CheckResult> {
  const { ctx, links } = loaded ?? (await loadEvidence(opts));
  const findings = runEvidenceRules(ctx);
  // Artifacts: every file of the run directory through the secret and endpoint scanner (streaming, kind by path:
  // anything that is not SOT or an admission is scanned as an artifact). The repository's baseline does not apply here.
  const scanConfig: Config = { ...opts.config, secrets: { ...opts.config.secrets, baseline: undefined } };
  const scanned = await scanPaths(opts.runDir, ['.'], scanConfig, opts.today);
  const prefix = (f: Finding): Finding => ({ ...f, file: inDir(ctx, f.file) });
  findings.push(...scanned.findings.map(prefix));
  const suppressed = scanned.suppressed.map(prefix);
  findings.sort(compareFindings);
  const notes = [...scanned.notes];
  if (links.length) notes.push(`skipped ${links.length} symbolic link(s), never followed: ${links.slice(0, 10).join(', ')}`);
  return {
    version: 1,
    summary: summarize(ctx.files.length, findings, suppressed),
    findings,
    suppressed,
    notes,
    admittedPairs:
      ctx.admission.kind === 'ok' && ctx.admission.value.status === 'admitted'
        ? [{ provider: ctx.admission.value.provider, model: ctx.admission.value.model, role: ctx.admission.value.role, file: ctx.admission.display }]
        : [],
    filesEvaluated: ctx.files.map((f) => inDir(ctx, f)),
  };
}
