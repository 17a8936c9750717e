/**
 * Inline suppression directives: `sot-gate:allow <rule> -- <reason>` on a finding's line, or alone in a Markdown
 * comment on the line above. Read here (the scanner and its worker threads need only this); applied in suppress.ts.
 */
export interface AllowDirective {
  file: string;
  /** The line whose findings it covers (1-based). */
  line: number;
  /** A rule id, a family (`secret/*`) or `*`. */
  rule: string;
  /** Empty when the directive gave none: it then suppresses nothing. */
  reason: string;
}

const DIRECTIVE = /sot-gate:allow[ \t]+([A-Za-z0-9*/_.-]{1,100})(?:[ \t]+--[ \t]*([^\n]{0,500}))?/g;

export function parseAllowDirectives(text: string, file: string): AllowDirective[] {
  if (!text.includes('sot-gate:allow')) return [];
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
    out.push({ file, line: standalone ? line + 1 : line, rule: m[1] ?? '', reason });
  }
  return out;
}
