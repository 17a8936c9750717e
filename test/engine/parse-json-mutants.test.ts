/** The strict JSON-object reader: where depth is measured, what a syntax error leaves behind, and duplicate-key scopes. */
import { describe, expect, it } from 'vitest';
import { jsonDepth, MAX_JSON_DEPTH, parseJsonObject } from '../../src/engine/parse/json.js';

describe('jsonDepth locates the deepest nesting', () => {
  it('reports the first bracket that reaches the maximum, not a later one at the same depth', () => {
    // offsets: `{"a":[[` puts the second `[` at 6; `,"b":[[` puts the later one at 16
    expect(jsonDepth('{"a":[[1]],"b":[[2]]}')).toEqual({ depth: 3, offset: 6 });
  });
  it('a shallower bracket after the deepest one does not move the offset', () => {
    expect(jsonDepth('{"a":[[1]],"b":[2]}')).toEqual({ depth: 3, offset: 6 });
  });
  it('closing braces end their level, so sibling objects do not add up', () => {
    expect(jsonDepth('{"a":{},"b":{},"c":{}}')).toEqual({ depth: 2, offset: 5 });
  });
  it('closing brackets end their level, so sibling arrays do not add up', () => {
    expect(jsonDepth('[[],[],[]]')).toEqual({ depth: 2, offset: 1 });
  });
  it('mixed siblings: depth is the deepest single path', () => {
    expect(jsonDepth('{"a":[],"b":{},"c":[{}]}')).toEqual({ depth: 3, offset: 20 });
  });
  it('a wide object with many shallow children stays well under the cap', () => {
    const wide = '{"a":[' + Array.from({ length: 3 * MAX_JSON_DEPTH }, () => '{"k":[]}').join(',') + ']}';
    const r = parseJsonObject(wide);
    expect(r.problems).toEqual([]);
    expect((r.raw?.a as unknown[]).length).toBe(3 * MAX_JSON_DEPTH);
  });
  it('the nesting problem points at the bracket that crosses the cap', () => {
    const text = '{\n"a":' + '['.repeat(MAX_JSON_DEPTH) + ']'.repeat(MAX_JSON_DEPTH) + '}';
    expect(parseJsonObject(text).problems).toEqual([{ line: 2, column: 4 + MAX_JSON_DEPTH, message: `JSON nesting deeper than ${MAX_JSON_DEPTH} levels` }]);
  });
});

describe('parseJsonObject default wording', () => {
  it('calls the input "the file" when no name is given (empty input)', () => {
    expect(parseJsonObject('').problems).toEqual([{ line: 1, message: 'file is empty: the file must be a JSON object' }]);
  });
  it('calls the input "the file" when no name is given (non-object root)', () => {
    expect(parseJsonObject('"x"').problems).toEqual([{ line: 1, column: 1, message: 'the file must be a JSON object, not string' }]);
  });
});

describe('parseJsonObject stops at syntax errors', () => {
  it('a trailing comma yields only syntax problems: no key lines, no raw object, root line stays 1', () => {
    expect(parseJsonObject('\n{\n"a": 1,\n}')).toEqual({
      keyLines: {},
      problems: [
        { line: 4, column: 1, message: 'invalid JSON: PropertyNameExpected' },
        { line: 4, column: 1, message: 'invalid JSON: ValueExpected' },
      ],
      rootLine: 1,
    });
  });
  it('a broken array is reported as a syntax error only, not also as "not an object"', () => {
    expect(parseJsonObject('[1,]', 'an admission')).toEqual({
      keyLines: {},
      problems: [{ line: 1, column: 4, message: 'invalid JSON: ValueExpected' }],
      rootLine: 1,
    });
  });
  it('a comment is a syntax error and nothing else', () => {
    expect(parseJsonObject('{"a": 1 // c\n}').problems).toEqual([{ line: 1, column: 9, message: 'invalid JSON: InvalidCommentToken' }]);
  });
});

describe('parseJsonObject duplicate keys are scoped per object', () => {
  it('a parent key may repeat a key of a nested object that has already closed', () => {
    const r = parseJsonObject('{"a": {"k": 1}, "k": 2}');
    expect(r.problems).toEqual([]);
    expect(r.raw).toEqual({ a: { k: 1 }, k: 2 });
  });
  it('a top-level key repeated after a nested object is still a duplicate', () => {
    expect(parseJsonObject('{"o": {"x": 1},\n "o": 2}').problems).toEqual([
      { line: 2, column: 2, message: 'duplicate key "o" on lines 1 and 2 (JSON.parse keeps the last one while a reader sees the first)' },
    ]);
  });
  it('keyLines keeps the line of the first occurrence of a duplicated key', () => {
    const r = parseJsonObject('{\n "a": 1,\n "a": 2\n}');
    expect(r.keyLines).toEqual({ a: 2 });
    expect(r.raw).toBeUndefined();
    expect(r.problems.map((p) => p.line)).toEqual([3]);
  });
});
