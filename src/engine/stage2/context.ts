/**
 * The evidence model the evidence/* rules read: built from a run directory's files. Pure: the I/O layer (verify.ts)
 * reads the files; the rules' examples build the same model from in-memory text.
 */
import type { Config } from '../config.js';
import { deniedIdsIn, denyIdMap } from '../identity.js';
import { parseJsonObject, type ParsedJson, type Problem } from '../parse/json.js';
import { visit } from 'jsonc-parser';
import type { RawFinding } from '../types.js';
import type { AdmissionRead } from './admission-file.js';
import { ArtifactReader, jsonFacts, knownIds, type IdHit, type KnownIds } from './artifacts.js';
import { evidenceReportSchema, type EvidenceReport } from './evidence-schema.js';
import { EVENTS, MARKER_FILES, RUN_FILES } from './vocabulary.js';

export { parseJsonObject, type ParsedJson, type Problem };

/** One trace.jsonl line, reduced to what the rules need (a trace can be large: whole events are not kept). */
export interface TraceEntry {
  line: number;
  event?: string;
  /** provider/model values named by the event (keys ending in the word provider, model, model id, model name: pairKind), outside fake-backend objects. */
  pairs: Array<{ key: string; value: string; kind: 'provider' | 'model' }>;
  /**
   * Denied provider or model ids (config deny-list, as the policy writes them) named by a string value anywhere in the
   * event: the value or one of its `/`- or `:`-separated parts is the id in normalised form (identity.ts), so
   * `Claude-Sonnet-4-6` and `anthropic/claude-sonnet-4-6` name it.
   */
  denied: string[];
  /** Fixtures the event names (keys `case`, `fixture`, `case_name`, `fixture_id`, …, any depth, the baseline's too). */
  fixtures?: Array<{ key: string; value: string }>;
}

/**
 * trace.jsonl, bounded (a trace can be huge): only the entries the rules read are kept (admission and process events,
 * and lines that name a provider/model or a denied id, one per distinct set of names), at most `maxEntries` of them;
 * at most `maxProblems` bad lines are kept, `moreProblems` counts the rest.
 */
export interface TraceModel {
  present: boolean;
  entries: TraceEntry[];
  problems: Problem[];
  /** Bad lines beyond `problems`. */
  moreProblems?: number;
  /** Command lines of JSON argv arrays in trace lines (for the secret scanner), at most 1,000. */
  argv?: Array<{ line: number; text: string }>;
}

/** Bounds of the trace model; tests lower them. */
export interface TraceLimits {
  /** Longest line read (bytes); a longer line is a problem, its content skipped unread. */
  maxLineBytes: number;
  /** Entries kept; beyond, a problem says how many lines were not evaluated. */
  maxEntries: number;
  /** The same for the bytes of the kept entries' event and provider/model names. */
  maxEntryBytes: number;
  /** Bad lines kept. */
  maxProblems: number;
}

export const TRACE_LIMITS: TraceLimits = { maxLineBytes: 1024 * 1024, maxEntries: 10_000, maxEntryBytes: 16 * 1024 * 1024, maxProblems: 1_000 };

export interface EndpointHit {
  file: string;
  line: number;
  variable: string;
  /** The value is in the file's name (its path in the run directory), not its content. */
  inName?: boolean;
}

/** Preflight's governance bar over the admission (the SOT check over --root, the decision record), when evaluated. */
export type AdmissionGate = { ok: true } | { ok: false; why: string };

