/**
 * The evidence model the evidence/* rules read: built from a run directory's files. Pure: the I/O layer (verify.ts)
 * reads the files; the rules' examples build the same model from in-memory text.
 */
import type { Config } from '../config.js';
import { parseJsonObject, type ParsedJson, type Problem } from '../parse/json.js';
import type { AdmissionRead } from './admission-file.js';
import { evidenceReportSchema, type EvidenceReport } from './evidence-schema.js';
import { MARKER_FILES, RUN_FILES } from './vocabulary.js';

export { parseJsonObject, type ParsedJson, type Problem };

/** One trace.jsonl line, reduced to what the rules need (a trace can be large: whole events are not kept). */
export interface TraceEntry {
  line: number;
  event?: string;
  /** provider/model values named by the event (keys ending in provider, model, model_id, model_name), outside fake-backend objects. */
  pairs: Array<{ key: string; value: string; kind: 'provider' | 'model' }>;
  /** Denied provider or model ids (config deny-list) that are a string value anywhere in the event. */
  denied: string[];
}

export interface TraceModel {
  present: boolean;
  entries: TraceEntry[];
  problems: Problem[];
}

export interface EndpointHit {
  file: string;
  line: number;
  variable: string;
}

export interface EvidenceContext {
  config: Config;
  /** Display prefix of the run directory (as given / relative), used in finding paths: `<dir>/report.json`. */
  dir: string;
  /** Files of the run directory, relative POSIX paths. */
  files: string[];
  report: { present: false; reason?: string } | ({ present: true; value?: EvidenceReport } & ParsedJson);
  trace: TraceModel;
  /** Backend markers present (relative paths), the known ones and any other backend/provider-*.txt. */
  markers: string[];
  admission: AdmissionRead;
  /** Where the value of an endpoint variable (from the environment) appears in an artifact. */
  endpointHits: EndpointHit[];
  /** The generated Case config (case-data/config.json), when the run directory holds one. */
  caseConfig?: { file: string } & ParsedJson;
}

export const inDir = (ctx: Pick<EvidenceContext, 'dir'>, rel: string) => (ctx.dir && ctx.dir !== '.' ? `${ctx.dir}/${rel}` : rel);

export function isMarker(rel: string): boolean {
  return MARKER_FILES.includes(rel) || /^backend\/provider-[A-Za-z0-9._-]+\.txt$/.test(rel);
}

/** report.json text -> the parsed report, its problems (JSON and schema) with lines. */
export function parseReport(text: string): { present: true; value?: EvidenceReport } & ParsedJson {
  const parsed = parseJsonObject(text);
  if (!parsed.raw || parsed.problems.length) return { present: true, ...parsed };
  const result = evidenceReportSchema.safeParse(parsed.raw);
  if (!result.success) {
    for (const issue of result.error.issues) {
      const key = issue.path[0];
      const p = issue.path.map(String).join('.') || '(root)';
      parsed.problems.push({ line: (typeof key === 'string' ? parsed.keyLines[key] : undefined) ?? 1, message: `${p}: ${issue.message}` });
    }
    return { present: true, ...parsed };
  }
  return { present: true, ...parsed, value: result.data };
}

const PROVIDER_KEY = /(^|_)provider$/i;
const MODEL_KEY = /(^|_)model(_id|_name)?$/i;
const MAX_WALK_DEPTH = 16;

function collectPairs(value: unknown, out: TraceEntry['pairs'], depth = 0): void {
  if (depth > MAX_WALK_DEPTH || value === null || typeof value !== 'object') return;
  if (Array.isArray(value)) {
    for (const v of value) collectPairs(v, out, depth + 1);
    return;
  }
  const obj = value as Record<string, unknown>;
  // The same-run fake baseline has no provider/model of its own; its events are not Case model use.
  if (obj.backend === 'fake') return;
  for (const [k, v] of Object.entries(obj)) {
    if (typeof v === 'string' && v !== '') {
      if (PROVIDER_KEY.test(k)) out.push({ key: k, value: v, kind: 'provider' });
      else if (MODEL_KEY.test(k)) out.push({ key: k, value: v, kind: 'model' });
    } else collectPairs(v, out, depth + 1);
  }
}

