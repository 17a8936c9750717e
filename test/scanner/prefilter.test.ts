/** The prefilter's trie-shaped keyword regex finds exactly what a longest-first alternation finds. */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { keywordRegex, trieSource } from '../../src/engine/scanner/prefilter.js';

const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
const hits = (re: RegExp, text: string) => [...text.matchAll(re)].map((m) => `${m.index}:${m[0]}`);
const flat = (words: string[]) => new RegExp([...words].sort((a, b) => b.length - a.length).map(escape).join('|'), 'gi');

describe('trieSource', () => {
  it('shares prefixes and prefers the longest keyword at a position', () => {
    const src = trieSource(['sk-', 'sk-ant-', 'sk_live_', 'key']);
    expect(src).toBe('(?:sk(?:-(?:ant-)?|_live_)|key)');
    expect(hits(new RegExp(src, 'gi'), 'x SK-ANT-abc sk-1 sk_live_ keys')).toEqual(['2:SK-ANT-', '13:sk-', '18:sk_live_', '27:key']);
  });
  it('escapes regex metacharacters in keywords', () => {
    const re = new RegExp(trieSource(['.ts.net', '://', 'a+b', '-u\t']), 'gi');
    expect(hits(re, 'host.ts.net http://x a+b -u\tq xtsxnet aab')).toEqual(['4:.ts.net', '16:://', '21:a+b', '25:-u\t']);
  });
  it('matches like a longest-first alternation for any keywords and text', () => {
    const alphabet = fc.constantFrom('a', 'b', 'k', '-', '_', '.', 'A');
    const word = fc.string({ unit: alphabet, minLength: 1, maxLength: 5 });
    fc.assert(
      fc.property(fc.uniqueArray(word, { minLength: 1, maxLength: 12, selector: (w) => w.toLowerCase() }), fc.string({ unit: alphabet, maxLength: 80 }), (words, text) => {
        const lower = words.map((w) => w.toLowerCase());
        expect(hits(new RegExp(trieSource(lower), 'gi'), text)).toEqual(hits(flat(lower), text));
      }),
      { numRuns: 400 },
    );
  });
});

describe('keywordRegex', () => {
  it('spells ASCII letters as two-case classes and drops the i flag', () => {
    const re = keywordRegex(['sk-', 'key']);
    expect(re.flags).toBe('g');
    expect(re.source).toBe('(?:[sS][kK]-|[kK][eE][yY])');
    expect(hits(re, 'SK- Key kEY sk-')).toEqual(['0:SK-', '4:Key', '8:kEY', '12:sk-']);
  });
  it('keeps the i flag when a keyword has a non-ASCII letter', () => {
    const re = keywordRegex(['ключ', 'key']);
    expect(re.flags).toBe('gi');
    expect(hits(re, 'КЛЮЧ KEY')).toEqual(['0:КЛЮЧ', '5:KEY']);
  });
  it('matches exactly what the case-insensitive trie matches, Unicode look-alikes included', () => {
    // U+212A KELVIN SIGN and U+017F LONG S fold to ASCII letters only under the u flag, which the prefilter never uses.
    const alphabet = fc.constantFrom('a', 'b', 'k', 's', '-', '.', 'A', 'K', 'S', '\u212a', '\u017f', '\u0130', 'é');
    const word = fc.string({ unit: fc.constantFrom('a', 'b', 'k', 's', '-', '.'), minLength: 1, maxLength: 5 });
    fc.assert(
      fc.property(fc.uniqueArray(word, { minLength: 1, maxLength: 12 }), fc.string({ unit: alphabet, maxLength: 80 }), (words, text) => {
        expect(hits(keywordRegex(words), text)).toEqual(hits(new RegExp(trieSource(words), 'gi'), text));
      }),
      { numRuns: 400 },
    );
  });
});