export interface EvidenceContext {
  config: Config;
  /** Display prefix of the run directory (as given / relative), used in finding paths: `<dir>/report.json`. */
  dir: string;
  /** Files of the run directory, relative POSIX paths (regular files only). */
  files: string[];
  /** Symbolic links in the run directory, relative POSIX paths (never followed). */
  links: string[];
  report: { present: false; reason?: string } | ({ present: true; value?: EvidenceReport } & ParsedJson);
  trace: TraceModel;
  /** Backend markers present (relative paths), the known ones and any other backend/provider-*.txt. */
  markers: string[];
  admission: AdmissionRead;
  /**
   * Whether preflight would admit the admission file's pair with this repository (set when the file is valid and
   * admitted): inside --root, governed by sot-gate check without error findings, backed by a decided decision record.
   */
  admissionGate?: AdmissionGate;
  /** Where the value of an endpoint variable (from the environment) appears in an artifact. */
  endpointHits: EndpointHit[];
  /** The strings that identify the endpoint values (endpointNeedles): never printed, replaced in every message. */
  endpointNeedles: string[];
  /** The generated Case config (`<case data dir>/config.json`), when the run directory holds one. */
  caseConfig?: { file: string } & ParsedJson;
  /**
   * Where the generated Case config belongs, relative to the run directory (`<case data dir>/config.json`), or null when
   * the Case data directory (CASE_DATA_DIR / --case-data-dir) is outside the run directory. Undefined: not evaluated.
   */
  caseConfigPath?: string | null;
  /** Providers, models and deny-listed ids that the other artifacts (not trace.jsonl, not the Case config) name. */
  artifactIds?: IdHit[];
  /** Artifacts (or lines) the model check could not read. */
  artifactUnread?: Array<{ file: string; line: number; why: string }>;
  /** The secret scanner's findings in JSON argv arrays (artifacts and trace lines), before severities apply. */
  argvFindings?: RawFinding[];
  /** The secret scanner's findings inside compressed artifacts and UTF-16 text (which the file scanner skips as binary). */
  innerFindings?: RawFinding[];
  /** With --manifest: files that differ from the manifest (changed, missing, added). */
  manifestDiffs?: Array<{ file: string; why: string }>;
  /** Files of the run directory that verify-evidence could not scan (binary, a compressed artifact it cannot open). */
  unscannable?: Array<{ file: string; line: number; why: string }>;
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

const MAX_WALK_DEPTH = 32;
/** Provider/model values kept per trace line (a line naming more is a problem: the rest is not evaluated). */
const MAX_PAIRS_PER_LINE = 100;

/** What one trace line's walk found, and why it could not see all of the line (then the line is a problem). */
interface Walk {
  pairs: TraceEntry['pairs'];
  denied: string[];
  incomplete?: string;
}

/**
 * Whether a key names a provider or a model: its last word is `provider` or `model`, or its last two words are
 * `model id` / `model name`, words split at `_`, `-` and camelCase (`llmProvider`, `fallback_model`, `modelName`,
 * `model-id`; not `modelling_notes`, `provider_count`, `modelsLoaded`).
 */
export function pairKind(key: string): 'provider' | 'model' | undefined {
  if (!/(provider|model|id|name)$/i.test(key)) return undefined;
  const known = kinds.get(key);
  if (known !== undefined) return known || undefined;
  const kind = kindOfWords(key);
  if (kinds.size < 4096 && key.length <= 64) kinds.set(key, kind ?? '');
  return kind;
}

/** pairKind's answers by key (a trace repeats the same few keys on every line); bounded, short keys only. */
const kinds = new Map<string, 'provider' | 'model' | ''>();

function kindOfWords(key: string): 'provider' | 'model' | undefined {
  const words = key
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .replace(/([A-Z]+)([A-Z][a-z])/g, '$1 $2')
    .toLowerCase()
    .split(/[\s_-]+/)
    .filter(Boolean);
  const last = words.at(-1);
  if (last === 'provider') return 'provider';
  if (last === 'model' || ((last === 'id' || last === 'name') && words.at(-2) === 'model')) return 'model';
  return undefined;
}

function collectPairs(value: unknown, w: Walk, depth = 0): void {
  if (value === null || typeof value !== 'object') return;
  if (depth > MAX_WALK_DEPTH) {
    w.incomplete = `nested deeper than ${MAX_WALK_DEPTH} levels: the rest of the line was not evaluated`;
    return;
  }
  if (Array.isArray(value)) {
    for (const v of value) collectPairs(v, w, depth + 1);
    return;
  }
  const obj = value as Record<string, unknown>;
  // The same-run fake baseline has no provider/model of its own; its events are not Case model use.
  if (obj.backend === 'fake') return;
  for (const [k, v] of Object.entries(obj)) {
    if (typeof v === 'string' && v !== '') {
      const kind = pairKind(k);
      if (!kind) continue;
      if (w.pairs.length >= MAX_PAIRS_PER_LINE) {
        w.incomplete = `names more than ${MAX_PAIRS_PER_LINE} providers/models: the rest were not evaluated`;
        return;
      }
      w.pairs.push({ key: k, value: v, kind });
    } else collectPairs(v, w, depth + 1);
  }
}

/** String values (any key, any depth, fake-baseline objects included) that name a denied id (normalised, identity.ts). */
function deniedValues(value: unknown, denied: ReadonlyMap<string, string>, w: Walk, depth = 0): void {
  if (typeof value === 'string') {
    for (const id of deniedIdsIn(value, denied)) if (!w.denied.includes(id)) w.denied.push(id);
    return;
  }
  if (value === null || typeof value !== 'object') return;
  if (depth > MAX_WALK_DEPTH) {
    w.incomplete = `nested deeper than ${MAX_WALK_DEPTH} levels: the rest of the line was not evaluated`;
    return;
  }
  for (const v of Array.isArray(value) ? value : Object.values(value)) deniedValues(v, denied, w, depth + 1);
}

/**
 * The first duplicate key of a JSON text (`{"model":"a","model":"b"}`: JSON.parse keeps the last one, another reader
 * the first), as a message, or undefined. jsonc-parser's visitor, one object scope per level.
 */
export function duplicateKey(text: string): string | undefined {
  const stack: Array<Set<string>> = [];
  let found: string | undefined;
  visit(text, {
    onObjectBegin: () => void stack.push(new Set()),
    onObjectEnd: () => void stack.pop(),
    onObjectProperty: (property) => {
      const seen = stack[stack.length - 1];
      if (!seen || found !== undefined) return;
      if (seen.has(property)) found = property;
      else seen.add(property);
    },
  });
  return found === undefined ? undefined : `duplicate key ${JSON.stringify(found.slice(0, 100))} (JSON.parse keeps the last one while another reader sees the first: the line is ambiguous)`;
}

/** Parses one trace line (1-based number). Returns the entry or a problem. */
export function parseTraceLine(
  text: string,
  line: number,
  denied: readonly string[] | ReadonlySet<string> | ReadonlyMap<string, string>,
  known?: KnownIds,
): { entry?: TraceEntry; problem?: Problem; argv?: string[] } {
  if (text.trim() === '') return {};
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return { problem: { line, message: 'not valid JSON (each trace.jsonl line must be one JSON object)' } };
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return { problem: { line, message: 'not a JSON object' } };
  const ev = (value as { event?: unknown }).event;
  const w: Walk = { pairs: [], denied: [] };
  collectPairs(value, w);
  const deniedMap = denied instanceof Map ? denied : denyIdMap({ 'deny-list': [...(denied as Iterable<string>)].map((id) => ({ provider: id, model: id })) });
  if (deniedMap.size) deniedValues(value, deniedMap, w);
  // Free text in the event ("message": "using model claude-sonnet-4-6 via anthropic") and argv arrays.
  let argv: string[] | undefined;
  if (known) {
    const facts = jsonFacts(value, known);
    for (const h of facts.ids) {
      if (h.key !== 'text' && !h.key.endsWith('(text)')) continue;
      if (h.kind === 'denied') {
        if (!w.denied.includes(h.value)) w.denied.push(h.value);
      } else if (w.pairs.length < MAX_PAIRS_PER_LINE) w.pairs.push({ key: h.key, value: h.value, kind: h.kind });
    }
    if (facts.argv.length) argv = facts.argv.map((a) => a.text);
  }
  const fixtures: Array<{ key: string; value: string }> = [];
  fixtureValues(value, fixtures);
  const entry: TraceEntry = { line, pairs: w.pairs, denied: w.denied, ...(typeof ev === 'string' && ev ? { event: ev } : {}), ...(fixtures.length ? { fixtures } : {}) };
  const dup = duplicateKey(text);
  const extra = argv ? { argv } : {};
  if (dup) return { entry, problem: { line, message: dup }, ...extra };
  if (typeof ev !== 'string' || !ev) return { entry, problem: { line, message: 'has no "event" name' }, ...extra };
  if (w.incomplete) return { entry, problem: { line, message: w.incomplete }, ...extra };
  return { entry, ...extra };
}

const FIXTURE_KEY = /^(?:case|fixture)(?:[_-]?(?:name|id))?$/i;

/** String values under a fixture key, any depth (bounded: 20 per line). */
function fixtureValues(value: unknown, out: Array<{ key: string; value: string }>, depth = 0): void {
  if (value === null || typeof value !== 'object' || depth > MAX_WALK_DEPTH || out.length >= 20) return;
  for (const [k, v] of Array.isArray(value) ? value.entries() : Object.entries(value)) {
    if (typeof v === 'string') {
      if (typeof k === 'string' && FIXTURE_KEY.test(k) && out.length < 20 && !out.some((f) => f.value === v)) out.push({ key: k, value: v });
    } else fixtureValues(v, out, depth + 1);
  }
}

/** Denied ids from the config's deny-list (providers and models, e.g. anthropic / claude-sonnet-4-6). */
export function deniedIds(config: Config): string[] {
  return [...denyIdMap(config).values()];
}

/** Builds the bounded TraceModel line by line (the streaming reader and the in-memory parser share it). */
export class TraceCollector {
  private readonly model: TraceModel = { present: true, entries: [], problems: [] };
  private readonly seen = new Set<string>();
  private readonly denied: ReadonlyMap<string, string>;
  private readonly known: KnownIds;
  private keptBytes = 0;
  private dropped = 0;
  private firstDropped = 0;
  private moreProblems = 0;

