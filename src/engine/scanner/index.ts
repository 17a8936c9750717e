/**
 * The no-secret scanner: detector registry and public API. Pure: imports nothing from @actions/*.
 * Flow: prefilter (keywords) → candidate lines → detectors on those lines → overlap resolution
 * → RawFinding with a redacted message and a sha256 fingerprint that never contains the value.
 */
import { createHash } from 'node:crypto';
import { proseStartLine } from '../allow.js';
import type { Config } from '../config.js';
import type { RawFinding, Suppression } from '../types.js';
import { anyCandidate, buildPrefilter, candidates } from './prefilter.js';
import { redact } from './redact.js';
import { encodedCandidates } from './encoded.js';
import { renderedLines } from './render.js';
import type { Detector, Match, ScanOptions } from './types.js';
import { age } from './detectors/age.js';
import { anthropic } from './detectors/anthropic.js';
import { atlassian } from './detectors/atlassian.js';
import { aws } from './detectors/aws.js';
import { azure } from './detectors/azure.js';
import { basicAuth } from './detectors/basic-auth.js';
import { bearer } from './detectors/bearer.js';
import { clojars } from './detectors/clojars.js';
import { cloudflare } from './detectors/cloudflare.js';
import { databricks } from './detectors/databricks.js';
import { docker } from './detectors/docker.js';
import { endpoint } from './detectors/endpoint.js';
import { flyio } from './detectors/flyio.js';
import { github } from './detectors/github.js';
import { gitlab } from './detectors/gitlab.js';
import { google } from './detectors/google.js';
import { grafana } from './detectors/grafana.js';
import { groq } from './detectors/groq.js';
import { hashicorp } from './detectors/hashicorp.js';
import { highEntropyDetector } from './detectors/high-entropy.js';
import { huggingface } from './detectors/huggingface.js';
import { jwt } from './detectors/jwt.js';
import { keyName } from './detectors/key-name.js';
import { notion } from './detectors/notion.js';
import { npm } from './detectors/npm.js';
import { onepassword } from './detectors/onepassword.js';
import { openai } from './detectors/openai.js';
import { openshift } from './detectors/openshift.js';
import { privateKey } from './detectors/private-key.js';
import { sendgrid } from './detectors/sendgrid.js';
import { sentry } from './detectors/sentry.js';
import { slack } from './detectors/slack.js';
import { sourcegraph } from './detectors/sourcegraph.js';
import { stripe } from './detectors/stripe.js';
import { targetPath } from './detectors/target-path.js';
import { urlCredentials } from './detectors/url-credentials.js';
import { vault } from './detectors/vault.js';

export type { Detector, Match, ScanOptions, ScanKind } from './types.js';
export type { AllowDirective } from '../allow.js';
export { redact } from './redact.js';
export { scanFile } from './stream.js';

/** Every detector, specific formats first. Add a detector: copy a file in detectors/, list it here. */
export const detectors: readonly Detector[] = [
  openai, anthropic, github, aws, google, slack, huggingface, npm, stripe, privateKey, jwt,
  gitlab, groq, sendgrid, vault, azure, notion, sentry, sourcegraph, onepassword, age, atlassian,
  databricks, flyio, grafana, hashicorp, openshift, clojars, cloudflare, docker,
  urlCredentials, basicAuth, bearer, keyName, highEntropyDetector, endpoint, targetPath,
];

export const SCANNER_RULE_IDS: readonly string[] = [...new Set(detectors.map((d) => d.id))];

/**
 * Detectors run on decoded base64/hex text: every one but the generic key-name and high-entropy guesses (decoded JSON
 * or config is full of assignments; what counts there is a known token, a credential or the endpoint).
 */
const DECODED_DETECTORS: readonly Detector[] = detectors.filter((d) => d.id !== 'secret/high-entropy' && d.id !== 'secret/key-name');
/** Nesting of encodings followed (base64 of base64 of a token is found; a third layer is not decoded). */
const MAX_DECODE_DEPTH = 2;
/**
 * An encoded finding loses an overlap to a specific format and to the credential detectors (a JWT, whose parts are
 * base64 of JSON, stays a JWT), and wins over the key-name and high-entropy guesses (priority 2 and 3).
 */
const ENCODED_PRIORITY = 1.5;

