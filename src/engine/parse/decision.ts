/**
 * The decision record, read from the CommonMark tree (see markdown.ts): the `## Current Decision State` fields, the
 * Decision History section, and the primary and fallback pairs.
 *
 * A field is a list item whose text starts with its key, `- \`key\`: \`value\`.` (or `=`), or a row of a GFM table,
 * `| \`key\` | \`value\` |`, anywhere in the state section (also in a nested list or a block quote: what renders is
 * read). A key is a code span, or one of the known keys in plain text (`decision_status: x`). HTML (comments, HTML
 * blocks), fenced and indented code and link reference definitions are not rendered as content and are never read.
 * Anything that gives the state two readings (a key given twice, two state sections) is recorded in `ambiguities`.
 */
import { samePair as sameIdentityPair } from '../identity.js';
import type { ListItem, Paragraph, PhrasingContent, TableRow } from 'mdast';
import {
  descendants,
  inlineSource,
  inlineTokens,
  lineOf,
  normalizeTitle,
  sectionBody,
  tokenLines,
  type InlineToken,
  type MdDoc,
  type Section,
  visibleNodes,
} from './markdown.js';

export interface DecisionField {
  key: string;
  /** The value: the first code span when the value starts with one, else the free text without its final period. */
  value: string;
  /** Every code span of the value (lists such as evidence_sources), or [value] for free text. */
  values: string[];
  line: number;
  /** How it was written. */
  form?: 'bullet' | 'table';
}

/** Two readings of the state: every line involved, and what is ambiguous. */
export interface Ambiguity {
  /** The field key, when one field is given more than once. */
  key?: string;
  lines: number[];
  message: string;
}

export interface DecisionRecord {
  file: string;
  doc: MdDoc;
  /** Line of the (first) `## Current Decision State` heading. */
  line: number;
  /** Each key's first occurrence; a key given more than once is also in `ambiguities`. */
  fields: Map<string, DecisionField>;
  /** decision_status values recorded in Decision History, with their lines. */
  history: Array<{ value: string; line: number }>;
  historyLine?: number;
  /** Ways the record reads two ways (reported by decision/ambiguous). Empty when the state is unambiguous. */
  ambiguities: Ambiguity[];
}

export const CURRENT_STATE_HEADING = /^current decision state$/i;
const HISTORY_HEADING = /^decision history$/i;
const KEY = /^[A-Za-z0-9_.-]+$/;

/** The fields whose change is a change of decision state (needs an approver). */
export const DECISION_STATE_KEYS = [
  'decision_status',
  'provider_class',
  'provider',
  'model',
  'fallback_provider',
  'fallback_model',
  'credential_source_class',
  'allowed_network_class',
] as const;

/** Keys also recognised in plain text (without a code span), so a reader's `decision_status: x` is never left unread. */
export const KNOWN_FIELD_KEYS: ReadonlySet<string> = new Set<string>([
  ...DECISION_STATE_KEYS,
  'approval_source',
  'review_trigger',
  'evidence_sources',
  'effect',
]);

const isStateHeading = (title: string) => CURRENT_STATE_HEADING.test(normalizeTitle(title));
const isHistoryHeading = (title: string) => HISTORY_HEADING.test(normalizeTitle(title));

/** The Current Decision State sections of a document (more than one is ambiguous). */
export function stateSections(doc: MdDoc): Section[] {
  return doc.sections.filter((s) => isStateHeading(s.title));
}

export function hasDecisionState(doc: MdDoc): boolean {
  return stateSections(doc).length > 0;
}

