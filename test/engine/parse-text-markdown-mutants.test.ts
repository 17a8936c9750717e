/** Decoding edges (line of the first invalid UTF-8 byte) and Markdown structure (front matter, fences, section bodies). */
import { describe, expect, it } from 'vitest';
import { codeSpans, parseMarkdown, sectionLines } from '../../src/engine/parse/markdown.js';
import { decodeText } from '../../src/engine/parse/text.js';

const bytes = (...parts: Array<string | number[]>) =>
  new Uint8Array(parts.flatMap((p) => (typeof p === 'string' ? [...new TextEncoder().encode(p)] : p)));
const md = (t: string) => parseMarkdown('a.md', t, t.split('\n'));
const titles = (t: string) => md(t).sections.map((s) => s.title);

describe('decodeText: line of the first invalid UTF-8 byte', () => {
  it('an invalid byte on a last line without a trailing newline is found on that line', () => {
    expect(decodeText(bytes('a\nb\n', [0xff]))).toEqual({ ok: false, reason: 'is not valid UTF-8', line: 3 });
  });
  it('an invalid byte on an inner line is found on that line', () => {
    expect(decodeText(bytes('one\ntwo\n', [0x61, 0xff], '\nfour\n'))).toEqual({ ok: false, reason: 'is not valid UTF-8', line: 3 });
  });
  it('a valid multi-byte character ending a line does not shift the blame to the next line', () => {
    expect(decodeText(bytes('é\nok\n', [0xff], '\n'))).toEqual({ ok: false, reason: 'is not valid UTF-8', line: 3 });
  });
});

describe('parseMarkdown: front matter is not part of the body', () => {
  it('a YAML comment starting with # in front matter is not a heading', () => {
    const doc = md('---\n# owner comment\ntitle: T\n---\n# Real\ntext\n');
    expect(doc.frontMatter.kind).toBe('ok');
    expect(doc.sections).toEqual([{ title: 'Real', level: 1, line: 5, endLine: 7 }]);
  });
});

describe('parseMarkdown: code fences', () => {
  it('triple backticks inside a paragraph do not open a fence', () => {
    expect(titles('Use ```inline``` here\n# After\n')).toEqual(['After']);
  });
  it('a fence indented by up to three spaces hides the headings inside it', () => {
    expect(titles('   ```\n# hidden\n   ```\n# Shown\n')).toEqual(['Shown']);
  });
  it('a single backtick at the start of a line is a code span, not a fence', () => {
    expect(titles('`x` is code\n# After\n')).toEqual(['After']);
  });
  it('a single tilde at the start of a line is not a fence', () => {
    expect(titles('~strike~ text\n# After\n')).toEqual(['After']);
  });
  it('three tildes open a fence', () => {
    expect(titles('~~~\n# hidden\n~~~\n# Shown\n')).toEqual(['Shown']);
  });
});

describe('sectionLines', () => {
  it('lists a section body with 1-based line numbers', () => {
    const doc = md('# A\none\ntwo\n# B\n');
    expect(sectionLines(doc, doc.sections[0]!)).toEqual([
      { line: 2, text: 'one' },
      { line: 3, text: 'two' },
    ]);
  });
  it('lines past the end of the document read as empty text', () => {
    const doc = md('# A\none');
    expect(sectionLines(doc, { title: 'A', level: 1, line: 1, endLine: 3 })).toEqual([
      { line: 2, text: 'one' },
      { line: 3, text: '' },
    ]);
  });
  it('codeSpans still lists the spans of a line', () => {
    expect(codeSpans('`a`, `b` and `c`')).toEqual(['a', 'b', 'c']);
  });
});
