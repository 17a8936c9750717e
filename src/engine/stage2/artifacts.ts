/**
 * What every artifact of a run directory says about the model that ran, read the same way whatever its form: a
 * provider or model under a key (JSON, JSON Lines, `key: value` text), named in prose ("using model claude-sonnet-4-6
 * via anthropic"), or a deny-listed id anywhere; and command lines given as JSON argv arrays (`["case","--api-key",
 * "…"]`), which are joined into the command line they are and handed to the secret scanner like the plain-text form.
 * Pure: verify.ts streams the files in, contextFromMemory passes in-memory text.
 */
import { parseTree, type Node } from 'jsonc-parser';
import type { Config } from '../config.js';
import { lineIndex } from '../parse/text.js';
import { scannerOptions, scanText } from '../scanner/index.js';
import type { RawFinding } from '../types.js';
import { normId as identityKey } from '../identity.js';

/** A provider or model an artifact names, or a deny-listed id it contains. */
export interface IdHit {
  file: string;
  line: number;
  kind: 'provider' | 'model' | 'denied';
  /** The key it was found under, or how it was read (`text`). */
  key: string;
  value: string;
}

/** Known ids: providers with a class (vocabularies.provider-class-of) and deny-listed ids, as identityKey forms. */
export interface KnownIds {
  providers: ReadonlySet<string>;
  denied: readonly string[];
  deniedRe?: RegExp;
}

export function knownIds(config: Config): KnownIds {
  const denied = [...new Set(config['deny-list'].flatMap((p) => [p.provider, p.model]).map(identityKey))].filter(Boolean);
  const providers = new Set([...Object.keys(config.vocabularies['provider-class-of']), ...config['deny-list'].map((p) => p.provider)].map(identityKey));
  const esc = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  return {
    providers,
    denied,
    ...(denied.length ? { deniedRe: new RegExp(`(?<![A-Za-z0-9])(?:${denied.map(esc).join('|')})(?![A-Za-z0-9])`, 'giu') } : {}),
  };
}

const ID = String.raw`[A-Za-z0-9][A-Za-z0-9._:/@+-]{0,127}`;
/** `model: x`, `model=x`, `"model": "x"`, `fallback_model x`, `provider_name: x`, `model id x`. Group 1: the word, 2: the separator, 3: the value. */
const KEYED = new RegExp(String.raw`(?<![A-Za-z0-9])(model|provider)(?:[ _-]?(?:id|name))?["'\`]?(\s{0,3}[:=]\s{0,3}|\s{1,3})["'\`]?(${ID})`, 'gi');
/** `via anthropic`, `fell back to anthropic`: counted only when the value is a known provider or a deny-listed id. */
const ROUTED = new RegExp(String.raw`(?<![A-Za-z0-9])(?:via|through|using|fell back to|falling back to|fallback to|switched to|switching to)\s{1,3}["'\`]?(${ID})`, 'gi');

const trimId = (v: string) => v.replace(/[.:/@+-]+$/, '');

/** A text's provider/model mentions and deny-listed ids (bounded: a line's first 200 hits). */
export function textIds(text: string, known: KnownIds): Array<Omit<IdHit, 'file' | 'line'>> {
  const out: Array<Omit<IdHit, 'file' | 'line'>> = [];
  const seen = new Set<string>();
  const add = (h: Omit<IdHit, 'file' | 'line'>) => {
    const k = `${h.kind}\0${identityKey(h.value)}`;
    if (out.length >= 200 || seen.has(k)) return;
    seen.add(k);
    out.push(h);
  };
  if (known.deniedRe) for (const m of text.matchAll(known.deniedRe)) add({ kind: 'denied', key: 'text', value: m[0] });
  if (!/model|provider|via|through|using|back to|switch/i.test(text)) return out;
  for (const m of text.matchAll(KEYED)) {
    const word = m[1]!.toLowerCase() as 'model' | 'provider';
    const strong = /[:=]/.test(m[2]!);
    const value = trimId(m[3]!);
    const key = identityKey(value);
    if (!/[a-z]/i.test(value)) continue;
    if (word === 'provider') {
      if (strong || known.providers.has(key)) add({ kind: 'provider', key: 'text', value });
    } else if (strong || /\d/.test(value) || known.denied.includes(key)) {
      // A model id named in prose carries a version number (gpt-4o, qwen3.6-35b-a3b, claude-sonnet-4-6); `model list` does not.
      add({ kind: 'model', key: 'text', value });
    }
  }
  for (const m of text.matchAll(ROUTED)) {
    const value = trimId(m[1]!);
    if (known.providers.has(identityKey(value))) add({ kind: 'provider', key: 'text', value });
  }
  return out;
}

