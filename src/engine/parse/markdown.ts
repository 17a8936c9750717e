/**
 * A SOT Markdown document: front matter plus the CommonMark (GFM) tree of its body, read the way GitHub renders it.
 *
 * The body is parsed with micromark (mdast-util-from-markdown + the GFM extensions, for tables as GitHub renders
 * them). Rules read visible content only: HTML (comments and HTML blocks), fenced and indented code, and link
 * reference definitions are never read as state. Every position is a line of the whole file (front matter included).
 */
import type { Heading, Nodes, Parents, PhrasingContent, Root, RootContent } from 'mdast';
import { fromMarkdown } from 'mdast-util-from-markdown';
import { gfmFromMarkdown } from 'mdast-util-gfm';
import { gfm } from 'micromark-extension-gfm';
import { parseFrontMatter, type FrontMatterResult } from './frontmatter.js';

export interface Section {
  /** Heading text as rendered (inline markup, escapes and character references resolved; HTML left out). */
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
  /** Every heading of the body (also one inside a block quote or list item), in document order. */
  sections: Section[];
  /** The CommonMark tree of the body; positions are lines of the whole file. */
  tree: Root;
  /** Set when the body could not be parsed (for example nesting too deep): nothing of it is read. */
  parseError?: string;
}

/** Largest Markdown body (in UTF-16 code units) that is parsed. */
export const MAX_MARKDOWN_CHARS = 1 << 20;
class TooLarge extends Error {}
/** A line opening more than 32 block quotes or list items. */
const TOO_DEEP = /^(?:[ \t]*(?:>|[-*+](?=[ \t])|\d{1,9}[.)](?=[ \t]))){33}/m;

/** Where each section's heading sits: its parent and the blocks of its body. */
const bodies = new WeakMap<Section, RootContent[]>();

/** 1-based line of a node (positions are always set by the parser). */
export const lineOf = (node: Nodes): number => node.position?.start.line ?? 1;
export const endLineOf = (node: Nodes): number => node.position?.end.line ?? lineOf(node);

export function parseMarkdown(file: string, text: string, lines: string[]): MdDoc {
  const frontMatter = parseFrontMatter(text, lines);
  const bodyStart = frontMatter.kind === 'ok' ? frontMatter.value.endLine : 0;
  const body = lines.slice(bodyStart).join('\n');
  let tree: Root;
  let parseError: string | undefined;
  try {
    // Bounded: a SOT document is a few kilobytes; a body past the cap is unreadable (fail closed), not parsed for minutes.
    if (body.length > MAX_MARKDOWN_CHARS) throw new TooLarge();
    // Block quotes and list items nested hundreds deep on one line make the parser slow (and, deeper, overflow the
    // stack): no SOT document nests that deep, so such a body is unreadable rather than parsed for minutes.
    if (TOO_DEEP.test(body)) throw new RangeError('nesting');
    tree = fromMarkdown(body, { extensions: [gfm()], mdastExtensions: [gfmFromMarkdown()] });
    if (bodyStart > 0) shiftLines(tree, bodyStart);
  } catch (e) {
    // A hostile body (nesting deep enough to exhaust the stack) is unreadable, never an empty pass.
    tree = { type: 'root', children: [] };
    parseError =
      e instanceof TooLarge
        ? `its Markdown body is over ${MAX_MARKDOWN_CHARS / (1 << 20)} MiB, too large to be read`
        : e instanceof RangeError
          ? 'its Markdown nests too deeply to be read'
          : 'its Markdown could not be parsed';
  }
  const sections: Section[] = [];
  forEachParent(tree, (parent) => {
    const kids = parent.children as RootContent[];
    const endOfParent = parent.type === 'root' ? lines.length : endLineOf(parent);
    for (let i = 0; i < kids.length; i++) {
      const h = kids[i]!;
      if (h.type !== 'heading') continue;
      let j = i + 1;
      while (j < kids.length && !(kids[j]!.type === 'heading' && (kids[j] as Heading).depth <= h.depth)) j++;
      const section: Section = {
        title: visibleText(h.children),
        level: h.depth,
        line: lineOf(h),
        endLine: j < kids.length ? lineOf(kids[j]!) - 1 : endOfParent,
      };
      bodies.set(section, kids.slice(i + 1, j));
      sections.push(section);
    }
  });
  sections.sort((a, b) => a.line - b.line);
  return { file, text, lines, frontMatter, sections, tree, ...(parseError ? { parseError } : {}) };
}

function shiftLines(tree: Root, by: number): void {
  const stack: Nodes[] = [tree];
  while (stack.length) {
    const n = stack.pop()!;
    if (n.position) {
      n.position.start.line += by;
      n.position.end.line += by;
    }
    if ('children' in n) stack.push(...(n.children as Nodes[]));
  }
}

/** Calls fn for every node with children (iteratively: a deep tree cannot exhaust the stack here). */
export function forEachParent(tree: Nodes, fn: (parent: Parents) => void): void {
  const stack: Nodes[] = [tree];
  while (stack.length) {
    const n = stack.pop()!;
    if (!('children' in n)) continue;
    fn(n);
    for (let i = n.children.length - 1; i >= 0; i--) stack.push(n.children[i] as Nodes);
  }
}

