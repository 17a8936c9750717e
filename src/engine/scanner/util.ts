/** Helpers shared by detectors: placeholder recognition, boundaries, simple regex runners. */
import { distinct } from './entropy.js';
import type { Match } from './types.js';

const PLACEHOLDER_WORDS =
  /(?:example|sample|dummy|placeholder|redacted|changeme|change_me|replace|your[-_ ]?(?:key|token|secret|pass|api|user|own)|insert|notreal|not[-_]a[-_]real|put[-_]your|\.\.\.|…)/i;

/**
 * A value that is a template, a reference or an obvious placeholder, never a real secret:
 * `sk-...`, `sk-xxxx`, `<redacted>`, `${{ secrets.X }}`, `$OPENAI_API_KEY`, `${VAR}`, `***`,
 * `REDACTED`, `changeme`, `example`, all-same-char values, EXAMPLE-marked documentation values.
 */
export function isPlaceholder(value: string): boolean {
  const v = value.trim();
  if (v.length === 0) return true;
  if (/^[$%]|^\{\{|\$\{|\$\(|\{\{|<[^>]*>?|^\{[^}]*\}$/.test(v)) return true;
  if (/x{4,}|X{4,}|\*{3,}|#{4,}|•{2,}|0{8,}/.test(v)) return true;
  if (PLACEHOLDER_WORDS.test(v)) return true;
  if (distinct(v) <= 2) return true;
  if (hasSequence(v, 8)) return true;
  return false;
}

/** Same check, for a structured token: only the part after its fixed prefix counts. */
export function isPlaceholderBody(body: string): boolean {
  if (/x{4,}|X{4,}|\*{3,}|#{4,}|(.)\1{5,}|EXAMPLE|example|\.\.\./.test(body)) return true;
  if (distinct(body) <= 3) return true;
  if (hasSequence(body, 10)) return true;
  return false;
}

/** `abcdefgh` or `12345678`: an ascending run of n characters. */
export function hasSequence(s: string, n: number): boolean {
  let run = 1;
  for (let i = 1; i < s.length; i++) {
    if (s.charCodeAt(i) === s.charCodeAt(i - 1) + 1) {
      run++;
      if (run >= n) return true;
    } else run = 1;
  }
  return false;
}

/** leftEdge's second branch: a token right after an escape. It can only match where the text holds `\` or `%`. */
const ESCAPE_BRANCH = String.raw`|(?<=\\[nrtbfv]|\\u[0-9A-Fa-f]{4}|\\x[0-9A-Fa-f]{2}|%[0-9A-Fa-f]{2})`;
/**
 * The one left-boundary rule of token patterns. A token may not continue a word: the character before it may not be one
 * of `blocked` (a regex class body; default letters, digits, `_` and `-`, so `sk-` inside `task-list` or `AKIA` inside
 * base64 is no token). But an escape or an encoded character right before it is a separator, not part of a word, although
 * it ends in a letter or digit: `\n`, `\t` (JSON, logs), `\u0022`, `\x22`, `%22` (URL encoding).
 * Long distinctive prefixes (`ghp_`, `sk-proj-`, `xoxb-`) pass `'A-Za-z0-9'` so that `_ghp_…` and `pre-sk-proj-…` count.
 */
export function leftEdge(blocked = 'A-Za-z0-9_-'): string {
  return String.raw`(?:(?<![${blocked}])${ESCAPE_BRANCH})`;
}

const plainOf = new WeakMap<RegExp, RegExp>();

/**
 * The regex to run on `text`: a text without `\` or `%` holds no escape, so leftEdge's escape branch cannot match there
 * and the regex runs without it (same matches; V8 runs the lookbehind alternation at every position, which made the
 * hot detectors markedly slower). Returns `re` itself when the text may hold an escape.
 */
export function edgeFor(re: RegExp, text: string): RegExp {
  if (text.includes('\\') || text.includes('%')) return re;
  let plain = plainOf.get(re);
  if (!plain) {
    plain = new RegExp(re.source.split(ESCAPE_BRANCH).join(''), re.flags);
    plainOf.set(re, plain);
  }
  return plain;
}

/** A token pattern (a regex literal without its left boundary) behind leftEdge(blocked): linear, as the pattern is. */
export function atTokenStart(re: RegExp, blocked?: string): RegExp {
  return new RegExp(leftEdge(blocked) + re.source, re.flags);
}

/**
 * `start` is where a backwards walk over word characters stopped. When the walk ran into an escape (`\n`, `\u0022`,
 * `%2F`), the escape's letters are not part of the word: returns the index just after the escape.
 */
export function afterEscape(text: string, start: number): number {
  const prev = text[start - 1];
  if (prev === '\\') return start + (/^(?:[nrtbfv]|u[0-9A-Fa-f]{4}|x[0-9A-Fa-f]{2})/.exec(text.slice(start, start + 5))?.[0].length ?? 0);
  if (prev === '%') return start + (/^[0-9A-Fa-f]{2}/.test(text.slice(start, start + 2)) ? 2 : 0);
  return start;
}

/**
 * Runs a global regex over a window and maps each match to a Match. `group` is the capture
 * holding the secret value (0 = whole match). `accept` filters out placeholders etc.
 * Regexes passed here must be linear: they start with a lookbehind on the token alphabet and
 * use bounded quantifiers only.
 */
export function findAll(
  window: string,
  re: RegExp,
  accept: (value: string, m: RegExpExecArray) => boolean = () => true,
  group = 0,
): Match[] {
  const out: Match[] = [];
  re.lastIndex = 0;
  for (let m = re.exec(window); m !== null; m = re.exec(window)) {
    if (m[0].length === 0) {
      re.lastIndex++;
      continue;
    }
    const value = m[group];
    if (value === undefined) continue;
    if (!accept(value, m)) continue;
    const index = m.index + m[0].indexOf(value);
    out.push({ index, value });
  }
  return out;
}