const DEFAULT_REASON = '(secret value must not appear in SOT or artifacts)';
/**
 * In documentation (a Markdown file), a line carrying this marker is an example: its findings are listed and counted as
 * suppressed with EXAMPLE_REASON, never active. Anywhere else (its front matter, artifacts, logs, JSON) the marker means
 * nothing. A marker the change itself adds counts only once approved (see evaluate()).
 */
export const EXAMPLE_MARKER = 'sot-gate:example';
export const EXAMPLE_REASON = `documentation example (${EXAMPLE_MARKER})`;
/** Documentation, where EXAMPLE_MARKER counts: a Markdown file. */
export function isDocumentation(file: string): boolean {
  return /\.(?:md|markdown)$/i.test(file);
}
/** 0-based indexes of the lines of a text that carry EXAMPLE_MARKER (one pass: a 1 MB line must not be searched per finding). */
export function exampleLines(text: string): Set<number> {
  const lines = new Set<number>();
  let line = 0;
  let nl = text.indexOf('\n');
  for (let i = text.indexOf(EXAMPLE_MARKER); i >= 0; i = text.indexOf(EXAMPLE_MARKER, i + 1)) {
    for (; nl >= 0 && nl < i; nl = text.indexOf('\n', nl + 1)) line++;
    lines.add(line);
  }
  return lines;
}

export function scannerOptions(config: Config, kind: ScanOptions['kind']): ScanOptions {
  return {
    endpointVariables: [...config.secrets['endpoint-variables']],
    targetRepositoryPatterns: [...config.secrets['target-repository-patterns']],
    kind,
  };
}

/** sha256 over rule, file and value; hex, 32 chars. Stable across line moves; never the value itself. */
export function fingerprint(ruleId: string, file: string, value: string): string {
  return createHash('sha256').update(`${ruleId}\0${file}\0${value}`).digest('hex').slice(0, 32);
}

/** A finding with its absolute offset, before it becomes a RawFinding (used by the streaming scanner). */
export interface Located extends RawFinding {
  ruleId: string;
  offset: number;
  /** Set on a documentation example (EXAMPLE_MARKER): applySuppressions lists it as suppressed. */
  suppressed?: Suppression;
}

function lineStartsOf(text: string): Int32Array {
  const starts = [0];
  for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) starts.push(i + 1);
  return Int32Array.from(starts);
}

/** Index of the line containing pos (0-based). */
function lineAt(starts: Int32Array, pos: number): number {
  let lo = 0;
  let hi = starts.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (starts[mid]! <= pos) lo = mid;
    else hi = mid - 1;
  }
  return lo;
}

/** Disjoint [start, end) spans kept sorted; add() refuses a span that overlaps one already held. */
class SpanSet {
  private starts: number[] = [];
  private ends: number[] = [];
  add(start: number, end: number): boolean {
    let lo = 0;
    let hi = this.starts.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (this.starts[mid]! < start) lo = mid + 1;
      else hi = mid;
    }
    if (lo > 0 && this.ends[lo - 1]! > start) return false;
    if (lo < this.starts.length && this.starts[lo]! < end) return false;
    this.starts.splice(lo, 0, start);
    this.ends.splice(lo, 0, end);
    return true;
  }
}

/**
 * Scan a block of text. `firstLine` is the 1-based number of its first line; `firstColumn` the
 * 0-based column offset of its first character (non-zero when a very long line is scanned in windows).
 */
/** At most this many findings of one rule are listed per file; the rest are counted in one more finding. */
export const MAX_FINDINGS_PER_RULE = 1000;

/**
 * What is left to list per rule in one file, shared by the blocks of a streamed file. A hostile file (a finding every
 * few bytes) would otherwise hold millions of findings in memory and print them all.
 */
export class FindingBudget {
  private readonly listed = new Map<string, number>();
  private readonly over = new Map<string, { count: number; line: number }>();
  constructor(private readonly max = MAX_FINDINGS_PER_RULE) {}

  /** Whether one more finding of `ruleId` (at `line`) is listed; counts it when it is not. */
  take(ruleId: string, line: number): boolean {
    const n = this.listed.get(ruleId) ?? 0;
    if (n < this.max) {
      this.listed.set(ruleId, n + 1);
      return true;
    }
    const o = this.over.get(ruleId);
    if (o) o.count++;
    else this.over.set(ruleId, { count: 1, line });
    return false;
  }