/** Every node under `nodes` (those included) in document order, skipping what `skip` refuses to enter. */
export function descendants(nodes: readonly Nodes[], skip?: (n: Nodes) => boolean): Nodes[] {
  const out: Nodes[] = [];
  const stack: Nodes[] = [...nodes].reverse();
  while (stack.length) {
    const n = stack.pop()!;
    out.push(n);
    if ((skip && skip(n)) || !('children' in n)) continue;
    for (let i = n.children.length - 1; i >= 0; i--) stack.push(n.children[i] as Nodes);
  }
  return out;
}

/** Blocks a reader does not see as content: HTML (comments, HTML blocks), fenced and indented code, definitions. */
const NOT_CONTENT = new Set(['html', 'code', 'definition', 'footnoteDefinition']);

/** Every visible node under `blocks`, in document order: what NOT_CONTENT holds is neither listed nor entered. */
export function visibleNodes(blocks: readonly Nodes[]): Nodes[] {
  return descendants(blocks, (n) => NOT_CONTENT.has(n.type)).filter((n) => !NOT_CONTENT.has(n.type));
}

export function findSection(doc: MdDoc, predicate: (title: string) => boolean): Section | undefined {
  return doc.sections.find((s) => predicate(s.title));
}

/** The blocks of a section's body (after its heading, before the next heading of the same or higher level). */
export function sectionBody(section: Section): RootContent[] {
  return bodies.get(section) ?? [];
}

/** Raw lines of a section's body (after the heading), with their 1-based numbers. Not the visible content: see sectionBody. */
export function sectionLines(doc: MdDoc, section: Section): Array<{ line: number; text: string }> {
  const out: Array<{ line: number; text: string }> = [];
  for (let n = section.line + 1; n <= section.endLine; n++) out.push({ line: n, text: doc.lines[n - 1] ?? '' });
  return out;
}

/** Code spans of a line of raw text: `a`, `b` -> ['a','b']. */
export function codeSpans(text: string): string[] {
  const out: string[] = [];
  const re = /`([^`\n]{1,500})`/g;
  for (let m = re.exec(text); m; m = re.exec(text)) out.push(m[1]!);
  return out;
}

/**
 * Visible inline content as a token list: code spans, and text (escapes and references resolved). Emphasis, links and
 * strikethrough contribute their content; HTML (a comment, a tag) contributes nothing; a line break is a newline.
 */
export type InlineToken = { kind: 'code' | 'text'; value: string; line: number };

export function inlineTokens(nodes: readonly PhrasingContent[]): InlineToken[] {
  const out: InlineToken[] = [];
  const push = (kind: InlineToken['kind'], value: string, line: number) => {
    const last = out[out.length - 1];
    if (kind === 'text' && last?.kind === 'text') last.value += value;
    else out.push({ kind, value, line });
  };
  const stack: PhrasingContent[] = [...nodes].reverse();
  while (stack.length) {
    const n = stack.pop()!;
    if (n.type === 'text') push('text', n.value, lineOf(n));
    else if (n.type === 'inlineCode') push('code', n.value, lineOf(n));
    else if (n.type === 'break') push('text', '\n', lineOf(n));
    else if (n.type === 'image' || n.type === 'imageReference') push('text', n.alt ?? '', lineOf(n));
    else if ('children' in n) for (let i = n.children.length - 1; i >= 0; i--) stack.push(n.children[i] as PhrasingContent);
    // html, footnote references: nothing visible of the state
  }
  return out;
}

/** Inline tokens split at the source line breaks inside text (a soft or hard break), one list per line. */
export function tokenLines(tokens: readonly InlineToken[]): InlineToken[][] {
  const out: InlineToken[][] = [[]];
  for (const t of tokens) {
    if (t.kind === 'code') {
      out[out.length - 1]!.push(t);
      continue;
    }
    t.value.split('\n').forEach((part, i) => {
      if (i > 0) out.push([]);
      if (part) out[out.length - 1]!.push({ kind: 'text', value: part, line: t.line + i });
    });
  }
  return out.filter((l) => l.length > 0);
}

/** Visible text of inline content (code spans without their backticks), whitespace collapsed. */
export function visibleText(nodes: readonly PhrasingContent[]): string {
  return inlineTokens(nodes)
    .map((t) => t.value)
    .join('')
    .replace(/\s+/g, ' ')
    .trim();
}

/** Visible inline content written back as Markdown-ish text: code spans keep their backticks. */
export function inlineSource(tokens: readonly InlineToken[]): string {
  return tokens.map((t) => (t.kind === 'code' ? `\`${t.value}\`` : t.value)).join('');
}

/** A heading title compared the way a reader compares it: NFKC, invisible characters dropped, spaces collapsed, case-folded. */
export function normalizeTitle(title: string): string {
  return title
    .normalize('NFKC')
    .replace(/\p{Default_Ignorable_Code_Point}/gu, '')
    .replace(/\s+/g, ' ')
    .trim()
    .toLowerCase();
}
