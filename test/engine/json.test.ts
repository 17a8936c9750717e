/** The strict JSON-object reader shared by admissions and evidence. */
import { describe, expect, it } from 'vitest';
import { jsonDepth, MAX_JSON_DEPTH, parseJsonObject } from '../../src/engine/parse/json.js';

describe('jsonDepth', () => {
  it('counts brackets outside strings only, skipping escaped quotes', () => {
    expect(jsonDepth('{"a":[1,{"b":2}]}')).toEqual({ depth: 3, offset: 8 });
    expect(jsonDepth('{"a":"[[[{{{"}').depth).toBe(1);
    expect(jsonDepth('{"a":"x\\"[[[[","b":[]}').depth).toBe(2);
    expect(jsonDepth('')).toEqual({ depth: 0, offset: 0 });
  });
  it('exactly the limit parses, one more does not', () => {
    const nested = (n: number) => '{"a":' + '['.repeat(n - 1) + ']'.repeat(n - 1) + '}';
    expect(parseJsonObject(nested(MAX_JSON_DEPTH)).problems).toEqual([]);
    expect(parseJsonObject(nested(MAX_JSON_DEPTH + 1)).problems[0]!.message).toBe(`JSON nesting deeper than ${MAX_JSON_DEPTH} levels`);
  });
});

describe('parseJsonObject', () => {
  it('keeps nested values and each top-level key line', () => {
    const r = parseJsonObject('{\n  "a": {"x": [1, "y", null, true]},\n  "b": 2\n}\n');
    expect(r).toEqual({ raw: { a: { x: [1, 'y', null, true] }, b: 2 }, keyLines: { a: 2, b: 3 }, problems: [], rootLine: 1 });
  });
  it('duplicate keys at any depth, but the same key in sibling objects is fine', () => {
    expect(parseJsonObject('{"a": {"k": 1, "k": 2}}').problems.map((p) => p.message)).toEqual([
      'duplicate key "k" on lines 1 and 1 (JSON.parse keeps the last one while a reader sees the first)',
    ]);
    expect(parseJsonObject('{"a": {"k": 1}, "b": {"k": 2}, "c": [{"k": 1}, {"k": 2}]}').problems).toEqual([]);
  });
  it('no raw object when there is any problem', () => {
    expect(parseJsonObject('{"a": 1, "a": 2}').raw).toBeUndefined();
    expect(parseJsonObject('{"a": 1,}').raw).toBeUndefined();
  });
  it('names what it expected, with the root line of a non-object', () => {
    expect(parseJsonObject('\n\n[1]', 'an admission').problems).toEqual([{ line: 3, column: 1, message: 'an admission must be a JSON object, not array' }]);
    expect(parseJsonObject(' ', 'the report').problems).toEqual([{ line: 1, message: 'file is empty: the report must be a JSON object' }]);
  });
  it('reports at most five syntax errors', () => {
    expect(parseJsonObject('{' + ' ,'.repeat(20) + '}').problems.length).toBeLessThanOrEqual(5);
  });
});
