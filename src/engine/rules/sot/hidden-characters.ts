import { decodeHTMLStrict } from 'entities';
import type { Rule } from '../rule.js';

/**
 * Hidden characters, by Unicode property (the tables of the running JavaScript engine, not a hand list): every
 * Default_Ignorable_Code_Point (zero-width characters, Hangul fillers, tag characters U+E0000..U+E007F, variation
 * selectors, soft hyphen, ...), every format character (General_Category Cf: bidi embeddings and isolates, U+0600
 * number signs, interlinear annotations, ...), every Bidi_Control and every Variation_Selector (both covered by the
 * first two; listed so the intent survives a change of either table).
 */
export const HIDDEN = /[\p{Default_Ignorable_Code_Point}\p{Cf}\p{Bidi_Control}\p{Variation_Selector}]/gu;
const BIDI = /\p{Bidi_Control}/u;
const VS = /\p{Variation_Selector}/u;
const TAG = /[\u{E0000}-\u{E007F}]/u;
/** Characters that look like ASCII punctuation or letters used in identifiers. */
const CONFUSABLE = /[\u2010-\u2015\u2212\uFE58\uFE63\uFF0D\u00A0\u2000-\u200A\u202F\u2024\u2027\u0370-\u03FF\u0400-\u04FF\uFF01-\uFF5E]/g;
/** An HTML character reference as CommonMark reads it (named, decimal or hexadecimal). */
const CHAR_REF = /&(?:#[xX][0-9A-Fa-f]{1,6}|#[0-9]{1,7}|[A-Za-z][A-Za-z0-9]{1,31});/g;

function codePoint(ch: string): string {
  return `U+${(ch.codePointAt(0) ?? 0).toString(16).toUpperCase().padStart(4, '0')}`;
}

/** What kind of hidden character ch is, for the message. */
function kindOf(ch: string): string {
  if (BIDI.test(ch)) return 'bidirectional control';
  if (TAG.test(ch)) return 'tag character, invisible ("ASCII smuggling")';
  if (VS.test(ch)) return 'variation selector, invisible';
  if (/\p{Cf}/u.test(ch)) return 'format character, invisible or zero-width';
  return 'default-ignorable, rendered as nothing';
}

/** Spans of a line where an identifier lives: code spans in Markdown, front matter values, and anything in JSON. */
function identifierSpans(line: string, kind: 'md-body' | 'frontmatter' | 'json'): Array<[number, number]> {
  if (kind !== 'md-body') return [[0, line.length]];
  const spans: Array<[number, number]> = [];
  const re = /`[^`]*`/g;
  for (let m = re.exec(line); m; m = re.exec(line)) spans.push([m.index, m.index + m[0].length]);
  return spans;
}

/** Every hidden character in a JSON value (keys and string values, any depth), with the top-level key it sits under. */
function jsonHidden(value: unknown, top: string | undefined, out: Array<{ ch: string; top: string | undefined; where: string }>, depth = 0): void {
  if (depth > 64) return;
  if (typeof value === 'string') {
    for (const m of value.matchAll(HIDDEN)) out.push({ ch: m[0], top, where: 'a string value' });
    return;
  }
  if (value === null || typeof value !== 'object') return;
  if (Array.isArray(value)) {
    for (const v of value) jsonHidden(v, top, out, depth + 1);
    return;
  }
  for (const [k, v] of Object.entries(value)) {
    const t = top ?? k;
    for (const m of k.matchAll(HIDDEN)) out.push({ ch: m[0], top: t, where: 'a key' });
    jsonHidden(v, t, out, depth + 1);
  }
}

export const hiddenCharacters: Rule = {
  id: 'sot/hidden-characters',
  defaultSeverity: 'error',
  summary: 'Invisible, format or bidirectional-control characters (by Unicode property), or non-ASCII look-alikes in identifiers, in a SOT or admission file.',
  description:
    'A reviewer must read what the machine reads. Hidden characters are found by Unicode property, not by a hand list: every `Default_Ignorable_Code_Point` (zero-width space and joiners, soft hyphen, Hangul fillers, the tag characters U+E0000..U+E007F used for "ASCII smuggling", variation selectors), every format character (General_Category `Cf`, which holds the bidirectional controls of the "Trojan Source" class), every `Bidi_Control` and every `Variation_Selector`. They are flagged anywhere in a SOT Markdown file and in an admission file, including when written as an escape the reader does not see: an HTML character reference in Markdown (`&#x200B;`, `&ZeroWidthSpace;`, outside code spans) and a `\\uXXXX` escape in a JSON key or string value (reported at the line of its top-level key). A byte order mark at the very start of a file is removed by the decoder and allowed; anywhere else it is flagged. Emoji written without a variation selector stay quiet; an emoji followed by U+FE0F (emoji presentation) or joined with U+200D is flagged like any other variation selector or joiner, since both can carry hidden data: write the emoji without them, or a word. Scripts that need a joiner (ZWNJ in Persian, for example) are flagged too; a governance file names its providers and models in ASCII. Separately, a non-ASCII look-alike makes `qwen\u2011local` (U+2011 non-breaking hyphen) a different provider from `qwen-local`: look-alikes are flagged where identifiers live (code spans and front matter in Markdown, and everywhere in JSON). Prose may keep its typographic dashes, accented letters and other scripts.',
  examples: {
    fire: [
      { description: 'non-ASCII hyphen in a provider', files: { 'x.ADMISSION.json': '{"provider": "qwen\u2011local"}\n' } },
      { description: 'bidi override in Markdown', files: { '.sot/a.md': '# A\n\nApproved \u202Eby JP\n' } },
      { description: 'zero-width space in a code span', files: { '.sot/a.md': '# A\n\n- `provider`: `qwen\u200B-local`.\n' } },
      { description: 'Cyrillic a in a code span', files: { '.sot/a.md': '# A\n\n- `model`: `qwen3.6-35b-\u04303b`.\n' } },
      { description: 'tag characters (ASCII smuggling) in prose', files: { '.sot/a.md': '# A\n\nApproved\u{E0069}\u{E0067}\u{E006E} by JP.\n' } },
      { description: 'a Hangul filler in a code span', files: { '.sot/a.md': '# A\n\n- `provider`: `qwen-local\u3164`.\n' } },
      { description: 'a zero-width space as an HTML character reference', files: { '.sot/a.md': '# A\n\nApproved&#x200B; by JP.\n' } },
      { description: 'a right-to-left override as a JSON escape', files: { 'x.ADMISSION.json': '{"approval_source": "JP \\u202Eon 2026-05-31"}\n' } },
      { description: 'a variation selector in a JSON key', files: { 'x.ADMISSION.json': '{"provider\uFE00": "qwen-local"}\n' } },
    ],
    quiet: [
      { description: 'an em dash in prose', files: { '.sot/a.md': '# A\n\nThe route \u2014 local only \u2014 holds.\n' } },
      { description: 'a BOM at the start of the file', files: { '.sot/a.md': '\uFEFF# A\n' } },
      { description: 'accented prose', files: { '.sot/a.md': '# A\n\nRevue approuv\u00e9e.\n' } },
      { description: 'CJK prose and an emoji without a variation selector', files: { '.sot/a.md': '# A\n\n\u5df2\u6279\u51c6 \u{1F600} \u2705\n' } },
      { description: 'a visible HTML entity in prose', files: { '.sot/a.md': '# A\n\nQ&amp;A &mdash; done.\n' } },
    ],
  },
  check(ctx, report) {
    const files: Array<{ file: string; lines: string[]; json: boolean; fmEnd: number }> = [
      ...ctx.sot.map((d) => ({ file: d.file, lines: d.lines, json: false, fmEnd: d.frontMatter.kind === 'ok' ? d.frontMatter.value.endLine : 0 })),
      ...ctx.admissions.map((a) => ({ file: a.file, lines: a.text.split(/\r?\n|\r/), json: true, fmEnd: 0 })),
    ];
    for (const f of files) {
      f.lines.forEach((text, i) => {
        const lineNo = i + 1;
        for (const m of text.matchAll(HIDDEN)) {
          report({ file: f.file, line: lineNo, column: m.index + 1, message: `hidden character ${codePoint(m[0])} (${kindOf(m[0])}): remove it` });
        }
        const kind = f.json ? 'json' : lineNo <= f.fmEnd ? 'frontmatter' : 'md-body';
        const spans = identifierSpans(text, kind);
        if (!f.json) {
          // Character references render as the character they name (outside code spans, where they stay literal).
          for (const m of text.matchAll(CHAR_REF)) {
            if (kind === 'md-body' && spans.some(([s, e]) => m.index >= s && m.index < e)) continue;
            const decoded = decodeHTMLStrict(m[0]);
            for (const h of decoded.matchAll(HIDDEN)) {
              report({ file: f.file, line: lineNo, column: m.index + 1, message: `hidden character ${codePoint(h[0])} (${kindOf(h[0])}) written as the character reference ${m[0]}: remove it` });
            }
          }
        }
        for (const [start, end] of spans) {
          const part = text.slice(start, end);
          for (const m of part.matchAll(CONFUSABLE)) {
            report({
              file: f.file,
              line: lineNo,
              column: start + m.index + 1,
              message: `non-ASCII look-alike ${codePoint(m[0])} in an identifier: use the ASCII character`,
            });
          }
        }
      });
    }
    // JSON escapes (`\u200b`) hide a character from the raw text: look at the parsed keys and values too.
    for (const a of ctx.admissions) {
      if (!a.raw) continue;
      const found: Array<{ ch: string; top: string | undefined; where: string }> = [];
      jsonHidden(a.raw, undefined, found);
      const seen = new Set<string>();
      for (const h of found) {
        if (a.text.includes(h.ch)) continue; // written literally: reported at its own line above
        const line = (h.top !== undefined && Object.hasOwn(a.keyLines, h.top) ? a.keyLines[h.top] : undefined) ?? 1;
        const key = `${line}:${h.ch}:${h.where}`;
        if (seen.has(key)) continue;
        seen.add(key);
        report({ file: a.file, line, message: `hidden character ${codePoint(h.ch)} (${kindOf(h.ch)}) written as a JSON escape in ${h.where}${h.top !== undefined ? ` under "${h.top}"` : ''}: remove it` });
      }
    }
  },
};
