/**
 * The decision record: `## Current Decision State` bullets (`- \`key\`: \`value\`.` or `- \`key\`: free text.`),
 * the Decision History section, and the primary and fallback pairs.
 */
import { samePair as sameIdentityPair } from '../identity.js';
import { codeSpans, findSection, sectionLines, type MdDoc } from './markdown.js';

export interface DecisionField {
  key: string;
  /** The value: the first code span when the value starts with one, else the free text without its final period. */
  value: string;
  /** Every code span of the value (lists such as evidence_sources), or [value] for free text. */
  values: string[];
  line: number;
}

export interface DecisionRecord {
  file: string;
  doc: MdDoc;
  /** Line of the `## Current Decision State` heading. */
  line: number;
  fields: Map<string, DecisionField>;
  /** decision_status values recorded in Decision History, with their lines. */
  history: Array<{ value: string; line: number }>;
  historyLine?: number;
}

export const CURRENT_STATE_HEADING = /^current decision state$/i;
const HISTORY_HEADING = /^decision history$/i;
const FIELD = /^\s*[-*+]\s+`([A-Za-z0-9_.-]+)`\s*[:=]\s*(.*)$/;

export function hasDecisionState(doc: MdDoc): boolean {
  return findSection(doc, (t) => CURRENT_STATE_HEADING.test(t)) !== undefined;
}

export function parseFieldValue(rest: string): { value: string; values: string[] } {
  const trimmed = rest.trim();
  if (trimmed.startsWith('`')) {
    const spans = codeSpans(trimmed);
    const first = spans[0] ?? '';
    // A list of code spans (`a`, `b`, `c`.) keeps all of them; `x`; trailing note keeps only x as the value.
    const listLike = /^(`[^`]*`\s*,\s*)+`[^`]*`\s*\.?\s*$/.test(trimmed);
    return { value: first, values: listLike ? spans : [first] };
  }
  const free = trimmed.replace(/\.\s*$/, '').trim();
  return { value: free, values: free ? [free] : [] };
}

export function parseDecisionRecord(doc: MdDoc): DecisionRecord | undefined {
  const section = findSection(doc, (t) => CURRENT_STATE_HEADING.test(t));
  if (!section) return undefined;
  const fields = new Map<string, DecisionField>();
  for (const { line, text } of sectionLines(doc, section)) {
    const m = FIELD.exec(text);
    if (!m?.[1]) continue;
    if (fields.has(m[1])) continue; // the first occurrence wins; duplicates are reported by decision/missing-field's sibling checks
    const { value, values } = parseFieldValue(m[2] ?? '');
    fields.set(m[1], { key: m[1], value, values, line });
  }
  const historySection = findSection(doc, (t) => HISTORY_HEADING.test(t));
  const history: DecisionRecord['history'] = [];
  if (historySection) {
    for (const { line, text } of sectionLines(doc, historySection)) {
      const m = /`decision_status`\s*[:=]\s*`?([A-Za-z0-9_-]+)`?/.exec(text);
      if (m?.[1]) history.push({ value: m[1], line });
    }
  }
  return { file: doc.file, doc, line: section.line, fields, history, ...(historySection ? { historyLine: historySection.line } : {}) };
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
