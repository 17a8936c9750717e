/**
 * Strict JSON objects with line numbers: parsed with jsonc-parser (no comments, no trailing commas) so every top-level
 * key keeps its line, duplicate keys are caught (JSON.parse silently keeps the last), and nesting depth is bounded by a
 * linear scan before any recursive parser sees the text. Used for admission files and Stage 2 evidence.
 */
import { parseTree, printParseErrorCode, visit, type Node, type ParseError } from 'jsonc-parser';
import { lineIndex } from './text.js';

export interface Problem {
  line: number;
  column?: number;
  message: string;
}

export interface ParsedJson {
  /** The object, when the text is one well-formed JSON object without duplicate keys. */
  raw?: Record<string, unknown>;
  /** Line of each top-level key. */
  keyLines: Record<string, number>;
  problems: Problem[];
  /** Line of the opening brace, for problems that belong to no key (default 1). */
  rootLine?: number;
}

export const MAX_JSON_DEPTH = 64;

/** Deepest bracket nesting outside strings: a linear scan, so hostile nesting never reaches a recursive parser. */
export function jsonDepth(text: string): { depth: number; offset: number } {
  let depth = 0;
  let max = 0;
  let at = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 92) i++;
      else if (c === 34) inString = false;
    } else if (c === 34) inString = true;
    else if (c === 123 || c === 91) {
      depth++;
      if (depth > max) {
        max = depth;
        at = i;
      }
    } else if (c === 125 || c === 93) depth--;
  }
  return { depth: max, offset: at };
}

export function parseJsonObject(text: string, what = 'the file'): ParsedJson {
  const pos = lineIndex(text);
  // Null-prototype objects: a `__proto__` key is an own key, and `constructor` or `toString` are not already present.
  const out: ParsedJson = { keyLines: Object.create(null) as Record<string, number>, problems: [], rootLine: 1 };
  const add = (offset: number, message: string) => {
    const { line, column } = pos(offset);
    out.problems.push({ line, column, message });
  };
  if (text.trim() === '') {
    out.problems.push({ line: 1, message: `file is empty: ${what} must be a JSON object` });
    return out;
  }
  const { depth, offset } = jsonDepth(text);
  if (depth > MAX_JSON_DEPTH) {
    add(offset, `JSON nesting deeper than ${MAX_JSON_DEPTH} levels`);
    return out;
  }
  const errors: ParseError[] = [];
  const root = parseTree(text, errors, { allowTrailingComma: false, disallowComments: true });
  for (const e of errors.slice(0, 5)) add(e.offset, `invalid JSON: ${printParseErrorCode(e.error)}`);
  if (errors.length > 0 || !root) return out;
  out.rootLine = pos(root.offset).line;
  if (root.type !== 'object') {
    add(root.offset, `${what} must be a JSON object, not ${root.type}`);
    return out;
  }
  const stack: Array<Map<string, number>> = [];
  visit(
    text,
    {
      onObjectBegin: () => void stack.push(new Map()),
      onObjectEnd: () => void stack.pop(),
      onObjectProperty: (property, off) => {
        const seen = stack[stack.length - 1];
        if (!seen) return;
        const first = seen.get(property);
        if (first !== undefined) {
          add(off, `duplicate key "${property}" on lines ${pos(first).line} and ${pos(off).line} (JSON.parse keeps the last one while a reader sees the first)`);
        } else seen.set(property, off);
      },
    },
    { disallowComments: true, allowTrailingComma: false },
  );
  const raw = Object.create(null) as Record<string, unknown>;
  for (const prop of root.children ?? []) {
    const [k, v] = prop.children ?? [];
    if (!k || !v || typeof k.value !== 'string') continue;
    if (!Object.hasOwn(out.keyLines, k.value)) out.keyLines[k.value] = pos(k.offset).line;
    raw[k.value] = nodeValue(v);
  }
  if (out.problems.length === 0) out.raw = raw;
  return out;
}

function nodeValue(node: Node): unknown {
  if (node.type === 'object') {
    const o = Object.create(null) as Record<string, unknown>;
    for (const p of node.children ?? []) {
      const [k, v] = p.children ?? [];
      if (k && v && typeof k.value === 'string') o[k.value] = nodeValue(v);
    }
    return o;
  }
  if (node.type === 'array') return (node.children ?? []).map(nodeValue);
  return node.value;
}
