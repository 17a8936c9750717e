/**
 * One pass over the text finds candidate positions: a single case-insensitive regex of every
 * detector's literal keywords, plus the few detectors with a trigger regex. Each hit names the
 * detectors interested in it; only those run, only on the line around the hit.
 */
import type { Detector, ScanOptions } from './types.js';

export interface Prefilter {
  keywords: RegExp | null;
  /** lowercase keyword -> indexes of detectors */
  byKeyword: Map<string, number[]>;
  triggers: Array<{ re: RegExp; detector: number }>;
}

const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** Per detector list (the scanner uses two: all detectors, and the specific ones for decoded text), per options. */
const caches = new WeakMap<readonly Detector[], Map<string, Prefilter>>();

interface TrieNode {
  end: boolean;
  next: Map<string, TrieNode>;
}

/**
 * The keywords as one regex shaped like a trie (`sk(?:-(?:ant-)?|_live_)`), which the regex engine runs faster than a
 * flat alternation: a shared prefix is read once. At each position it matches the longest keyword (an optional
 * continuation is greedy), so a keyword that is a prefix of another (`sk-`, `sk-ant-`) does not hide it.
 */
export function trieSource(words: readonly string[]): string {
  const root: TrieNode = { end: false, next: new Map() };
  for (const w of words) {
    let n = root;
    for (const c of w) {
      let child = n.next.get(c);
      if (!child) n.next.set(c, (child = { end: false, next: new Map() }));
      n = child;
    }
    n.end = true;
  }
  const emit = (n: TrieNode): string => {
    const alts = [...n.next].map(([c, child]) => escape(c) + emit(child));
    if (alts.length === 0) return '';
    const body = alts.length === 1 ? alts[0]! : `(?:${alts.join('|')})`;
    return n.end ? `(?:${alts.join('|')})?` : body;
  };
  return emit(root);
}

/**
 * The case-insensitive keyword regex. For ASCII keywords each letter is spelled as a class (`[kK]`), which V8 runs
 * about a quarter faster than the `i` flag and which matches exactly the same text: without the `u` flag, `i` lets an
 * ASCII letter match only its two cases. A keyword with any other letter keeps the `i` flag.
 */
export function keywordRegex(words: readonly string[]): RegExp {
  const source = trieSource(words);
  if (words.some((w) => /[^\x00-\x7f]/.test(w))) return new RegExp(source, 'gi');
  return new RegExp(source.replace(/[a-z]/g, (c) => `[${c}${c.toUpperCase()}]`), 'g');
}

export function buildPrefilter(detectors: readonly Detector[], opts: ScanOptions): Prefilter {
  const cacheKey = JSON.stringify([opts.endpointVariables, opts.targetRepositoryPatterns]);
  let cache = caches.get(detectors);
  if (!cache) caches.set(detectors, (cache = new Map()));
  const cached = cache.get(cacheKey);
  if (cached) return cached;
  const byKeyword = new Map<string, number[]>();
  const triggers: Prefilter['triggers'] = [];
  detectors.forEach((d, i) => {
    const kws = [...d.keywords, ...(d.dynamicKeywords?.(opts) ?? [])];
    for (const kw of new Set(kws.map((k) => k.toLowerCase()).filter(Boolean))) {
      const list = byKeyword.get(kw) ?? [];
      list.push(i);
      byKeyword.set(kw, list);
    }
    if (d.trigger) triggers.push({ re: new RegExp(d.trigger.source, 'g'), detector: i });
  });
  // A hit on a longer keyword (`sk-ant-`) also credits the detectors of keywords it starts with (`sk-`).
  for (const [kw, dets] of byKeyword) {
    for (const [k, other] of byKeyword) if (k.length < kw.length && kw.startsWith(k)) dets.push(...other.filter((d) => !dets.includes(d)));
  }
  const keywords = byKeyword.size ? keywordRegex([...byKeyword.keys()]) : null;
  const pf = { keywords, byKeyword, triggers };
  if (cache.size > 32) cache.clear();
  cache.set(cacheKey, pf);
  return pf;
}

/** Candidate positions per detector (index = detector index), ascending. */
export function candidates(text: string, pf: Prefilter, detectorCount: number): Int32Array[] {
  const perDetector: number[][] = Array.from({ length: detectorCount }, () => []);
  if (pf.keywords) {
    const re = pf.keywords;
    re.lastIndex = 0;
    for (let m = re.exec(text); m !== null; m = re.exec(text)) {
      const dets = pf.byKeyword.get(m[0].toLowerCase());
      if (dets) for (const d of dets) perDetector[d]!.push(m.index);
    }
  }
  for (const t of pf.triggers) {
    t.re.lastIndex = 0;
    const list = perDetector[t.detector]!;
    for (let m = t.re.exec(text); m !== null; m = t.re.exec(text)) list.push(m.index);
  }
  return perDetector.map((l) => Int32Array.from(l).sort());
}

/** Whether a text holds any candidate position at all (a keyword or a trigger): the cheap test before a full scan. */
export function anyCandidate(text: string, pf: Prefilter): boolean {
  if (pf.keywords) {
    pf.keywords.lastIndex = 0;
    if (pf.keywords.test(text)) return true;
  }
  for (const t of pf.triggers) {
    t.re.lastIndex = 0;
    if (t.re.test(text)) return true;
  }
  return false;
}