/**
 * Whether a key names a provider or a model (same words as the trace reader: the last word `provider` or `model`, or
 * `model id` / `model name`).
 */
function keyKind(key: string): 'provider' | 'model' | undefined {
  const words = key
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .replace(/([A-Z]+)([A-Z][a-z])/g, '$1 $2')
    .toLowerCase()
    .split(/[\s_.-]+/)
    .filter(Boolean);
  const last = words.at(-1);
  if (last === 'provider') return 'provider';
  if (last === 'model' || ((last === 'id' || last === 'name') && words.at(-2) === 'model')) return 'model';
  return undefined;
}

/** What a JSON value (a line of JSON Lines, a whole JSON file) holds: ids under keys and in text, and argv command lines. */
export interface JsonFacts {
  ids: Array<Omit<IdHit, 'file' | 'line'> & { at?: number }>;
  /** Argv arrays joined into command lines (with the offset of the array when known). */
  argv: Array<{ text: string; at?: number }>;
  incomplete?: boolean;
}

const MAX_DEPTH = 64;

/** A shell-like rendering of an argv array: an element with a space or quote is double-quoted (JSON-escaped). */
export function joinArgv(items: string[]): string {
  return items.map((s) => (s === '' || /[\s"'`\\]/.test(s) ? JSON.stringify(s) : s)).join(' ');
}

/** An argv array: at least two string elements, one of them an option (`-x`, `--name`, `--name=value`). */
function isArgv(items: unknown[]): items is string[] {
  return items.length >= 2 && items.every((i) => typeof i === 'string') && (items as string[]).some((i) => /^--?[A-Za-z]/.test(i));
}

/**
 * Walks a parsed JSON value. `skipTop`: top-level keys not to read (report.json's case_model pair, checked by its own
 * rules). Objects with `"backend": "fake"` (the same-run baseline) name no Case model: their ids are not collected.
 */
export function jsonFacts(value: unknown, known: KnownIds, skipTop: readonly string[] = []): JsonFacts {
  const out: JsonFacts = { ids: [], argv: [] };
  const walk = (v: unknown, key: string, fake: boolean, depth: number, top: boolean) => {
    if (depth > MAX_DEPTH) {
      out.incomplete = true;
      return;
    }
    if (typeof v === 'string') {
      if (fake || !v) return;
      const kind = keyKind(key);
      if (kind) out.ids.push({ kind, key, value: v });
      for (const h of textIds(v, known)) if (!(kind && h.kind === kind && identityKey(h.value) === identityKey(v))) out.ids.push({ ...h, key: key ? `${key} (text)` : 'text' });
      return;
    }
    if (v === null || typeof v !== 'object') return;
    if (Array.isArray(v)) {
      if (isArgv(v)) out.argv.push({ text: joinArgv(v) });
      for (const x of v) walk(x, key, fake, depth + 1, false);
      return;
    }
    const obj = v as Record<string, unknown>;
    const isFake = fake || obj.backend === 'fake';
    for (const [k, x] of Object.entries(obj)) {
      if (top && skipTop.includes(k)) continue;
      walk(x, k, isFake, depth + 1, false);
    }
  };
  walk(value, '', false, 0, true);
  return out;
}

/** The same over a jsonc-parser tree (a whole JSON file): every hit carries the offset it was found at. */
function nodeFacts(root: Node, known: KnownIds, skipTop: readonly string[]): JsonFacts {
  const out: JsonFacts = { ids: [], argv: [] };
  const walk = (n: Node, key: string, fake: boolean, depth: number, top: boolean) => {
    if (depth > MAX_DEPTH) {
      out.incomplete = true;
      return;
    }
    if (n.type === 'string') {
      const v = String(n.value ?? '');
      if (fake || !v) return;
      const kind = keyKind(key);
      if (kind) out.ids.push({ kind, key, value: v, at: n.offset });
      for (const h of textIds(v, known)) if (!(kind && h.kind === kind && identityKey(h.value) === identityKey(v))) out.ids.push({ ...h, key: key ? `${key} (text)` : 'text', at: n.offset });
      return;
    }
    if (n.type === 'array') {
      const items = (n.children ?? []).map((c) => (c.type === 'string' ? String(c.value) : undefined));
      if (items.every((i) => i !== undefined) && isArgv(items)) out.argv.push({ text: joinArgv(items as string[]), at: n.offset });
      for (const c of n.children ?? []) walk(c, key, fake, depth + 1, false);
      return;
    }
    if (n.type !== 'object') return;
    const props = (n.children ?? []).map((p) => [p.children?.[0], p.children?.[1]] as const);
    const isFake = fake || props.some(([k, v]) => k?.value === 'backend' && v?.type === 'string' && v.value === 'fake');
    for (const [k, v] of props) {
      if (!k || !v || typeof k.value !== 'string') continue;
      if (top && skipTop.includes(k.value)) continue;
      walk(v, k.value, isFake, depth + 1, false);
    }
  };
  walk(root, '', false, 0, true);
  return out;
}

/** Largest artifact read whole as one JSON document (a larger one is read line by line). */
export const MAX_JSON_ARTIFACT_BYTES = 4 * 1024 * 1024;

/**
 * Reads the artifacts of a run directory one at a time: `text(file, content)` for an in-memory file, or `line()` for
 * each line of a streamed one. Collects the ids each names and the secret scanner's findings in its argv arrays.
 */
export class ArtifactReader {
  readonly ids: IdHit[] = [];
  readonly argvFindings: RawFinding[] = [];
  /** Files (or lines) that could not be read for the model check: fail closed. */
  readonly unread: Array<{ file: string; line: number; why: string }> = [];
  private readonly known: KnownIds;
  private readonly seen = new Set<string>();

  constructor(private readonly config: Config) {
    this.known = knownIds(config);
  }

  private hit(file: string, line: number, h: Omit<IdHit, 'file' | 'line'>): void {
    const k = `${file}\0${line}\0${h.kind}\0${h.key}\0${h.value}`;
    if (this.seen.has(k) || this.ids.length >= 10_000) return;
    this.seen.add(k);
    this.ids.push({ file, line, ...h });
  }

  /** The secret scanner over one argv command line (joined by joinArgv), reported at `line` of `file`. */
  scanArgv(file: string, line: number, command: string): void {
    for (const f of scanText(command, file, scannerOptions(this.config, 'artifact'))) {
      const { column: _c, ...rest } = f;
      this.argvFindings.push({ ...rest, line, message: `${f.message} (in a JSON argv array, read as the command line it is)` });
    }
  }

  /** One line of an artifact (JSON Lines, a log). */
  line(file: string, text: string, n: number, skipTop: readonly string[] = []): void {
    const t = text.trim();
    if ((t.startsWith('{') && t.endsWith('}')) || (t.startsWith('[') && t.endsWith(']'))) {
      let value: unknown;
      let parsed = false;
      try {
        value = JSON.parse(t);
        parsed = true;
      } catch {
        /* not JSON after all: read as text */
      }
      if (parsed) {
        const facts = jsonFacts(value, this.known, skipTop);
        for (const h of facts.ids) this.hit(file, n, h);
        for (const a of facts.argv) this.scanArgv(file, n, a.text);
        if (facts.incomplete) this.unread.push({ file, line: n, why: `nested deeper than ${MAX_DEPTH} levels` });
        return;
      }
    }
    for (const h of textIds(text, this.known)) this.hit(file, n, h);
  }

  /** A whole in-memory artifact: one JSON document when it is one (argv arrays across lines), else line by line. */
  text(file: string, content: string, skipTop: readonly string[] = []): void {
    const body = content.replace(/^\uFEFF/, '');
    const t = body.trimStart();
    if ((t.startsWith('{') || t.startsWith('[')) && body.length <= MAX_JSON_ARTIFACT_BYTES && body.includes('\n')) {
      const errors: Array<unknown> = [];
      const root = parseTree(body, errors as never, { disallowComments: true, allowTrailingComma: false });
      if (root && errors.length === 0) {
        const pos = lineIndex(body);
        const facts = nodeFacts(root, this.known, skipTop);
        for (const { at, ...h } of facts.ids) this.hit(file, pos(at ?? 0).line, h);
        for (const a of facts.argv) this.scanArgv(file, pos(a.at ?? 0).line, a.text);
        if (facts.incomplete) this.unread.push({ file, line: 1, why: `nested deeper than ${MAX_DEPTH} levels` });
        return;
      }
    }
    body.split(/\r?\n/).forEach((l, i) => this.line(file, l, i + 1, skipTop));
  }
}