  /** One finding per rule that went over: at the first one not listed, with the count (fails like the others). */
  overflow(file: string): ScanFinding[] {
    return [...this.over].map(([ruleId, o]) => ({
      file,
      line: o.line,
      ruleId,
      message: `${o.count} more ${ruleId} finding${o.count === 1 ? '' : 's'} in this file from here on, not listed (at most ${this.max} per rule and file)`,
      fingerprint: fingerprint(ruleId, file, `more than ${this.max}`),
    }));
  }
}

export function scanBlock(text: string, file: string, opts: ScanOptions, firstLine = 1, firstColumn = 0, budget?: FindingBudget): Located[] {
  const { starts, kept } = resolvedMatches(text, opts);
  const examples = isDocumentation(file) && text.includes(EXAMPLE_MARKER) ? exampleLines(text) : undefined;
  // The marker counts in the prose of a Markdown file, never in its YAML front matter.
  const prose = examples && firstLine === 1 ? proseStartLine(text) : 1;
  const out: Located[] = [];
  const emit = (h: Hit, l: number, rawColumn: number, quoting: SafeQuotes, lineStart: number) => {
    if (budget && !budget.take(h.d.id, firstLine + l)) return;
    const column = rawColumn + 1 + (l === 0 ? firstColumn : 0);
    const message = h.m.message ?? `${h.d.title} ${redact(h.m.value)} ${h.d.reason ?? DEFAULT_REASON}`;
    out.push({
      file,
      line: firstLine + l,
      column,
      ruleId: h.d.id,
      message: message.includes('"') ? quoting.redact(message, h, lineStart) : message,
      fingerprint: fingerprint(h.d.id, file, h.m.value),
      offset: starts[l]! + rawColumn,
      ...(examples?.has(l) && firstLine + l >= prose ? { suppressed: { kind: 'inline' as const, reason: EXAMPLE_REASON } } : {}),
    });
  };
  const quoting = new SafeQuotes(kept, opts);
  for (const h of kept) {
    const l = lineAt(starts, h.abs);
    emit(h, l, h.abs - starts[l]!, quoting, starts[l]!);
  }
  if (isDocumentation(file)) renderedPass(text, opts, starts, kept, emit);
  return out.sort((a, b) => a.line - b.line || (a.column ?? 0) - (b.column ?? 0) || a.ruleId.localeCompare(b.ruleId));
}

/**
 * Documentation is also scanned as it renders (render.ts): escapes and character references resolved, table rows read
 * as name/value pairs, code spans unwrapped. Only rendered lines that differ are scanned, in a text of the same line
 * count, so a finding keeps its raw line and the raw column its value starts at. A value the raw scan already reported
 * on that line, or a finding of the same rule over the same raw span, is not reported again.
 */
function renderedPass(
  text: string,
  opts: ScanOptions,
  starts: Int32Array,
  rawKept: Hit[],
  emit: (h: Hit, l: number, rawColumn: number, quoting: SafeQuotes, lineStart: number) => void,
): void {
  const rendered = renderedLines(text);
  if (rendered.size === 0) return;
  const lineCount = starts.length;
  // What the raw scan reported on the rendered lines: rule, line and value; and each rule's raw spans.
  const seen = new Set<string>();
  const rawSpans = new Map<string, Array<[number, number]>>();
  for (const h of rawKept) {
    const l = lineAt(starts, h.abs);
    if (!rendered.has(l)) continue;
    seen.add(`${h.d.id}\0${l}\0${h.m.value}`);
    const list = rawSpans.get(h.d.id) ?? [];
    list.push([h.abs, h.abs + h.m.value.length]);
    rawSpans.set(h.d.id, list);
  }
  const parts: string[] = new Array<string>(lineCount).fill('');
  for (const [l, r] of rendered) if (l < lineCount) parts[l] = r.text;
  const rtext = parts.join('\n');
  const { starts: rstarts, kept } = resolvedMatches(rtext, opts);
  if (kept.length === 0) return;
  const quoting = new SafeQuotes(kept, opts);
  for (const h of kept) {
    const l = lineAt(rstarts, h.abs);
    const r = rendered.get(l);
    if (!r) continue;
    const at = h.abs - rstarts[l]!;
    const rawColumn = r.cols[at] ?? 0;
    const rawEnd = (r.cols[Math.min(r.cols.length, at + h.m.value.length) - 1] ?? rawColumn) + 1;
    const key = `${h.d.id}\0${l}\0${h.m.value}`;
    if (seen.has(key)) continue;
    const s = starts[l]! + rawColumn;
    const e = starts[l]! + rawEnd;
    if (rawSpans.get(h.d.id)?.some(([a, b]) => a < e && s < b)) continue;
    seen.add(key);
    emit(h, l, rawColumn, quoting, rstarts[l]!);
  }
}