  constructor(
    config: Config,
    readonly limits: TraceLimits = TRACE_LIMITS,
  ) {
    this.denied = denyIdMap(config);
    this.known = knownIds(config);
  }

  /** One line's text (1-based number). */
  line(text: string, n: number): void {
    const { entry, problem, argv } = parseTraceLine(n === 1 ? text.replace(/^\uFEFF/, '') : text, n, this.denied, this.known);
    if (problem) this.problem(problem);
    if (entry) this.entry(entry);
    if (argv) {
      const list = (this.model.argv ??= []);
      for (const a of argv) if (list.length < 1_000) list.push({ line: n, text: a });
    }
  }

  /** A line longer than limits.maxLineBytes: reported, never read. */
  tooLong(n: number, bytes: number): void {
    this.problem({ line: n, message: `longer than ${this.limits.maxLineBytes} bytes (${bytes} bytes): not read, so a start or a fallback in it could not be verified` });
  }

  problem(p: Problem): void {
    if (this.model.problems.length < this.limits.maxProblems) this.model.problems.push(p);
    else this.moreProblems++;
  }

  private entry(e: TraceEntry): void {
    const gate = e.event === EVENTS.checked || e.event === EVENTS.blocked || e.event === EVENTS.processStarted;
    if (!gate && e.pairs.length === 0 && e.denied.length === 0 && !e.fixtures) return;
    // A line naming the same event and provider/model values as a kept one adds nothing the rules use (e.g. every
    // llm_request of a long run); the admission and process events are always kept, in order.
    const key = JSON.stringify([e.event, e.pairs, e.denied, e.fixtures ?? []]);
    if (!gate && this.seen.has(key)) return;
    if (this.model.entries.length >= this.limits.maxEntries || this.keptBytes + key.length > this.limits.maxEntryBytes) {
      if (this.dropped++ === 0) this.firstDropped = e.line;
      return;
    }
    if (!gate) this.seen.add(key);
    this.keptBytes += key.length;
    this.model.entries.push(e);
  }

