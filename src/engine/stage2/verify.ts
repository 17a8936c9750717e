/**
 * verify-evidence: read a Stage 2 run directory, run the evidence/* rules over it, scan every artifact for secrets
 * and endpoints (streaming), and return one CheckResult, the same shape `sot-gate check` returns.
 */
import { createHash } from 'node:crypto';
import { constants, createReadStream } from 'node:fs';
import { lstat, open, readdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { compareFindings, fingerprintOf, scannerSeverity } from '../check.js';
import { severityFor, type Config } from '../config.js';
import { scanPaths } from '../scan-paths.js';
import { redactSecrets, scannerOptions, scanText } from '../scanner/index.js';
import { isBinary } from '../scanner/stream.js';
import { ARCHIVE_LIMITS, ArchiveBudget, archiveKind, decodeArtifactText, openArchive, type ArchiveLimits } from './archive.js';
import { ArtifactReader, MAX_JSON_ARTIFACT_BYTES } from './artifacts.js';
import { isWithin, toPosix } from '../tree.js';
import { EvaluationError, summarize, type CheckResult, type Finding, type RawFinding } from '../types.js';
import { readAdmissionFile, type AdmissionRead } from './admission-file.js';
import {
  endpointNeedles,
  findNeedle,
  hideEndpoint,
  inDir,
  isMarker,
  parseJsonObject,
  parseReport,
  REPORT_PAIR_KEYS,
  traceArgvFindings,
  TRACE_LIMITS,
  TraceCollector,
  type AdmissionGate,
  type EndpointHit,
  type EvidenceContext,
  type TraceLimits,
  type TraceModel,
} from './context.js';
import { caseDataDir, decideAdmission, loadGovernance } from './preflight.js';
import { EVIDENCE_RULES, type EvidenceRule } from './rules/index.js';
import { ENV, MARKERS, RUN_FILES } from './vocabulary.js';

export { endpointNeedles };

export interface VerifyOptions {
  /** The run directory (absolute). */
  runDir: string;
  /** How the run directory is shown in findings (relative to the working directory, or as given). */
  display: string;
  /** Repository root: a relative admission path resolves against it. */
  root: string;
  /** --admission-file; default: CTO_HARNESS_CASE_MODEL_ADMISSION_FILE from env. */
  admissionFile?: string;
  /**
   * The isolated Case data directory, relative to the run directory (default: CASE_DATA_DIR from env, as preflight
   * reads it, else `case-data`): its config.json is checked by evidence/config-model.
   */
  caseDataDir?: string;
  config: Config;
  env: Record<string, string | undefined>;
  today?: string;
  /** Bounds of the trace model (tests lower them). */
  traceLimits?: TraceLimits;
  /** Bounds of the compressed-artifact reader (tests lower them). */
  archiveLimits?: ArchiveLimits;
  /**
   * `write`: write manifest.json (SHA-256 of every file verified) into the run directory once verified. `{ check }`:
   * re-check the run directory (a downloaded artifact) against that manifest (absolute path); nothing is written.
   */
  manifest?: 'write' | { check: string };
}

/** The manifest verify-evidence writes into the run directory: what it verified, file by file. */
export const MANIFEST_FILE = 'manifest.json';

export interface Manifest {
  version: 1;
  algorithm: 'sha256';
  files: Array<{ path: string; sha256: string; bytes: number }>;
}

async function sha256File(abs: string): Promise<{ sha256: string; bytes: number }> {
  const h = createHash('sha256');
  let bytes = 0;
  for await (const chunk of createReadStream(abs) as AsyncIterable<Buffer>) {
    h.update(chunk);
    bytes += chunk.length;
  }
  return { sha256: h.digest('hex'), bytes };
}

/** The manifest of the files of a run directory (manifest.json itself excluded), sorted by path. */
export async function computeManifest(runDir: string, files: readonly string[]): Promise<Manifest> {
  const out: Manifest = { version: 1, algorithm: 'sha256', files: [] };
  for (const f of [...files].sort()) if (f !== MANIFEST_FILE) out.files.push({ path: f, ...(await sha256File(path.join(runDir, f))) });
  return out;
}

/** The text written to manifest.json, and the SHA-256 of that text (the digest the evidence block cites). */
export function manifestText(m: Manifest): { text: string; sha256: string } {
  const text = JSON.stringify(m, null, 2) + '\n';
  return { text, sha256: createHash('sha256').update(text).digest('hex') };
}

/** Differences between a manifest and the run directory's files: changed, missing, added (paths relative). */
async function manifestDiffs(runDir: string, files: readonly string[], manifestAbs: string): Promise<Array<{ file: string; why: string }>> {
  let parsed: Manifest;
  try {
    parsed = JSON.parse(await readFile(manifestAbs, 'utf8')) as Manifest;
  } catch (e) {
    throw new EvaluationError(`cannot read the manifest: ${(e as NodeJS.ErrnoException).code ?? 'not JSON'}`);
  }
  if (parsed?.version !== 1 || parsed.algorithm !== 'sha256' || !Array.isArray(parsed.files)) throw new EvaluationError('the manifest is not a sot-gate manifest (version 1, sha256)');
  const now = await computeManifest(runDir, files);
  const want = new Map(parsed.files.map((f) => [f.path, f]));
  const have = new Map(now.files.map((f) => [f.path, f]));
  const out: Array<{ file: string; why: string }> = [];
  for (const [p, f] of want) {
    const h = have.get(p);
    if (!h) out.push({ file: p, why: 'listed in the manifest but missing' });
    else if (h.sha256 !== f.sha256) out.push({ file: p, why: `changed since it was verified (SHA-256 ${h.sha256.slice(0, 12)}…, manifest ${String(f.sha256).slice(0, 12)}…)` });
  }
  for (const p of have.keys()) if (!want.has(p)) out.push({ file: p, why: 'not in the manifest: added after verification' });
  return out;
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
      const abs = path.join(dir, e.name);
      const rel = toPosix(path.relative(root, abs));
      // A link is reported whatever its name: an upload would follow it.
      if (e.isSymbolicLink()) links.push(rel);
      else if (ALWAYS_SKIPPED.has(e.name)) continue;
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

/** One line of boundedLines: its text, or only its length when it is longer than the cap. */
export type BoundedLine = { n: number; text: string } | { n: number; tooLong: number };

/**
 * The lines of a file, streaming, in batches (one per chunk read), each line at most `maxBytes` long: a longer line is
 * given as its length only, its content skipped without being held (a trace can be large, and one line can be larger
 * than a string may be). Lines end at `\n`; a `\r` before it is dropped.
 */
export async function* boundedLines(abs: string, maxBytes: number): AsyncGenerator<BoundedLine[]> {
  let parts: Buffer[] = [];
  let total = 0;
  let n = 0;
  const take = (b: Buffer) => {
    total += b.length;
    if (total > maxBytes) parts = [];
    else if (b.length) parts.push(b);
  };
  const end = (): BoundedLine => {
    n++;
    const out = total > maxBytes ? { n, tooLong: total } : { n, text: Buffer.concat(parts).toString('utf8').replace(/\r$/, '') };
    parts = [];
    total = 0;
    return out;
  };
  const stream = createReadStream(abs, { highWaterMark: 1 << 20 });
  try {
    for await (const chunk of stream as AsyncIterable<Buffer>) {
      const batch: BoundedLine[] = [];
      let from = 0;
      for (let nl = chunk.indexOf(10); nl >= 0; nl = chunk.indexOf(10, from)) {
        if (total === 0 && nl - from <= maxBytes) {
          n++;
          batch.push({ n, text: chunk.toString('utf8', from, nl > from && chunk[nl - 1] === 13 ? nl - 1 : nl) });
        } else {
          take(chunk.subarray(from, nl));
          batch.push(end());
        }
        from = nl + 1;
      }
      take(chunk.subarray(from));
      yield batch;
    }
  } finally {
    stream.destroy();
  }
  if (total > 0) yield [end()];
}

/** trace.jsonl, line by line (streaming, bounded: a trace can be large). */
export async function readTrace(abs: string, config: Config, limits: TraceLimits = TRACE_LIMITS): Promise<TraceModel> {
  let st;
  try {
    st = await lstat(abs);
  } catch {
    return { present: false, entries: [], problems: [] };
  }
  if (st.isSymbolicLink() || !st.isFile()) return { present: true, entries: [], problems: [{ line: 1, message: 'trace.jsonl is not a regular file (symbolic links are never followed)' }] };
  const c = new TraceCollector(config, limits);
  for await (const batch of boundedLines(abs, limits.maxLineBytes)) {
    for (const l of batch) {
      if ('tooLong' in l) c.tooLong(l.n, l.tooLong);
      else c.line(l.text, l.n);
    }
  }
  return c.finish();
}

/** First line of `abs` containing one of the needles (any case), streaming with an overlap so a needle split by chunks is found. */
async function findInFile(abs: string, needles: string[]): Promise<number | undefined> {
  const lowered = needles.map((n) => n.toLowerCase());
  const longest = Math.max(...lowered.map((n) => n.length));
  let carry = '';
  let carryLine = 1;
  const stream = createReadStream(abs, { encoding: 'utf8', highWaterMark: 1 << 20 });
  try {
    for await (const chunk of stream as AsyncIterable<string>) {
      const text = carry + chunk.toLowerCase();
      const best = findNeedle(text, lowered);
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

/** The needles of every configured endpoint variable's value in env. */
function needlesOf(config: Config, env: Record<string, string | undefined>): Array<{ variable: string; needles: string[] }> {
  return config.secrets['endpoint-variables'].map((variable) => ({ variable, needles: endpointNeedles(env[variable] ?? '') })).filter((v) => v.needles.length);
}

async function endpointHits(runDir: string, files: string[], config: Config, env: Record<string, string | undefined>): Promise<EndpointHit[]> {
  const hits: EndpointHit[] = [];
  for (const { variable, needles } of needlesOf(config, env)) {
    const lowered = needles.map((n) => n.toLowerCase());
    for (const f of files) {
      if (findNeedle(f.toLowerCase(), lowered) >= 0) hits.push({ file: f, line: 1, variable, inName: true });
      const line = await findInFile(path.join(runDir, f), needles);
      if (line !== undefined) hits.push({ file: f, line, variable });
    }
  }
  return hits;
}

/**
 * Preflight's governance bar over an admitted admission file (src/engine/stage2/preflight.ts, decideAdmission): inside
 * the root, governed by sot-gate check without error findings, backed by a decided decision record whose primary or
 * explicit fallback pair it is, and the local route's decision_status. Route checks that depend on the runner's
 * environment at preflight time (the codex auth bridge, the endpoint variable, the endpoint probe) are not repeated.
 */
async function admissionGate(admission: AdmissionRead, root: string, config: Config): Promise<AdmissionGate | undefined> {
  if (admission.kind !== 'ok' || admission.value.status !== 'admitted') return undefined;
  const { provider, model } = admission.value;
  const d = decideAdmission({ admission, env: { [ENV.provider]: provider, [ENV.model]: model }, governance: await loadGovernance(root, config) });
  return d.status === 'blocked' && d.marker === MARKERS.notAdmitted ? { ok: false, why: d.reason } : { ok: true };
}

/** `<case data dir>/config.json` relative to the run directory (POSIX), or undefined when the directory is outside it. */
function caseConfigRel(opts: VerifyOptions): string | undefined {
  const dir = caseDataDir(opts.runDir, { [ENV.caseDataDir]: opts.caseDataDir ?? opts.env[ENV.caseDataDir] });
  const file = path.join(dir, RUN_FILES.config);
  return isWithin(opts.runDir, file) ? toPosix(path.relative(opts.runDir, file)) : undefined;
}

async function readHead(abs: string, bytes = 8192): Promise<Buffer> {
  const fh = await open(abs, 'r');
  try {
    const buf = Buffer.alloc(bytes);
    const { bytesRead } = await fh.read(buf, 0, bytes, 0);
    return buf.subarray(0, bytesRead);
  } finally {
    await fh.close();
  }
}

/** Largest binary-looking artifact read whole to try it as UTF-16 text. */
const MAX_DECODED_BYTES = 64 * 1024 * 1024;

/**
 * Every artifact but trace.jsonl and the Case config (read by their own rules), for the models it names and its argv
 * arrays; compressed artifacts (gzip, zip) opened, bounded, and their files scanned like any other (secrets, the
 * endpoint, models); UTF-16 text decoded. What cannot be read as text is unscannable: an error, never a skip.
 */
async function readArtifacts(opts: VerifyOptions, files: string[], configRel: string | undefined) {
  const reader = new ArtifactReader(opts.config);
  const inner: RawFinding[] = [];
  const unscannable: Array<{ file: string; line: number; why: string }> = [];
  const hits: EndpointHit[] = [];
  const budget = new ArchiveBudget(opts.archiveLimits ?? ARCHIVE_LIMITS);
  const scanOpts = scannerOptions(opts.config, 'artifact');
  const needles = needlesOf(opts.config, opts.env);
  /** A decoded text that the file scanner does not see (inside an archive, or UTF-16): secrets, endpoint, models. */
  const scanDecoded = (file: string, text: string) => {
    inner.push(...scanText(text, file, scanOpts));
    for (const { variable, needles: ns } of needles) {
      const lower = text.toLowerCase();
      const at = findNeedle(lower, ns.map((n) => n.toLowerCase()));
      if (at >= 0) hits.push({ file, line: countNewlines(lower, 0, at) + 1, variable });
      if (findNeedle(file.toLowerCase(), ns.map((n) => n.toLowerCase())) >= 0) hits.push({ file, line: 1, variable, inName: true });
    }
    reader.text(file, text);
  };
  for (const f of files) {
    const abs = path.join(opts.runDir, f);
    const size = (await lstat(abs)).size;
    const head = size ? await readHead(abs) : Buffer.alloc(0);
    const kind = archiveKind(head);
    if (kind) {
      if (size > budget.limits.maxBytes) {
        unscannable.push({ file: f, line: 1, why: `a ${kind} archive larger than ${budget.limits.maxBytes} bytes` });
        continue;
      }
      for (const e of openArchive(new Uint8Array(await readFile(abs)), kind, f, budget)) {
        if ('problem' in e) {
          unscannable.push({ file: e.path, line: 1, why: e.problem });
          continue;
        }
        const text = decodeArtifactText(e.data, isBinary);
        if (text === undefined) unscannable.push({ file: e.path, line: 1, why: 'not text (binary content inside the archive)' });
        else scanDecoded(e.path, text);
      }
      continue;
    }
    if (isBinary(head)) {
      const utf16 = head[0] === 0xff && head[1] === 0xfe ? true : head[0] === 0xfe && head[1] === 0xff;
      const text = utf16 && size <= MAX_DECODED_BYTES ? decodeArtifactText(new Uint8Array(await readFile(abs)), isBinary) : undefined;
      if (text === undefined) unscannable.push({ file: f, line: 1, why: 'binary content (not UTF-8 or UTF-16 text, not a gzip or zip archive)' });
      else scanDecoded(f, text);
      continue;
    }
    if (f === RUN_FILES.trace || f === configRel) continue;
    const skipTop = f === RUN_FILES.report ? REPORT_PAIR_KEYS : [];
    if (size <= MAX_JSON_ARTIFACT_BYTES) {
      reader.text(f, await readFile(abs, 'utf8'), skipTop);
      continue;
    }
    for await (const batch of boundedLines(abs, TRACE_LIMITS.maxLineBytes)) {
      for (const l of batch) {
        if ('tooLong' in l) reader.unread.push({ file: f, line: l.n, why: `a line longer than ${TRACE_LIMITS.maxLineBytes} bytes` });
        else reader.line(f, l.text, l.n, skipTop);
      }
    }
  }
  return { reader, inner, unscannable, endpointHits: hits };
}

/** Build the evidence model of a run directory on disk. */
export async function loadEvidence(opts: VerifyOptions): Promise<{ ctx: EvidenceContext; links: string[]; notes: string[] }> {
  let st;
  try {
    st = await lstat(opts.runDir);
  } catch {
    throw new EvaluationError(`cannot read run directory ${opts.display}: no such file or directory`);
  }
  if (st.isSymbolicLink()) throw new EvaluationError(`run directory ${opts.display} is a symbolic link (never followed)`);
  if (!st.isDirectory()) throw new EvaluationError(`${opts.display} is not a directory`);
  const { files, links } = await listFiles(opts.runDir);
  const notes: string[] = [];
  const admission: AdmissionRead = await readAdmissionFile(opts.root, opts.admissionFile ?? opts.env[ENV.admissionFile]);
  const gate = await admissionGate(admission, opts.root, opts.config);
  const configRel = caseConfigRel(opts);
  let caseConfig: EvidenceContext['caseConfig'];
  if (configRel !== undefined && files.includes(configRel)) {
    const abs = path.join(opts.runDir, configRel);
    const size = (await lstat(abs)).size;
    caseConfig = { file: configRel, ...(size > MAX_REPORT_BYTES ? { keyLines: {}, problems: [{ line: 1, message: 'too large' }] } : parseJsonObject(await readFile(abs, 'utf8'))) };
  }
  const trace = await readTrace(path.join(opts.runDir, RUN_FILES.trace), opts.config, opts.traceLimits);
  const artifacts = await readArtifacts(opts, files, configRel);
  const ctx: EvidenceContext = {
    config: opts.config,
    dir: opts.display,
    files,
    links,
    report: await readReport(path.join(opts.runDir, RUN_FILES.report)),
    trace,
    markers: files.filter(isMarker),
    admission,
    ...(gate ? { admissionGate: gate } : {}),
    endpointHits: [...(await endpointHits(opts.runDir, files, opts.config, opts.env)), ...artifacts.endpointHits],
    endpointNeedles: needlesOf(opts.config, opts.env).flatMap((v) => v.needles),
    ...(caseConfig ? { caseConfig } : {}),
    caseConfigPath: configRel ?? null,
    artifactIds: artifacts.reader.ids,
    artifactUnread: artifacts.reader.unread,
    argvFindings: [...artifacts.reader.argvFindings, ...traceArgvFindings(trace, opts.config)],
    innerFindings: artifacts.inner,
    unscannable: artifacts.unscannable,
    ...(opts.manifest && opts.manifest !== 'write' ? { manifestDiffs: await manifestDiffs(opts.runDir, files, opts.manifest.check) } : {}),
  };
  return { ctx, links, notes };
}

/**
 * Run the evidence rules over a context (pure). Severities and `off` come from the config's `rules`. Rule messages
 * quote artifact values (a model name, a provider): every message goes through the scanner's redaction, and every
 * endpoint needle is replaced by `<endpoint>`, before it is kept; the fingerprint is taken from the redacted message.
 */
export function runEvidenceRules(ctx: EvidenceContext, rules: readonly EvidenceRule[] = EVIDENCE_RULES): Finding[] {
  const out: Finding[] = [];
  const redactOpts = scannerOptions(ctx.config, 'artifact');
  for (const rule of rules) {
    const sev = severityFor(ctx.config, rule.id, rule.defaultSeverity);
    if (sev === 'off') continue;
    const push = (f: { file: string; line: number; column?: number; message: string; ruleId?: string }) => {
      const ruleId = f.ruleId ?? rule.id;
      const file = hideEndpoint(f.file, ctx.endpointNeedles);
      const message = hideEndpoint(redactSecrets(f.message, redactOpts), ctx.endpointNeedles);
      out.push({
        ruleId,
        severity: sev,
        file,
        line: Math.max(1, f.line),
        ...(f.column ? { column: f.column } : {}),
        message,
        fingerprint: fingerprintOf(ruleId, file, message),
      });
    };
    try {
      rule.check(ctx, push);
    } catch (e) {
      // Fail closed: a rule that throws is an error finding, never a silent pass.
      out.push({
        ruleId: 'engine/rule-error',
        severity: 'error',
        file: hideEndpoint(inDir(ctx, RUN_FILES.report), ctx.endpointNeedles),
        line: 1,
        message: `rule ${rule.id} could not evaluate this run directory (${e instanceof Error ? e.name : 'error'}): the check fails closed`,
      });
    }
  }
  return out;
}

/** `loaded`: the run directory already read by loadEvidence (callers that also need the context read it once). */
export async function verifyEvidence(opts: VerifyOptions, loaded?: Awaited<ReturnType<typeof loadEvidence>>): Promise<CheckResult> {
  const { ctx, notes: loadNotes = [] } = loaded ?? (await loadEvidence(opts));
  const findings = runEvidenceRules(ctx);
  // Artifacts: every file of the run directory through the secret and endpoint scanner (streaming, kind by path:
  // anything that is not SOT or an admission is scanned as an artifact). The repository's baseline does not apply here.
  // The repository's `ignore` globs do not apply either: every file of the run directory may be uploaded, so every
  // file is scanned.
  const scanConfig: Config = { ...opts.config, ignore: [], secrets: { ...opts.config.secrets, baseline: undefined } };
  const scanned = await scanPaths(opts.runDir, ['.'], scanConfig, opts.today);
  // A file's name may hold the endpoint value too (evidence/endpoint-value reports it): no path is printed with it.
  const hide = (t: string) => hideEndpoint(t, ctx.endpointNeedles);
  const prefix = (f: Finding): Finding => ({ ...f, file: hide(inDir(ctx, f.file)), message: hide(f.message) });
  // No suppression inside a run directory: the harness wrote it, not a reviewer. A `sot-gate:allow` or
  // `sot-gate:example` there hides nothing (the scanner's suppressed findings stay active).
  const raw: RawFinding[] = [...(ctx.argvFindings ?? []), ...(ctx.innerFindings ?? [])];
  const seen = new Set<string>();
  for (const f of [...scanned.findings, ...scanned.suppressed]) {
    const { suppressed: _s, ...active } = f;
    seen.add(`${f.ruleId}\0${f.file}\0${f.line}`);
    findings.push(prefix(active));
  }
  for (const f of raw) {
    const ruleId = f.ruleId ?? 'secret/unknown';
    const key = `${ruleId}\0${f.file}\0${f.line}`;
    if (seen.has(key)) continue;
    seen.add(key);
    const severity = severityFor(opts.config, ruleId, scannerSeverity(ruleId));
    if (severity === 'off') continue;
    const { suppressed: _s, ...rest } = f;
    findings.push(prefix({ ...rest, ruleId, severity, fingerprint: f.fingerprint ?? fingerprintOf(ruleId, f.file, f.message) }));
  }
  const suppressed: Finding[] = [];
  findings.sort(compareFindings);
  if (opts.manifest === 'write') {
    const { text } = manifestText(await computeManifest(opts.runDir, ctx.files));
    try {
      // Never through a link planted in the run directory (O_NOFOLLOW): only a regular file is (re)written.
      await writeFile(path.join(opts.runDir, MANIFEST_FILE), text, { flag: constants.O_WRONLY | constants.O_CREAT | constants.O_TRUNC | constants.O_NOFOLLOW });
    } catch (e) {
      throw new EvaluationError(`cannot write ${MANIFEST_FILE} into the run directory (${(e as NodeJS.ErrnoException).code ?? 'I/O error'})`);
    }
  }
  return {
    version: 1,
    summary: summarize(ctx.files.length, findings, suppressed),
    findings,
    suppressed,
    // Binary files are not skipped here: each one is an evidence/unscannable finding (or was opened and scanned).
    notes: [...scanned.notes.filter((n) => !n.startsWith('skipped ') || !n.includes('binary file')), ...loadNotes].map(hide),
    admittedPairs:
      ctx.admission.kind === 'ok' && ctx.admission.value.status === 'admitted' && ctx.admissionGate?.ok
        ? [{ provider: ctx.admission.value.provider, model: ctx.admission.value.model, role: ctx.admission.value.role, file: ctx.admission.display }]
        : [],
    filesEvaluated: ctx.files.map((f) => hide(inDir(ctx, f))),
  };
}
