/** Front matter edges: delimiters with stray whitespace, line endings, key lines, null documents, alias caps, timestamps. */
import { describe, expect, it } from 'vitest';
import { parseFrontMatter } from '../../src/engine/parse/frontmatter.js';

const fm = (text: string) => parseFrontMatter(text, text.split(/\r?\n|\r/));

describe('front matter delimiters', () => {
  it('an opening `---` followed by trailing spaces still opens front matter', () => {
    expect(fm('---   \ntitle: T\n---\n# x\n')).toEqual({ kind: 'ok', value: { data: { title: 'T' }, keyLines: { title: 2 }, endLine: 3 } });
  });
  it('an indented `---` on the first line is not front matter', () => {
    expect(fm('  ---\ntitle: T\n---\n')).toEqual({ kind: 'none' });
  });
  it('a closing `---` followed by trailing spaces closes front matter', () => {
    expect(fm('---\ntitle: T\n---   \n# body\n')).toEqual({ kind: 'ok', value: { data: { title: 'T' }, keyLines: { title: 2 }, endLine: 3 } });
  });
  it('an indented `---` does not close front matter', () => {
    expect(fm('---\ntitle: T\n  ---\n')).toEqual({ kind: 'invalid', line: 1, message: 'front matter has no closing `---`' });
  });
});

describe('front matter line endings', () => {
  it('old Mac line endings (CR only) parse like LF', () => {
    expect(fm('---\rtitle: T\rowner: O\r---\r# x\r')).toEqual({ kind: 'ok', value: { data: { title: 'T', owner: 'O' }, keyLines: { title: 2, owner: 3 }, endLine: 4 } });
  });
});

describe('front matter key lines', () => {
  it('records only top-level keys, not the keys of a nested mapping', () => {
    const r = fm('---\nowner:\n  name: x\n  team: y\nstatus: ok\n---\n');
    expect(r).toEqual({ kind: 'ok', value: { data: { owner: { name: 'x', team: 'y' }, status: 'ok' }, keyLines: { owner: 2, status: 5 }, endLine: 6 } });
  });
  it('a space between a key and its colon still records the key', () => {
    const r = fm('---\ntitle : T\n---\n');
    expect(r).toEqual({ kind: 'ok', value: { data: { title: 'T' }, keyLines: { title: 2 }, endLine: 3 } });
  });
  it('a dotted key is not recorded under its first segment', () => {
    const r = fm('---\na.b: 1\n---\n');
    expect(r).toEqual({ kind: 'ok', value: { data: { 'a.b': 1 }, keyLines: {}, endLine: 3 } });
  });
  it('list items and comments between keys are skipped', () => {
    const r = fm('---\ntags:\n- a\n- b\n# a comment\nowner: O\n---\n');
    expect(r).toEqual({ kind: 'ok', value: { data: { tags: ['a', 'b'], owner: 'O' }, keyLines: { tags: 2, owner: 6 }, endLine: 7 } });
  });
});

describe('front matter that is not a mapping', () => {
  it('an explicit null document is an empty mapping', () => {
    expect(fm('---\n~\n---\n')).toEqual({ kind: 'ok', value: { data: {}, keyLines: {}, endLine: 3 } });
    expect(fm('---\nnull\n---\n')).toEqual({ kind: 'ok', value: { data: {}, keyLines: {}, endLine: 3 } });
  });
  it('a scalar document is refused on the first front-matter line', () => {
    expect(fm('---\njust a string\n---\n')).toEqual({ kind: 'invalid', line: 2, message: 'front matter is not a mapping' });
  });
});

describe('front matter alias cap', () => {
  const aliases = (n: number) => '---\na: &a [x]\nb: [' + Array.from({ length: n }, () => '*a').join(', ') + ']\n---\n';
  it('49 uses of one anchor are expanded', () => {
    const r = fm(aliases(49));
    expect(r.kind).toBe('ok');
    if (r.kind !== 'ok') return;
    expect(r.value.data.b).toHaveLength(49);
    expect((r.value.data.b as unknown[])[48]).toEqual(['x']);
  });
  it('50 uses of one anchor are refused with the library message on line 1', () => {
    expect(fm(aliases(50))).toEqual({ kind: 'invalid', line: 1, message: 'Excessive alias count indicates a resource exhaustion attack' });
  });
});

describe('front matter timestamps', () => {
  it('explicit !!timestamp values become YYYY-MM-DD strings (in UTC)', () => {
    const r = fm('---\ncreated: !!timestamp 2026-05-31\nreviewed: !!timestamp 2026-06-01T08:15:00Z\n---\n');
    expect(r).toEqual({ kind: 'ok', value: { data: { created: '2026-05-31', reviewed: '2026-06-01' }, keyLines: { created: 2, reviewed: 3 }, endLine: 4 } });
  });
  it('plain dates stay strings and other values pass through unchanged', () => {
    const r = fm('---\ncreated: 2026-05-31\ncount: 3\nflag: true\n---\n');
    expect(r.kind === 'ok' && r.value.data).toEqual({ created: '2026-05-31', count: 3, flag: true });
  });
});