  finish(): TraceModel {
    if (this.dropped) {
      this.problem({
        line: this.firstDropped,
        message: `${this.dropped} more line${this.dropped > 1 ? 's' : ''} from here on name${this.dropped > 1 ? '' : 's'} a provider, model or admission event, beyond what verify-evidence keeps (${this.limits.maxEntries} lines): not evaluated`,
      });
    }
    return { ...this.model, ...(this.moreProblems ? { moreProblems: this.moreProblems } : {}) };
  }
}

export function parseTrace(text: string | undefined, config: Config, limits: TraceLimits = TRACE_LIMITS): TraceModel {
  if (text === undefined) return { present: false, entries: [], problems: [] };
  const c = new TraceCollector(config, limits);
  text.split(/\r?\n/).forEach((l, i) => {
    const bytes = Buffer.byteLength(l);
    if (bytes > limits.maxLineBytes) c.tooLong(i + 1, bytes);
    else c.line(l, i + 1);
  });
  return c.finish();
}

/**
 * The strings that identify an endpoint value, matched case-insensitively: the value itself, its host[:port] (when
 * specific enough), its host name alone when that is specific (a dotted name or an IP literal; not a single-label
 * name like `spark` that prose may contain, not loopback), and the URL-encoded form of each.
 */
export function endpointNeedles(value: string): string[] {
  const v = value.trim().replace(/\/+$/, '');
  if (v.length < 4) return [];
  const out = [v];
  try {
    const u = new URL(v);
    const bare = u.hostname.replace(/^\[|\]$/g, '');
    const loopback = /^(localhost|127\.\d+\.\d+\.\d+|::1)$/i.test(bare);
    if (u.host && u.host.length >= 6 && !(loopback && !u.port)) out.push(u.host);
    if (bare.length >= 4 && (bare.includes('.') || bare.includes(':')) && !loopback) out.push(bare);
  } catch {
    /* not a URL: the literal value only */
  }
  for (const n of [...out]) out.push(encodeURIComponent(n));
  return [...new Set(out)];
}

/** Offset of the first needle in `lowerText`, or -1: text and needles already lower-cased (matching ignores case). */
export function findNeedle(lowerText: string, lowered: readonly string[]): number {
  let best = -1;
  for (const n of lowered) {
    const i = lowerText.indexOf(n);
    if (i >= 0 && (best < 0 || i < best)) best = i;
  }
  return best;
}

/** `text` with every needle (any case) replaced by `<endpoint>`. */
export function hideEndpoint(text: string, needles: readonly string[]): string {
  if (!needles.length) return text;
  const alternatives = [...needles].sort((a, b) => b.length - a.length).map((n) => n.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'));
  return text.replace(new RegExp(alternatives.join('|'), 'gi'), '<endpoint>');
}

export interface MemoryRun {
  config: Config;
  dir?: string;
  files: Record<string, string>;
  /** Symbolic links in the run directory (relative paths). */
  links?: string[];
  admission: AdmissionRead;
  /** Why preflight's governance would refuse the admission (default: it admits it). */
  gateRefusal?: string;
  /** Values of endpoint variables to look for (what the environment holds). */
  endpointValues?: Record<string, string>;
  /** The Case data directory is outside the run directory. */
  caseDataOutside?: boolean;
  /** Files that could not be scanned. */
  unscannable?: Array<{ file: string; line: number; why: string }>;
  /** Differences from a manifest. */
  manifestDiffs?: Array<{ file: string; why: string }>;
}

/** The evidence model of an in-memory run directory (rule examples, unit tests). */
export function contextFromMemory(run: MemoryRun): EvidenceContext {
  const files = Object.keys(run.files).sort();
  const reportText = run.files[RUN_FILES.report];
  const configRel = `${RUN_FILES.caseDataDir}/${RUN_FILES.config}`;
  const cfgText = run.files[configRel];
  const endpointHits: EndpointHit[] = [];
  const needles: string[] = [];
  for (const [variable, value] of Object.entries(run.endpointValues ?? {})) {
    const own = endpointNeedles(value ?? '');
    if (!own.length) continue;
    needles.push(...own);
    const lowered = own.map((n) => n.toLowerCase());
    for (const f of files) {
      if (findNeedle(f.toLowerCase(), lowered) >= 0) endpointHits.push({ file: f, line: 1, variable, inName: true });
      const t = (run.files[f] ?? '').toLowerCase();
      const at = findNeedle(t, lowered);
      if (at >= 0) endpointHits.push({ file: f, line: t.slice(0, at).split('\n').length, variable });
    }
  }
  const admitted = run.admission.kind === 'ok' && run.admission.value.status === 'admitted';
  const reader = new ArtifactReader(run.config);
  for (const f of files) {
    if (f === RUN_FILES.trace || f === configRel) continue;
    reader.text(f, run.files[f] ?? '', f === RUN_FILES.report ? REPORT_PAIR_KEYS : []);
  }
  const traceModel = parseTrace(run.files[RUN_FILES.trace], run.config);
  return {
    config: run.config,
    dir: run.dir ?? '.',
    files,
    links: [...(run.links ?? [])].sort(),
    report: reportText === undefined ? { present: false } : parseReport(reportText),
    trace: traceModel,
    markers: files.filter(isMarker),
    admission: run.admission,
    ...(admitted ? { admissionGate: run.gateRefusal ? { ok: false, why: run.gateRefusal } : { ok: true } } : {}),
    endpointHits,
    endpointNeedles: [...new Set(needles)],
    ...(cfgText !== undefined ? { caseConfig: { file: configRel, ...parseJsonObject(cfgText) } } : {}),
    caseConfigPath: run.caseDataOutside ? null : configRel,
    artifactIds: reader.ids,
    artifactUnread: reader.unread,
    argvFindings: [...reader.argvFindings, ...traceArgvFindings(traceModel, run.config)],
    unscannable: run.unscannable ?? [],
    ...(run.manifestDiffs ? { manifestDiffs: run.manifestDiffs } : {}),
  };
}

/** report.json's own pair (case_model_provider / case_model): read by the report rules, not as an artifact mention. */
export const REPORT_PAIR_KEYS = ['case_model_provider', 'case_model'] as const;

/** The secret scanner over the argv arrays of the trace. */
export function traceArgvFindings(t: TraceModel, config: Config): RawFinding[] {
  const r = new ArtifactReader(config);
  for (const a of t.argv ?? []) r.scanArgv(RUN_FILES.trace, a.line, a.text);
  return r.argvFindings;
}
