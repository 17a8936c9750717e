/** Work items: `## CTO-WORK-NNN - Title`, `Status: x.`, `Acceptance:` and `Blocked by:` lists. */
import { sectionLines, type MdDoc } from './markdown.js';

export interface WorkItem {
  file: string;
  id: string;
  title: string;
  line: number;
  status?: { value: string; line: number };
  acceptance: Array<{ text: string; line: number }>;
  blockedBy: Array<{ text: string; line: number }>;
  blockedByLine?: number;
}

export const WORK_ITEM_HEADING = /^([A-Z][A-Z0-9]*-WORK-\d{3,})\s+[-–—]\s+(.+)$/;

export function parseWorkItems(doc: MdDoc): WorkItem[] {
  const items: WorkItem[] = [];
  for (const section of doc.sections) {
    const h = WORK_ITEM_HEADING.exec(section.title);
    if (!h?.[1]) continue;
    const item: WorkItem = { file: doc.file, id: h[1], title: h[2] ?? '', line: section.line, acceptance: [], blockedBy: [] };
    let list: 'acceptance' | 'blockedBy' | null = null;
    for (const { line, text } of sectionLines(doc, section)) {
      const status = /^\s*Status\s*:\s*(.*?)\s*\.?\s*$/i.exec(text);
      if (status && !item.status) {
        item.status = { value: (status[1] ?? '').replace(/`/g, '').trim(), line };
        list = null;
        continue;
      }
      if (/^\s*Acceptance\s*:\s*$/i.test(text)) {
        list = 'acceptance';
        continue;
      }
      if (/^\s*Blocked by\s*:\s*$/i.test(text)) {
        list = 'blockedBy';
        item.blockedByLine = line;
        continue;
      }
      // dotAll: a U+2028 inside a bullet (not a line break to this reader) must not end the list
      const bullet = /^\s*[-*+]\s+(.*\S)\s*$/s.exec(text);
      if (bullet?.[1] && list) {
        item[list].push({ text: bullet[1], line });
        continue;
      }
      if (text.trim() !== '' && !bullet) list = null;
    }
    items.push(item);
  }
  return items;
}