/** How far before its value a quoted key can start: quotes, an 81-character name, `]`, spaces and a separator (keys.ts). */
const KEY_REACH = 160;

/**
 * A message that quotes input (`secret-named key "…"`, `assigned to "…"`) must not carry a secret through the quote: a
 * key name can itself be a token (`ghp_…_SECRET=…`, `{"sk-…": "…"}`). Each quoted part loses any value another detector
 * found just before this finding's value on the same line (where its key is), then anything a detector finds in the
 * quoted part on its own (redactSecrets).
 */
class SafeQuotes {
  private byPosition?: Hit[];
  private cache = new Map<string, string>();
  constructor(
    private readonly kept: Hit[],
    private readonly opts: ScanOptions,
  ) {}

  redact(message: string, self: Hit, lineStart: number): string {
    const others = this.before(self, Math.max(lineStart, self.abs - KEY_REACH));
    return message.replace(/"[^"]*"/g, (quoted) => {
      let q = quoted;
      for (const o of others) if (q.includes(o.m.value)) q = q.split(o.m.value).join(redact(o.m.value));
      let safe = this.cache.get(q);
      if (safe === undefined) {
        safe = q.length < 10 ? q : redactSecrets(q, { ...this.opts, kind: 'artifact' });
        if (this.cache.size > 1024) this.cache.clear();
        this.cache.set(q, safe);
      }
      return safe;
    });
  }

  /** Other hits of 8+ characters starting in [from, self.abs): kept spans are disjoint, so at most KEY_REACH of them. */
  private before(self: Hit, from: number): Hit[] {
    this.byPosition ??= [...this.kept].sort((a, b) => a.abs - b.abs);
    const sorted = this.byPosition;
    let lo = 0;
    let hi = sorted.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (sorted[mid]!.abs < from) lo = mid + 1;
      else hi = mid;
    }
    const out: Hit[] = [];
    for (let i = lo; i < sorted.length && sorted[i]!.abs < self.abs; i++) if (sorted[i] !== self && sorted[i]!.m.value.length >= 8) out.push(sorted[i]!);
    return out;
  }
}

interface Hit {
  d: Detector;
  m: Match;
  abs: number;
  /** Overrides the detector's priority (a finding in decoded text: ENCODED_PRIORITY). */
  priority?: number;
  /** A finding in decoded text: how the run was encoded (`base64`, `hex`, `base64 of base64`). */
  encodedAs?: string;
}

/** Every detector match of a text after overlap resolution (specific formats win), with absolute offsets. */
function resolvedMatches(text: string, opts: ScanOptions, list: readonly Detector[] = detectors, depth = 0): { starts: Int32Array; kept: Hit[] } {
  const pf = buildPrefilter(list, opts);
  const perDetector = candidates(text, pf, list.length);
  // After the keyword pass: its regex has flattened the string, which the character loop of encodedCandidates reads.
  const encoded = depth < MAX_DECODE_DEPTH ? encodedHits(text, opts, depth) : [];
  if (encoded.length === 0 && perDetector.every((c) => c.length === 0)) return { starts: new Int32Array([0]), kept: [] };
  const starts = lineStartsOf(text);
  const lineEnd = (l: number) => (l + 1 < starts.length ? starts[l + 1]! - 1 : text.length);
  // (line, detector) pairs, line-major: each line is sliced once, and detectors reading the same line share work (the
  // key-name and high-entropy detectors share its parsed assignments).
  const D = list.length;
  const pairs: number[] = [];
  perDetector.forEach((positions, di) => {
    let lastLine = -1;
    for (const pos of positions) {
      const l = lineAt(starts, pos);
      if (l !== lastLine) pairs.push(l * D + di);
      lastLine = l;
    }
  });
  pairs.sort((a, b) => a - b);
  const hits: Hit[] = [...encoded];
  let line = -1;
  let lineText = '';
  for (const pair of pairs) {
    const l = Math.floor(pair / D);
    const d = list[pair - l * D]!;
    const s = starts[l]!;
    const e = lineEnd(l);
    if (l !== line) {
      line = l;
      lineText = text.slice(s, e);
    }
    const window = d.windowAfter
      ? text.slice(s, Math.min(text.length, s + d.windowAfter))
      : d.nextLine && l + 1 < starts.length
        ? text.slice(s, lineEnd(l + 1))
        : lineText;
    for (const m of d.find(window, opts)) {
      if (d.windowAfter && m.index > e - s) continue; // reported from its own line
      hits.push({ d, m, abs: s + m.index });
    }
  }
  // Overlap resolution: specific formats win over generic ones on the same span.
  hits.sort((a, b) => priorityOf(a) - priorityOf(b) || a.abs - b.abs || b.m.value.length - a.m.value.length);
  const kept: Hit[] = [];
  const spans = new SpanSet();
  for (const h of hits) if (spans.add(h.abs, h.abs + Math.max(1, h.m.value.length))) kept.push(h);
  return { starts, kept };
}

