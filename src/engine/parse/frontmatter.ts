/**
 * Front matter via gray-matter, with the `yaml` package as its engine so hostile YAML is bounded:
 * alias expansion is capped (billion laughs), unknown tags and duplicate keys are errors.
 */
import matter from 'gray-matter';
import YAML from 'yaml';

export interface FrontMatter {
  data: Record<string, unknown>;
  /** 1-based line of each top-level key. */
  keyLines: Record<string, number>;
  /** Line of the closing `---`; the body starts after it. */
  endLine: number;
}

export type FrontMatterResult =
  | { kind: 'none' }
  | { kind: 'ok'; value: FrontMatter }
  | { kind: 'invalid'; line: number; message: string };

class YamlProblem extends Error {
  constructor(
    message: string,
    readonly line: number,
  ) {
    super(message);
  }
}

function parseYaml(source: string): object {
  const lineCounter = new YAML.LineCounter();
  const doc = YAML.parseDocument(source, { lineCounter, uniqueKeys: true, prettyErrors: false, customTags: [] });
  const problem = doc.errors[0] ?? doc.warnings[0];
  if (problem) {
    const pos = problem.pos?.[0] ?? 0;
    throw new YamlProblem(problem.message.split('\n')[0] ?? 'invalid YAML', lineCounter.linePos(pos).line);
  }
  // Anchors/aliases: a document that expands to more than 10k nodes is refused (billion laughs).
  const value: unknown = doc.toJS({ maxAliasCount: 50 });
  if (value === null || value === undefined) return {};
  // A mapping is a plain object; `!!binary`, `!!set`, `!!omap` or a timestamp at the top level are not.
  const proto: unknown = typeof value === 'object' ? Object.getPrototypeOf(value) : undefined;
  if (typeof value !== 'object' || (proto !== Object.prototype && proto !== null)) throw new YamlProblem('front matter is not a mapping', 1);
  return value as object;
}

const engines = { yaml: { parse: parseYaml, stringify: () => '' } } as never;

/** `lines` are the whole file's lines; `text` the whole file (BOM already stripped). */
export function parseFrontMatter(text: string, lines: string[]): FrontMatterResult {
  if ((lines[0] ?? '').trimEnd() !== '---') return { kind: 'none' };
  let end = -1;
  for (let i = 1; i < lines.length; i++) {
    const l = (lines[i] ?? '').trimEnd();
    if (l === '---') {
      end = i;
      break;
    }
    // gray-matter ends the front matter at any line starting with `---`: a reader and this parser would disagree.
    if (l.startsWith('---')) return { kind: 'invalid', line: i + 1, message: 'front matter delimiter `---` must stand alone on its line' };
  }
  if (end === -1) return { kind: 'invalid', line: 1, message: 'front matter has no closing `---`' };
  try {
    const parsed = matter(text.replace(/\r\n?/g, '\n'), { engines, language: 'yaml' });
    const data = normalizeDates(parsed.data as Record<string, unknown>);
    // Keyed by user data: a null-prototype object and own-property checks (`constructor:` is a key like any other).
    const keyLines = Object.create(null) as Record<string, number>;
    for (let i = 1; i < end; i++) {
      const m = /^([A-Za-z0-9_-]+)\s*:/.exec(lines[i] ?? '');
      if (m?.[1] && !Object.hasOwn(keyLines, m[1])) keyLines[m[1]] = i + 1;
    }
    return { kind: 'ok', value: { data, keyLines, endLine: end + 1 } };
  } catch (e) {
    if (e instanceof YamlProblem) return { kind: 'invalid', line: e.line + 1, message: e.message };
    const msg = e instanceof Error ? e.message.split('\n')[0] ?? 'invalid YAML' : 'invalid YAML';
    return { kind: 'invalid', line: 1, message: msg };
  }
}

/** js-yaml (gray-matter's default engine) turns `2026-05-31` into a Date: accept both forms as YYYY-MM-DD strings. */
function normalizeDates(data: Record<string, unknown>): Record<string, unknown> {
  // Null prototype: a `__proto__` key is an own key, never the object's prototype (so `data.status` is only an own key).
  const out = Object.create(null) as Record<string, unknown>;
  for (const [k, v] of Object.entries(data)) {
    out[k] = v instanceof Date && !Number.isNaN(v.getTime()) ? v.toISOString().slice(0, 10) : v;
  }
  return out;
}
