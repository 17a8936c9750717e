/**
 * Markdown as a reader sees it, line by line: what the scanner also scans in documentation, so that a value written
 * with escapes a renderer removes is found as it renders. Line-based on purpose: each rendered line maps to its raw
 * line (line numbers stay 1:1), and each rendered character to the raw column it came from.
 *
 * Per line: backslash escapes of ASCII punctuation (`ghp\_…`, `\.ts\.net`) resolved, HTML character references (named,
 * decimal, hex; decoded by the `entities` package) resolved, code-span backticks dropped, inline HTML tags and one-line
 * comments dropped (`ghp_<!-- -->R7k…`), `*` / `~` emphasis inside a word dropped, and a table row (`| name | value |`)
 * read as name/value pairs of adjacent cells (`name=value`). Only lines that hold one of these forms are rendered.
 */
import { decodeHTML } from 'entities';

/** Characters that may start a form that renders differently; each hit is confirmed by mayRender. */
const TRIGGER = /[\\&|`<*~]/g;
const WORD = /[A-Za-z0-9_+/-]/;
const ALNUM_AT = /[A-Za-z0-9]/;
const ENTITY_AT = /&(?:#[0-9]|#[xX][0-9A-Fa-f]|[A-Za-z][A-Za-z0-9]{1,31};?)/y;
const TAG_AT = /<(?:!--|\/?[A-Za-z])/y;

/**
 * Does the trigger character at `i` start a form that renders differently: a backslash escape of punctuation, a
 * character reference, a table pipe, a backtick joining two word characters (`ghp_`R7k…``; a code span set off by
 * spaces or punctuation is read raw, where a backtick is a quote), an inline tag or comment, or `*`/`~` inside a word?
 * Other lines are not rendered (the cheap trigger).
 */
function mayRender(text: string, i: number): boolean {
  const c = text[i];
  if (c === '|') return true;
  if (c === '\\') return PUNCT.test(text[i + 1] ?? '');
  if (c === '&') {
    ENTITY_AT.lastIndex = i;
    return ENTITY_AT.test(text);
  }
  if (c === '<') {
    TAG_AT.lastIndex = i;
    return TAG_AT.test(text);
  }
  let j = i;
  while (text[j] === c && j - i < 3) j++;
  const before = text[i - 1] ?? '';
  const after = text[j] ?? '';
  return c === '`' ? WORD.test(before) && WORD.test(after) : ALNUM_AT.test(before) && ALNUM_AT.test(after);
}
const ENTITY = /&(?:#[0-9]{1,7};?|#[xX][0-9A-Fa-f]{1,6};?|[A-Za-z][A-Za-z0-9]{1,31};?)/y;
const TAG = /<(?:!--.*?-->|\/?[A-Za-z][A-Za-z0-9-]{0,40}(?:\s[^<>]{0,500})?\/?>)/y;
const PUNCT = /[!-/:-@[-`{-~]/;
const ALNUM = /[A-Za-z0-9]/;
const DELIMITER_CELL = /^\s*:?-+:?\s*$/;

export interface RenderedLine {
  text: string;
  /** cols[i]: 0-based column in the raw line of rendered character i. */
  cols: number[];
}

/** Inline rendering of raw[from, to): escapes, references, backticks, tags, intraword emphasis. */
const SPECIAL = /[\\&`<*~]/g;

function renderInline(raw: string, from: number, to: number, out: RenderedLine): void {
  for (let i = from; i < to; ) {
    // Copy the run up to the next character that may render differently in one piece.
    SPECIAL.lastIndex = i;
    const next = SPECIAL.exec(raw)?.index ?? to;
    if (next > i) {
      const end = Math.min(next, to);
      out.text += raw.slice(i, end);
      for (let k = i; k < end; k++) out.cols.push(k);
      i = end;
      continue;
    }
    const c = raw[i]!;
    if (c === '\\' && i + 1 < to && PUNCT.test(raw[i + 1]!)) {
      out.text += raw[i + 1];
      out.cols.push(i + 1);
      i += 2;
      continue;
    }
    if (c === '&') {
      ENTITY.lastIndex = i;
      const m = ENTITY.exec(raw);
      if (m && i + m[0].length <= to) {
        const d = decodeHTML(m[0]);
        if (d !== m[0]) {
          for (const ch of d.replace(/[\r\n\0]/g, ' ')) {
            out.text += ch;
            for (let k = 0; k < ch.length; k++) out.cols.push(i);
          }
          i += m[0].length;
          continue;
        }
      }
    }
    if (c === '`') {
      i++;
      continue;
    }
    if (c === '<') {
      TAG.lastIndex = i;
      const m = TAG.exec(raw);
      if (m && i + m[0].length <= to) {
        i += m[0].length;
        continue;
      }
    }
    if ((c === '*' || c === '~') && ALNUM.test(raw[i - 1] ?? '')) {
      let j = i;
      while (j < to && j - i < 3 && (raw[j] === '*' || raw[j] === '~')) j++;
      if (ALNUM.test(raw[j] ?? '')) {
        i = j;
        continue;
      }
    }
    out.text += c;
    out.cols.push(i);
    i++;
  }
}

function append(out: RenderedLine, text: string, cols: number[]): void {
  out.text += text;
  for (const c of cols) out.cols.push(c);
}

/** Unescaped `|` positions (a `\|` inside a cell is a literal pipe). */
function pipes(raw: string): number[] {
  const at: number[] = [];
  for (let i = raw.indexOf('|'); i >= 0; i = raw.indexOf('|', i + 1)) {
    let bs = 0;
    while (raw[i - 1 - bs] === '\\') bs++;
    if (bs % 2 === 0) at.push(i);
  }
  return at;
}

function trimmed(r: RenderedLine): RenderedLine {
  const start = r.text.length - r.text.trimStart().length;
  const end = r.text.trimEnd().length;
  return { text: r.text.slice(start, end), cols: r.cols.slice(start, end) };
}

/** One raw line as it renders, or undefined when it renders as written. */
export function renderLine(raw: string): RenderedLine | undefined {
  const out: RenderedLine = { text: '', cols: [] };
  const bars = pipes(raw);
  if (bars.length === 0) renderInline(raw, 0, raw.length, out);
  else {
    const bounds = [-1, ...bars, raw.length];
    let cells: RenderedLine[] = [];
    for (let k = 0; k + 1 < bounds.length; k++) {
      const cell: RenderedLine = { text: '', cols: [] };
      renderInline(raw, bounds[k]! + 1, bounds[k + 1]!, cell);
      cells.push(trimmed(cell));
    }
    if (cells.length > 1 && cells[0]!.text === '') cells = cells.slice(1);
    if (cells.length > 1 && cells[cells.length - 1]!.text === '') cells = cells.slice(0, -1);
    if (cells.every((c) => DELIMITER_CELL.test(c.text))) return { text: '', cols: [] };
    // Adjacent cells as `name=value` pairs, two spaces apart: `| NAME | value | note |` reads `NAME=value  value=note`.
    for (let k = 0; k < cells.length; k++) {
      const cell = cells[k]!;
      const at = cell.cols[0] ?? 0;
      if (k > 0) append(out, '=', [at]);
      append(out, cell.text, cell.cols);
      if (k > 0 && k + 1 < cells.length) {
        append(out, '  ', [at, at]);
        append(out, cell.text, cell.cols);
      }
    }
  }
  return out.text === raw ? undefined : out;
}

/**
 * The rendered lines of a Markdown text that differ from the raw ones, by 0-based line index. Lines without a trigger are
 * not looked at.
 */
export function renderedLines(text: string): Map<number, RenderedLine> {
  const out = new Map<number, RenderedLine>();
  TRIGGER.lastIndex = 0;
  let lineStart = 0;
  let line = 0;
  for (let m = TRIGGER.exec(text); m !== null; m = TRIGGER.exec(text)) {
    if (!mayRender(text, m.index)) continue;
    // advance to the line holding the trigger
    for (let nl = text.indexOf('\n', lineStart); nl !== -1 && nl < m.index; nl = text.indexOf('\n', lineStart)) {
      lineStart = nl + 1;
      line++;
    }
    const end = text.indexOf('\n', m.index);
    const lineEnd = end === -1 ? text.length : end;
    const raw = text.slice(lineStart, lineEnd).replace(/\r$/, '');
    const r = renderLine(raw);
    if (r) out.set(line, r);
    TRIGGER.lastIndex = lineEnd; // one rendering per line
  }
  return out;
}