/** String values (any key, any depth, fake-baseline objects included) that are exactly a denied id. */
function deniedValues(value: unknown, denied: ReadonlySet<string>, out: string[], depth = 0): void {
  if (depth > MAX_WALK_DEPTH) return;
  if (typeof value === 'string') {
    if (denied.has(value) && !out.includes(value)) out.push(value);
    return;
  }
  if (value === null || typeof value !== 'object') return;
  for (const v of Array.isArray(value) ? value : Object.values(value)) deniedValues(v, denied, out, depth + 1);
}

/** Parses one trace line (1-based number). Returns the entry or a problem. */
export function parseTraceLine(text: string, line: number, denied: readonly string[]): { entry?: TraceEntry; problem?: Problem } {
  if (text.trim() === '') return {};
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return { problem: { line, message: 'not valid JSON (each trace.jsonl line must be one JSON object)' } };
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return { problem: { line, message: 'not a JSON object' } };
  const ev = (value as { event?: unknown }).event;
  const pairs: TraceEntry['pairs'] = [];
  collectPairs(value, pairs);
  const hits: string[] = [];
  if (denied.length) deniedValues(value, new Set(denied), hits);
  const entry: TraceEntry = { line, pairs, denied: hits, ...(typeof ev === 'string' && ev ? { event: ev } : {}) };
  if (typeof ev !== 'string' || !ev) return { entry, problem: { line, message: 'has no "event" name' } };
  return { entry };
}

/** Denied ids from the config's deny-list (providers and models, e.g. anthropic / claude-sonnet-4-6). */
export function deniedIds(config: Config): string[] {
  return [...new Set(config['deny-list'].flatMap((p) => [p.provider, p.model]))];
}

export function parseTrace(text: string | undefined, config: Config): TraceModel {
  if (text === undefined) return { present: false, entries: [], problems: [] };
  const denied = deniedIds(config);
  const model: TraceModel = { present: true, entries: [], problems: [] };
  text.split(/\r?\n/).forEach((l, i) => {
    const { entry, problem } = parseTraceLine(l, i + 1, denied);
    if (entry) model.entries.push(entry);
    if (problem) model.problems.push(problem);
  });
  return model;
}

export interface MemoryRun {
  config: Config;
  dir?: string;
  files: Record<string, string>;
  admission: AdmissionRead;
  /** Values of endpoint variables to look for (what the environment holds). */
  endpointValues?: Record<string, string>;
}

/** The evidence model of an in-memory run directory (rule examples, unit tests). */
export function contextFromMemory(run: MemoryRun): EvidenceContext {
  const files = Object.keys(run.files).sort();
  const reportText = run.files[RUN_FILES.report];
  const configRel = `${RUN_FILES.caseDataDir}/${RUN_FILES.config}`;
  const cfgText = run.files[configRel];
  const endpointHits: EndpointHit[] = [];
  for (const [variable, value] of Object.entries(run.endpointValues ?? {})) {
    if (!value) continue;
    for (const f of files) {
      const t = run.files[f] ?? '';
      const at = t.indexOf(value);
      if (at >= 0) endpointHits.push({ file: f, line: t.slice(0, at).split('\n').length, variable });
    }
  }
  return {
    config: run.config,
    dir: run.dir ?? '.',
    files,
    report: reportText === undefined ? { present: false } : parseReport(reportText),
    trace: parseTrace(run.files[RUN_FILES.trace], run.config),
    markers: files.filter(isMarker),
    admission: run.admission,
    endpointHits,
    ...(cfgText !== undefined ? { caseConfig: { file: configRel, ...parseJsonObject(cfgText) } } : {}),
  };
}