export function parseFieldValue(rest: string): { value: string; values: string[] } {
  const trimmed = rest.trim();
  if (trimmed.startsWith('`')) {
    const spans = codeSpansOf(trimmed);
    const first = spans[0] ?? '';
    // A list of code spans (`a`, `b`, `c`.) keeps all of them; `x`; trailing note keeps only x as the value.
    const listLike = /^(`[^`]*`\s*,\s*)+`[^`]*`\s*\.?\s*$/.test(trimmed);
    return { value: first, values: listLike ? spans : [first] };
  }
  const free = trimmed.replace(/\.\s*$/, '').trim();
  return { value: free, values: free ? [free] : [] };
}

function codeSpansOf(text: string): string[] {
  const out: string[] = [];
  const re = /`([^`\n]{1,500})`/g;
  for (let m = re.exec(text); m; m = re.exec(text)) out.push(m[1]!);
  return out;
}

/** Field value from visible tokens: as parseFieldValue, but code spans come from the tree (a backtick inside one is fine). */
function valueOf(tokens: InlineToken[]): { value: string; values: string[] } {
  const toks = trimTokens(tokens);
  if (toks[0]?.kind === 'code') {
    const codes = toks.filter((t) => t.kind === 'code').map((t) => t.value.trim());
    const texts = toks.filter((t) => t.kind === 'text');
    // `a`, `b`, `c`. : code spans separated by commas, at most a final period.
    const listLike =
      codes.length > 1 &&
      toks.every((t, i) => t.kind === (i % 2 === 0 ? 'code' : 'text')) &&
      texts.every((t, i) => (i === texts.length - 1 && toks[toks.length - 1]?.kind === 'text' ? /^\s*\.?\s*$/ : /^\s*,\s*$/).test(t.value));
    return { value: codes[0] ?? '', values: listLike ? codes : [codes[0] ?? ''] };
  }
  let free = inlineSource(toks).replace(/\s+/g, ' ').trim().replace(/\.\s*$/, '').trim();
  // `` (an unclosed code span renders as two backticks) and the like are an empty value, as they read.
  if (/^[`\s.]*$/.test(free)) free = '';
  return { value: free, values: free ? [free] : [] };
}

function trimTokens(tokens: InlineToken[]): InlineToken[] {
  const out = tokens.map((t) => ({ ...t }));
  while (out[0]?.kind === 'text' && out[0].value.trim() === '') out.shift();
  if (out[0]?.kind === 'text') out[0].value = out[0].value.trimStart();
  while (out.length && out[out.length - 1]!.kind === 'text' && out[out.length - 1]!.value.trim() === '') out.pop();
  return out;
}

/** A key as a reader reads it: NFKC, invisible characters dropped, case-folded when it then names a known key. */
function readKey(raw: string, plain: boolean): string | undefined {
  const k = raw.normalize('NFKC').replace(/\p{Default_Ignorable_Code_Point}/gu, '').trim();
  const folded = k.toLowerCase().replace(/[\s-]+/g, '_');
  if (KNOWN_FIELD_KEYS.has(folded)) return folded;
  if (plain) return undefined;
  return KEY.test(k) ? k : undefined;
}

