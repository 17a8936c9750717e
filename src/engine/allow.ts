/**
 * Inline suppression directives: `sot-gate:allow <rule> -- <reason>` on a finding's line, or alone in a Markdown
 * comment on the line above. Read here (the scanner and its worker threads need only this); applied in suppress.ts.
 *
 * Every directive is read, wherever it is written, so that one written where directives do not count is reported
 * (suppress/ignored-directive) instead of silently doing nothing. `where` says whether it counts: only in the prose of
 * a Markdown file (its body, after any YAML front matter).
 */
export interface AllowDirective {
  file: string;
  /** The line whose findings it covers (1-based). */
  line: number;
  /** The line the directive itself is written on (1-based). */
  at: number;
  /** A rule id, a family (`secret/*`) or `*`. */
  rule: string;
  /** Empty when the directive gave none: it then suppresses nothing. */
  reason: string;
  /**
   * `prose`: the body of a Markdown file, where a directive may count; `front-matter`: the YAML front matter of a
   * Markdown file; `not-markdown`: any other file (JSON, YAML, logs, traces). Only `prose` directives suppress.
   */
  where: DirectiveLocation;
  /** Set by the engine when comparing with the base revision: the change adds this directive (not yet reviewed). */
  added?: boolean;
}

/**
 * The rule families a suppression can cover: the exposure rules. An inline directive (in Markdown prose), an example
 * marker and a baseline entry cover only these; every other finding is governance and is never suppressed.
 */
export const INLINE_SUPPRESSIBLE = ['secret/', 'endpoint/', 'path/'] as const;

/** Can a suppression cover this finding's rule? Only an exposure rule (INLINE_SUPPRESSIBLE). */
export function isSuppressible(ruleId: string): boolean {
  return INLINE_SUPPRESSIBLE.some((p) => ruleId.startsWith(p));
}

/** Can a directive's or baseline entry's rule pattern cover any suppressible rule? (`*` covers the exposure rules.) */
export function patternCanSuppress(pattern: string): boolean {
  return pattern === '*' || INLINE_SUPPRESSIBLE.some((p) => pattern.startsWith(p));
}

export type DirectiveLocation = 'prose' | 'front-matter' | 'not-markdown';

/** Markdown, where a directive or an example marker may count: a `.md` / `.markdown` file. */
export function isMarkdownFile(file: string): boolean {
  return /\.(?:md|markdown)$/i.test(file);
}

/**
 * The first line (1-based) of a Markdown text's body: 1 without front matter. Front matter starts with a `---` line and
 * ends at the next line starting with `---` (where gray-matter ends it); without that closing line the whole text is
 * front matter (fail closed: a directive there never counts).
 */
export function proseStartLine(text: string): number {
  const first = /^\uFEFF?([^\n]*)/.exec(text)?.[1] ?? '';
  if (first.replace(/\r$/, '').trimEnd() !== '---') return 1;
  let line = 1;
  for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) {
    line++;
    if (text.startsWith('---', i + 1)) return line + 1;
  }
  return Number.POSITIVE_INFINITY;
}

const DIRECTIVE = /sot-gate:allow[ \t]+([A-Za-z0-9*/_.-]{1,100})(?:[ \t]+--(?!>)[ \t]*([^\n]{0,500}))?/g;

/**
 * The directives of a text. `markdown` (default: by the file name) says whether the text is a Markdown file;
 * `proseFrom` (default: computed from the text) is the first line of its body, for a text that is only a later block of
 * a file (the streaming scanner).
 */
export function parseAllowDirectives(text: string, file: string, opts: { markdown?: boolean; proseFrom?: number } = {}): AllowDirective[] {
  if (!text.includes('sot-gate:allow')) return [];
  const markdown = opts.markdown ?? isMarkdownFile(file);
  const proseFrom = markdown ? (opts.proseFrom ?? proseStartLine(text)) : Number.POSITIVE_INFINITY;
  const out: AllowDirective[] = [];
  let line = 1;
  let pos = 0;
  DIRECTIVE.lastIndex = 0;
  for (let m = DIRECTIVE.exec(text); m !== null; m = DIRECTIVE.exec(text)) {
    for (let i = text.indexOf('\n', pos); i >= 0 && i < m.index; i = text.indexOf('\n', i + 1)) line++;
    pos = m.index;
    const lineStart = text.lastIndexOf('\n', m.index) + 1;
    const lineEndRaw = text.indexOf('\n', m.index);
    const lineText = text.slice(lineStart, lineEndRaw < 0 ? text.length : lineEndRaw).trim();
    const reason = (m[2] ?? '').replace(/-->.*$/, '').trim();
    const standalone = /^<!--.*-->$/.test(lineText) && lineText.indexOf('<!--') === 0;
    const where: DirectiveLocation = !markdown ? 'not-markdown' : line < proseFrom ? 'front-matter' : 'prose';
    out.push({ file, line: standalone ? line + 1 : line, at: line, rule: m[1] ?? '', reason, where });
  }
  return out;
}