const priorityOf = (h: Hit): number => h.priority ?? h.d.priority ?? 0;

/**
 * Findings in the decoded text of base64 and hex runs (encoded.ts), one per run: reported under the rule that found the
 * value in the decoded text, at the run, whose written form is the value (hashed into the fingerprint, redacted in
 * every output: redactSecrets replaces the run).
 */
function encodedHits(text: string, opts: ScanOptions, depth: number): Hit[] {
  const out: Hit[] = [];
  const candidates = encodedCandidates(text);
  if (candidates.length === 0) return out;
  const pf = buildPrefilter(DECODED_DETECTORS, opts);
  // The same run repeated (a log line logged a thousand times) is decoded and scanned once.
  const done = new Map<string, Hit[]>();
  for (const c of candidates) {
    let inner = done.get(c.decoded);
    if (!inner) {
      // No keyword, no trigger: nothing any detector could find (and, but for an encoded run inside, nothing deeper).
      inner = anyCandidate(c.decoded, pf) || (depth + 1 < MAX_DECODE_DEPTH && /[A-Za-z0-9+/_-]{16}/.test(c.decoded)) ? resolvedMatches(c.decoded, opts, DECODED_DETECTORS, depth + 1).kept : [];
      if (done.size < 4096) done.set(c.decoded, inner);
    }
    if (inner.length === 0) continue;
    const first = inner.reduce((a, b) => (priorityOf(b) < priorityOf(a) ? b : a));
    const encodedAs = first.encodedAs ? `${c.form} of ${first.encodedAs}` : c.form;
    out.push({
      d: first.d,
      abs: c.index,
      m: { index: c.index, value: c.value, message: `${encodedAs}-encoded ${first.d.title} ${redact(c.value)} ${first.d.reason ?? DEFAULT_REASON}` },
      priority: ENCODED_PRIORITY,
      encodedAs,
    });
  }
  return out;
}

/** A finding of scanText: a RawFinding, suppressed when it is a documentation example. */
export type ScanFinding = Omit<Located, 'offset'>;

/** Scan a whole text. Findings carry ruleId, 1-based line and column, a redacted message and a fingerprint. */
export function scanText(text: string, file: string, opts: ScanOptions): ScanFinding[] {
  const budget = new FindingBudget();
  return [...scanBlock(text, file, opts, 1, 0, budget).map(({ offset: _o, ...f }) => f), ...budget.overflow(file)];
}

const REDACT_OPTS: ScanOptions = { endpointVariables: ['CTO_HARNESS_CASE_LOCAL_BASE_URL'], targetRepositoryPatterns: [], kind: 'artifact' };

/**
 * Replace every detected secret or endpoint value in a text with its redacted form. The last line of defence for text
 * that quotes input (a rule message quoting a field value, an error message): no output may carry a detected value.
 */
export function redactSecrets(text: string, opts: ScanOptions = REDACT_OPTS): string {
  const { kept } = resolvedMatches(text, opts);
  if (kept.length === 0) return text;
  let out = text;
  for (const h of [...kept].sort((a, b) => b.abs - a.abs)) {
    if (!h.m.value) continue;
    const at = text.indexOf(h.m.value, h.abs);
    const start = at === -1 ? text.indexOf(h.m.value) : at;
    if (start === -1) continue;
    out = out.slice(0, start) + redact(h.m.value) + out.slice(start + h.m.value.length);
  }
  return out;
}