/** `key`: rest  or  key: rest (known keys only). Returns the key and the tokens of the value. */
function splitField(tokens: InlineToken[]): { key: string; rest: InlineToken[] } | undefined {
  const toks = trimTokens(tokens);
  const first = toks[0];
  if (!first) return undefined;
  if (first.kind === 'code') {
    const key = readKey(first.value, false);
    const sep = toks[1];
    const m = sep?.kind === 'text' ? /^\s*[:=]/.exec(sep.value) : null;
    if (!key || !m) return undefined;
    return { key, rest: [{ ...sep!, value: sep!.value.slice(m[0].length) }, ...toks.slice(2)] };
  }
  const m = /^([^:=`\n]{1,60}?)\s*[:=]/.exec(first.value);
  const key = m?.[1] ? readKey(m[1], true) : undefined;
  if (!m || !key) return undefined;
  return { key, rest: [{ ...first, value: first.value.slice(m[0].length) }, ...toks.slice(1)] };
}

/** The first paragraph of a list item (its own text; nested lists are items of their own). */
function itemParagraph(item: ListItem): Paragraph | undefined {
  const p = item.children[0];
  return p?.type === 'paragraph' ? p : undefined;
}

/** A table row as a field: first cell the key, second the value. */
function rowField(row: TableRow): { key: string; rest: InlineToken[] } | undefined {
  const [k, v] = row.children;
  if (!k) return undefined;
  const keyToks = trimTokens(inlineTokens(k.children));
  const only = keyToks.length === 1 ? keyToks[0] : undefined;
  const key = only ? readKey(only.value, only.kind === 'text') : undefined;
  if (!key) return undefined;
  return { key, rest: v ? inlineTokens(v.children) : [] };
}


interface Occurrence extends DecisionField {
  form: 'bullet' | 'table';
}

function readFields(sections: Section[]): Occurrence[] {
  const out: Occurrence[] = [];
  for (const section of sections) {
    for (const n of visibleNodes(sectionBody(section))) {
      if (n.type === 'listItem') {
        const p = itemParagraph(n);
        const f = p ? splitField(inlineTokens(p.children)) : undefined;
        if (f) out.push({ key: f.key, ...valueOf(f.rest), line: lineOf(n), form: 'bullet' });
      } else if (n.type === 'tableRow') {
        const f = rowField(n);
        if (f) out.push({ key: f.key, ...valueOf(f.rest), line: lineOf(n), form: 'table' });
      }
    }
  }
  return out;
}

const lineList = (lines: number[]) => (lines.length === 1 ? `line ${lines[0]}` : `lines ${lines.join(', ')}`);

export function parseDecisionRecord(doc: MdDoc): DecisionRecord | undefined {
  const sections = stateSections(doc);
  const section = sections[0];
  if (!section) return undefined;
  const ambiguities: Ambiguity[] = [];
  if (sections.length > 1) {
    const lines = sections.map((s) => s.line);
    ambiguities.push({ lines, message: `${sections.length} "Current Decision State" sections (${lineList(lines)}): the record must have exactly one` });
  }
  const fields = new Map<string, DecisionField>();
  const byKey = new Map<string, Occurrence[]>();
  for (const occ of readFields(sections)) {
    const list = byKey.get(occ.key) ?? [];
    list.push(occ);
    byKey.set(occ.key, list);
    if (!fields.has(occ.key)) fields.set(occ.key, occ);
  }
  for (const [key, occs] of byKey) {
    if (occs.length < 2) continue;
    const lines = occs.map((o) => o.line);
    const forms = new Set(occs.map((o) => o.form));
    const how = forms.size > 1 ? 'as a bullet and in a table row' : forms.has('table') ? 'in table rows' : 'as bullets';
    const values = [...new Set(occs.map((o) => o.value))];
    ambiguities.push({
      key,
      lines,
      message:
        `\`${key}\` is given ${occs.length} times ${how} (${lineList(lines)})` +
        (values.length > 1 ? ` with different values (${values.map((v) => `"${v}"`).join(', ')})` : '') +
        ': give each state field exactly once',
    });
  }
  // A field-shaped line that is not a list item or a table row (an escaped `\\- `, a paragraph, a second paragraph of a
  // bullet) reads to a reviewer like a field but is not one: flagged rather than skipped.
  for (const section of sections) {
    const firsts = new Set<unknown>();
    const nodes = visibleNodes(sectionBody(section));
    for (const n of nodes) if (n.type === 'listItem' && n.children[0]) firsts.add(n.children[0]);
    for (const n of nodes) {
      if (n.type !== 'paragraph' || firsts.has(n)) continue;
      for (const line of tokenLines(inlineTokens(n.children))) {
        const head = line[0];
        const toks = head?.kind === 'text' ? [{ ...head, value: head.value.replace(/^\s*[-*+]\s+/, '') }, ...line.slice(1)] : line;
        const f = splitField(toks);
        if (f && KNOWN_FIELD_KEYS.has(f.key)) {
          const l = line[0]!.line;
          ambiguities.push({ key: f.key, lines: [l], message: `\`${f.key}\` on line ${l} is not a list item or a table row, so it is not read as a field: make it a bullet or remove it` });
        }
      }
    }
  }
  // HTML that renders a state field (`<li><code>decision_status</code>: …`) shows a reviewer a value this reader does
  // not read: not a silent skip but an ambiguity. Comments are removed first: they render nothing.
  for (const section of sections) {
    for (const n of descendants(sectionBody(section), (x) => x.type === 'code')) {
      if (n.type !== 'html') continue;
      const shown = n.value.replace(/<!--[\s\S]*?(?:-->|$)/g, '');
      const key = [...KNOWN_FIELD_KEYS].find((k) => new RegExp(`\\b${k}\\b`, 'i').test(shown));
      if (key) {
        ambiguities.push({ key, lines: [lineOf(n)], message: `\`${key}\` is written in HTML on line ${lineOf(n)}, which this check does not read: write the state as Markdown bullets or table rows` });
      }
    }
  }
  const historySections = doc.sections.filter((s) => isHistoryHeading(s.title));
  const history = readHistory(historySections);
  const historySection = historySections[0];
  return { file: doc.file, doc, line: section.line, fields, history, ambiguities, ...(historySection ? { historyLine: historySection.line } : {}) };
}

