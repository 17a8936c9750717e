/**
 * Work items: `## CTO-WORK-NNN - Title`, `Status: x.`, `Acceptance:` and `Blocked by:` lists, read from the
 * CommonMark tree (see markdown.ts): a Status line or a blocker inside an HTML comment, a code block or a link
 * reference definition is not read. A Status line is a line of a paragraph outside a list; the Acceptance and
 * Blocked by lists are the list right after their label's paragraph.
 */
import type { List, Nodes, Paragraph } from 'mdast';
import { inlineSource, inlineTokens, lineOf, sectionBody, visibleNodes, type InlineToken, type MdDoc } from './markdown.js';

export interface WorkItem {
  file: string;
  id: string;
  title: string;
  line: number;
  /** The first Status line. */
  status?: { value: string; line: number };
  /** Every Status line of the item, when there is more than one (ambiguous: reported by workitem/invalid-status). */
  statuses?: Array<{ value: string; line: number }>;
  acceptance: Array<{ text: string; line: number }>;
  blockedBy: Array<{ text: string; line: number }>;
  blockedByLine?: number;
}

export const WORK_ITEM_HEADING = /^([A-Z][A-Z0-9]*-WORK-\d{3,})\s+[-–—]\s+(.+)$/;

/** A paragraph's visible text split at its source lines (code spans without backticks), each with its line. */
function paragraphLines(p: Paragraph): Array<{ text: string; line: number }> {
  const out: Array<{ text: string; line: number }> = [];
  let cur: { text: string; line: number } | undefined;
  for (const t of inlineTokens(p.children)) {
    const parts = t.kind === 'text' ? t.value.split('\n') : [t.value];
    parts.forEach((part, i) => {
      if (!cur || i > 0) {
        cur = { text: '', line: t.line + i };
        out.push(cur);
      }
      cur.text += part;
    });
  }
  return out;
}

const itemText = (tokens: InlineToken[]) => inlineSource(tokens).replace(/\s+/g, ' ').trim();

export function parseWorkItems(doc: MdDoc): WorkItem[] {
  const items: WorkItem[] = [];
  for (const section of doc.sections) {
    const title = section.title.normalize('NFKC').replace(/\p{Default_Ignorable_Code_Point}/gu, '').trim();
    const h = WORK_ITEM_HEADING.exec(title);
    if (!h?.[1]) continue;
    const item: WorkItem = { file: doc.file, id: h[1], title: h[2] ?? '', line: section.line, acceptance: [], blockedBy: [] };
    const statuses: Array<{ value: string; line: number }> = [];
    const nodes = visibleNodes(sectionBody(section));
    const inList = new Set<Nodes>();
    for (const n of nodes) if (n.type === 'list') for (const d of visibleNodes([n])) if (d !== n) inList.add(d);
    for (let i = 0; i < nodes.length; i++) {
      const n = nodes[i]!;
      if (n.type !== 'paragraph' || inList.has(n)) continue;
      const lines = paragraphLines(n);
      for (const { text, line } of lines) {
        const status = /^\s*Status\s*:\s*(.*?)\s*\.?\s*$/i.exec(text);
        if (status) statuses.push({ value: (status[1] ?? '').trim(), line });
      }
      // A label ends its paragraph; the list right after the paragraph is its list.
      const last = lines[lines.length - 1]?.text ?? '';
      const label = /^\s*Acceptance\s*:\s*$/i.test(last) ? 'acceptance' : /^\s*Blocked by\s*:\s*$/i.test(last) ? 'blockedBy' : null;
      if (!label) continue;
      if (label === 'blockedBy') item.blockedByLine = lines[lines.length - 1]!.line;
      const list = nextSiblingList(sectionBody(section), n);
      // Nested items render as bullets of the list too.
      for (const li of list ? visibleNodes([list]) : []) {
        if (li.type !== 'listItem') continue;
        const p = li.children[0];
        const text = p?.type === 'paragraph' ? itemText(inlineTokens(p.children)) : '';
        if (text) item[label].push({ text, line: lineOf(li) });
      }
    }
    if (statuses[0]) item.status = statuses[0];
    if (statuses.length > 1) item.statuses = statuses;
    items.push(item);
  }
  return items;
}

/** The list that directly follows paragraph p among its siblings (searching the section's blocks and their children). */
function nextSiblingList(blocks: readonly Nodes[], p: Paragraph): List | undefined {
  const stack: Nodes[][] = [blocks as Nodes[]];
  while (stack.length) {
    const kids = stack.pop()!;
    const i = kids.indexOf(p);
    if (i >= 0) {
      const next = kids[i + 1];
      return next?.type === 'list' ? next : undefined;
    }
    for (const k of kids) if ('children' in k && k.type !== 'list') stack.push(k.children as Nodes[]);
  }
  return undefined;
}
