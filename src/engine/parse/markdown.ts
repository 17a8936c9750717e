/** A SOT Markdown document: front matter plus the line-numbered sections the rules read. */
import { parseFrontMatter, type FrontMatterResult } from './frontmatter.js';

export interface Section {
  /** Heading text without the leading #s. */
  title: string;
  level: number;
  /** 1-based line of the heading. */
  line: number;
  /** 1-based line of the last line of the section (before the next heading of the same or higher level). */
  endLine: number;
}

export interface MdDoc {
  file: string;
  text: string;
  lines: string[];
  frontMatter: FrontMatterResult;
  sections: Section[];
}

const HEADING = /^(#{1,6})\s+(.+?)\s*#*\s*$/;

export function parseMarkdown(file: string, text: string, lines: string[]): MdDoc {
  const frontMatter = parseFrontMatter(text, lines);
  const bodyStart = frontMatter.kind === 'ok' ? frontMatter.value.endLine : 0;
  const sections: Section[] = [];
  let fence: string | null = null;
  for (let i = bodyStart; i < lines.length; i++) {
    const line = lines[i] ?? '';
    const f = /^\s{0,3}(`{3,}|~{3,})/.exec(line);
    if (f?.[1]) {
      if (fence === null) fence = f[1][0] ?? null;
      else if (f[1][0] === fence) fence = null;
      continue;
    }
    if (fence !== null) continue;
    const m = HEADING.exec(line);
    if (m?.[1] && m[2]) sections.push({ title: m[2], level: m[1].length, line: i + 1, endLine: lines.length });
  }
  for (let s = 0; s < sections.length; s++) {
    const cur = sections[s]!;
    for (let t = s + 1; t < sections.length; t++) {
      if (sections[t]!.level <= cur.level) {
        cur.endLine = sections[t]!.line - 1;
        break;
      }
    }
  }
  return { file, text, lines, frontMatter, sections };
}

export function findSection(doc: MdDoc, predicate: (title: string) => boolean): Section | undefined {
  return doc.sections.find((s) => predicate(s.title));
}

/** Lines of a section's body (after the heading), with their 1-based numbers. */
export function sectionLines(doc: MdDoc, section: Section): Array<{ line: number; text: string }> {
  const out: Array<{ line: number; text: string }> = [];
  for (let n = section.line + 1; n <= section.endLine; n++) out.push({ line: n, text: doc.lines[n - 1] ?? '' });
  return out;
}

/** Code spans of a line: `a`, `b` -> ['a','b']. */
export function codeSpans(text: string): string[] {
  const out: string[] = [];
  const re = /`([^`\n]{1,500})`/g;
  for (let m = re.exec(text); m; m = re.exec(text)) out.push(m[1]!);
  return out;
}