/** `decision_status`: `value` (or value) anywhere in the visible text of the Decision History sections. */
function readHistory(sections: Section[]): DecisionRecord['history'] {
  const history: DecisionRecord['history'] = [];
  for (const section of sections) {
    for (const n of visibleNodes(sectionBody(section))) {
      let inline: PhrasingContent[] | undefined;
      if (n.type === 'paragraph' || n.type === 'heading' || n.type === 'tableCell') inline = n.children;
      if (n.type === 'tableRow') {
        const f = rowField(n);
        if (f?.key === 'decision_status') {
          const v = valueOf(f.rest).value;
          if (/^[A-Za-z0-9_-]+$/.test(v)) history.push({ value: v, line: lineOf(n) });
        }
        continue;
      }
      if (!inline) continue;
      const toks = inlineTokens(inline);
      for (let i = 0; i < toks.length; i++) {
        const t = toks[i]!;
        if (t.kind !== 'code' || readKey(t.value, false) !== 'decision_status') continue;
        const next = toks[i + 1];
        if (next?.kind !== 'text') continue;
        const sep = /^\s*[:=]\s*/.exec(next.value);
        if (!sep) continue;
        const after = next.value.slice(sep[0].length);
        const plain = /^([A-Za-z0-9_-]+)/.exec(after);
        if (plain?.[1]) history.push({ value: plain[1], line: t.line });
        else if (after === '' && toks[i + 2]?.kind === 'code' && /^[A-Za-z0-9_-]+$/.test(toks[i + 2]!.value)) {
          history.push({ value: toks[i + 2]!.value, line: t.line });
        }
      }
    }
  }
  return history;
}

export function field(record: DecisionRecord, key: string): string | undefined {
  const v = record.fields.get(key)?.value;
  return v === undefined || v === '' ? undefined : v;
}

export interface Pair {
  provider: string;
  model: string;
}

export function primaryPair(record: DecisionRecord): Pair | undefined {
  const provider = field(record, 'provider');
  const model = field(record, 'model');
  return provider && model ? { provider, model } : undefined;
}

export function fallbackPair(record: DecisionRecord): Pair | undefined {
  const provider = field(record, 'fallback_provider');
  const model = field(record, 'fallback_model');
  return provider && model ? { provider, model } : undefined;
}

/** Same provider and model, compared on the normalised form (src/engine/identity.ts): `Claude-Sonnet-4-6` is `claude-sonnet-4-6`. */
export const samePair = (a: Pair | undefined, b: Pair | undefined): boolean => sameIdentityPair(a, b);

