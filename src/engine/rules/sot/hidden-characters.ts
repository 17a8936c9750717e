import type { Rule } from '../rule.js';

/** Bidirectional controls (Trojan Source) and invisible characters. */
const INVISIBLE = /[\u202A-\u202E\u2066-\u2069\u200E\u200F\u061C\u200B-\u200D\u2060-\u2064\u00AD\u180E\uFEFF]/g;
/** Characters that look like ASCII punctuation or letters used in identifiers. */
const CONFUSABLE = /[\u2010-\u2015\u2212\uFE58\uFE63\uFF0D\u00A0\u2000-\u200A\u202F\u2024\u2027\u0370-\u03FF\u0400-\u04FF\uFF01-\uFF5E]/g;

function codePoint(ch: string): string {
  return `U+${(ch.codePointAt(0) ?? 0).toString(16).toUpperCase().padStart(4, '0')}`;
}

/** Spans of a line where an identifier lives: code spans in Markdown, front matter values, and anything in JSON. */
function identifierSpans(line: string, kind: 'md-body' | 'frontmatter' | 'json'): Array<[number, number]> {
  if (kind !== 'md-body') return [[0, line.length]];
  const spans: Array<[number, number]> = [];
  const re = /`[^`]*`/g;
  for (let m = re.exec(line); m; m = re.exec(line)) spans.push([m.index, m.index + m[0].length]);
  return spans;
}

export const hiddenCharacters: Rule = {
  id: 'sot/hidden-characters',
  defaultSeverity: 'error',
  summary: 'Bidirectional controls, zero-width characters or non-ASCII look-alikes in a SOT or admission file.',
  description:
    'A reviewer must read what the machine reads. Bidirectional control characters (the "Trojan Source" class) reorder text on screen; zero-width characters hide inside identifiers; and a non-ASCII look-alike makes `qwen\u2011local` (U+2011 non-breaking hyphen) a different provider from `qwen-local`. Invisible characters are flagged anywhere (a BOM at the very start of a file is allowed); look-alikes are flagged where identifiers live: code spans and front matter in Markdown, and everywhere in JSON. Prose may keep its typographic dashes.',
  examples: {
    fire: [
      { description: 'non-ASCII hyphen in a provider', files: { 'x.ADMISSION.json': '{"provider": "qwen\u2011local"}\n' } },
      { description: 'bidi override in Markdown', files: { '.sot/a.md': '# A\n\nApproved \u202Eby JP\n' } },
      { description: 'zero-width space in a code span', files: { '.sot/a.md': '# A\n\n- `provider`: `qwen\u200B-local`.\n' } },
      { description: 'Cyrillic a in a code span', files: { '.sot/a.md': '# A\n\n- `model`: `qwen3.6-35b-\u04303b`.\n' } },
    ],
    quiet: [
      { description: 'an em dash in prose', files: { '.sot/a.md': '# A\n\nThe route \u2014 local only \u2014 holds.\n' } },
      { description: 'a BOM at the start of the file', files: { '.sot/a.md': '\uFEFF# A\n' } },
      { description: 'accented prose', files: { '.sot/a.md': '# A\n\nRevue approuv\u00e9e.\n' } },
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
        for (const m of text.matchAll(INVISIBLE)) {
          report({ file: f.file, line: lineNo, column: m.index + 1, message: `hidden character ${codePoint(m[0])} (bidirectional control or zero-width): remove it` });
        }
        const kind = f.json ? 'json' : lineNo <= f.fmEnd ? 'frontmatter' : 'md-body';
        for (const [start, end] of identifierSpans(text, kind)) {
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
  },
};
