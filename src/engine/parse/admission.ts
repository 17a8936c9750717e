/**
 * Admission JSON: parsed with jsonc-parser (strict JSON: no comments, no trailing commas) so every key keeps its line,
 * duplicate keys are caught (JSON.parse silently keeps the last), and nesting depth is bounded before any recursion.
 */
import { parseTree, printParseErrorCode, visit, type Node, type ParseError } from 'jsonc-parser';
import { admissionSchema, type Admission } from '../schemas.js';
import { lineIndex } from './text.js';

export interface AdmissionProblem {
  line: number;
  column?: number;
  message: string;
}

export interface AdmissionDoc {
  file: string;
  text: string;
  /** Set when the file is well-formed and valid. */
  value?: Admission;
  /** The raw object, when it parsed as a JSON object (even if the schema rejected it). */
  raw?: Record<string, unknown>;
  problems: AdmissionProblem[];
  /** Line of each top-level key. */
  keyLines: Record<string, number>;
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

export function parseAdmission(file: string, text: string): AdmissionDoc {
  const pos = lineIndex(text);
  const doc: AdmissionDoc = { file, text, problems: [], keyLines: {} };
  const add = (offset: number, message: string) => {
    const { line, column } = pos(offset);
    doc.problems.push({ line, column, message });
  };
  if (text.trim() === '') {
    doc.problems.push({ line: 1, message: 'file is empty: an admission must be a JSON object' });
    return doc;
  }
  const { depth, offset } = jsonDepth(text);
  if (depth > MAX_JSON_DEPTH) {
    add(offset, `JSON nesting deeper than ${MAX_JSON_DEPTH} levels`);
    return doc;
  }
  const errors: ParseError[] = [];
  const root = parseTree(text, errors, { allowTrailingComma: false, disallowComments: true });
  for (const e of errors.slice(0, 5)) add(e.offset, `invalid JSON: ${printParseErrorCode(e.error)}`);
  if (errors.length > 0 || !root) return doc;
  if (root.type !== 'object') {
    add(root.offset, `an admission must be a JSON object, not ${root.type}`);
    return doc;
  }
  findDuplicateKeys(text, (msg, off) => add(off, msg));
  const raw: Record<string, unknown> = {};
  for (const prop of root.children ?? []) {
    const [k, v] = prop.children ?? [];
    if (!k || !v || typeof k.value !== 'string') continue;
    if (!(k.value in doc.keyLines)) doc.keyLines[k.value] = pos(k.offset).line;
    raw[k.value] = nodeValue(v);
  }
  doc.raw = raw;
  if (doc.problems.length > 0) return doc;
  const parsed = admissionSchema.safeParse(raw);
  if (!parsed.success) {
    for (const issue of parsed.error.issues) {
      const key = issue.path[0];
      const unknownKeys = issue.code === 'unrecognized_keys' ? (issue as { keys?: string[] }).keys ?? [] : [];
      if (unknownKeys.length > 0) {
        for (const k of unknownKeys) doc.problems.push({ line: doc.keyLines[k] ?? 1, message: `unknown key "${k}"` });
        continue;
      }
      const path = issue.path.map(String).join('.') || '(root)';
      const line = typeof key === 'string' ? doc.keyLines[key] ?? root_line(root, pos) : root_line(root, pos);
      doc.problems.push({ line, message: `${path}: ${issue.message}` });
    }
    return doc;
  }
  doc.value = parsed.data;
  return doc;
}

function root_line(root: Node, pos: (o: number) => { line: number }): number {
  return pos(root.offset).line;
}

function nodeValue(node: Node): unknown {
  switch (node.type) {
    case 'object': {
      const o: Record<string, unknown> = {};
      for (const p of node.children ?? []) {
        const [k, v] = p.children ?? [];
        if (k && v && typeof k.value === 'string') o[k.value] = nodeValue(v);
      }
      return o;
    }
    case 'array':
      return (node.children ?? []).map(nodeValue);
    default:
      return node.value;
  }
}

/** Reports every key that appears twice in the same object, naming the key and both lines. */
function findDuplicateKeys(text: string, report: (message: string, offset: number) => void): void {
  const pos = lineIndex(text);
  const stack: Array<Map<string, number>> = [];
  visit(
    text,
    {
      onObjectBegin: () => {
        stack.push(new Map());
      },
      onObjectEnd: () => {
        stack.pop();
      },
      onObjectProperty: (property, offset) => {
        const seen = stack[stack.length - 1];
        if (!seen) return;
        const first = seen.get(property);
        if (first !== undefined) {
          report(
            `duplicate key "${property}" on lines ${pos(first).line} and ${pos(offset).line} (JSON.parse keeps the last one while a reader sees the first)`,
            offset,
          );
        } else seen.set(property, offset);
      },
    },
    { disallowComments: true, allowTrailingComma: false },
  );
}
