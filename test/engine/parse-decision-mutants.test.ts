/** The decision record reader at its edges: field values, list detection, history bullets, empty fields and pairs. */
import { describe, expect, it } from 'vitest';
import { fallbackPair, field, parseDecisionRecord, parseFieldValue, primaryPair, samePair } from '../../src/engine/parse/decision.js';
import { parseMarkdown } from '../../src/engine/parse/markdown.js';

const md = (t: string) => parseMarkdown('a.md', t, t.split('\n'));
const record = (lines: string[]) => parseDecisionRecord(md(lines.join('\n')))!;

describe('parseFieldValue: code spans', () => {
  it('ignores whitespace around a value that starts with a code span', () => {
    expect(parseFieldValue('  `x`  ')).toEqual({ value: 'x', values: ['x'] });
  });

  it('reads a comma-separated list of code spans whatever the spacing around the commas', () => {
    expect(parseFieldValue('`a`,`b`')).toEqual({ value: 'a', values: ['a', 'b'] });
    expect(parseFieldValue('`a` , `b`')).toEqual({ value: 'a', values: ['a', 'b'] });
    expect(parseFieldValue('`a`,  `b`')).toEqual({ value: 'a', values: ['a', 'b'] });
  });

  it('reads a list of three code spans with or without the final period', () => {
    expect(parseFieldValue('`a`, `b`, `c`')).toEqual({ value: 'a', values: ['a', 'b', 'c'] });
    expect(parseFieldValue('`a`, `b`, `c`.')).toEqual({ value: 'a', values: ['a', 'b', 'c'] });
    expect(parseFieldValue('`a`, `b` .')).toEqual({ value: 'a', values: ['a', 'b'] });
  });

  it('a code span followed by a note that itself contains a list keeps only the first span', () => {
    expect(parseFieldValue('`x`; see `a`, `b`.')).toEqual({ value: 'x', values: ['x'] });
  });

  it('a list followed by free text is not a list', () => {
    expect(parseFieldValue('`a`, `b` and more')).toEqual({ value: 'a', values: ['a'] });
    expect(parseFieldValue('`a`, `b`.x')).toEqual({ value: 'a', values: ['a'] });
    expect(parseFieldValue('`a`, `b`xyz')).toEqual({ value: 'a', values: ['a'] });
  });
});

describe('parseFieldValue: free text', () => {
  it('drops the final period and the space before it', () => {
    expect(parseFieldValue('free text .')).toEqual({ value: 'free text', values: ['free text'] });
  });

  it('keeps periods inside the text', () => {
    expect(parseFieldValue('v1.2')).toEqual({ value: 'v1.2', values: ['v1.2'] });
    expect(parseFieldValue('v1.2 release.')).toEqual({ value: 'v1.2 release', values: ['v1.2 release'] });
  });

  it('a lone period is an empty value with no values', () => {
    expect(parseFieldValue('.')).toEqual({ value: '', values: [] });
  });
});

describe('decision history', () => {
  it('accepts a space before the separator and no space after it', () => {
    const d = record(['## Current Decision State', '', '## Decision History', '', '- `decision_status` : `a`.', '- `decision_status`:`b`.', '- `decision_status`=c.']);
    expect(d.history).toEqual([
      { value: 'a', line: 5 },
      { value: 'b', line: 6 },
      { value: 'c', line: 7 },
    ]);
  });
});

describe('field()', () => {
  const d = record(['## Current Decision State', '', '- `provider`:', '- `model`: .', '- `fallback_provider`: `x`.']);

  it('an empty field is recorded with an empty value but reads as absent', () => {
    expect(d.fields.get('provider')).toMatchObject({ value: '', line: 3 });
    expect(d.fields.get('model')).toMatchObject({ value: '', line: 4 });
    expect(field(d, 'provider')).toBeUndefined();
    expect(field(d, 'model')).toBeUndefined();
  });

  it('a filled field reads as its value; an unknown key as absent', () => {
    expect(field(d, 'fallback_provider')).toBe('x');
    expect(field(d, 'fallback_model')).toBeUndefined();
  });
});

describe('primary and fallback pairs', () => {
  it('no primary pair when only the model is set, or only the provider', () => {
    expect(primaryPair(record(['## Current Decision State', '', '- `model`: `m`.']))).toBeUndefined();
    expect(primaryPair(record(['## Current Decision State', '', '- `provider`: `p`.']))).toBeUndefined();
    expect(primaryPair(record(['## Current Decision State', '', '- `provider`:', '- `model`: `m`.']))).toBeUndefined();
  });

  it('no fallback pair when only the fallback model is set, or only the fallback provider', () => {
    expect(fallbackPair(record(['## Current Decision State', '', '- `fallback_model`: `m`.']))).toBeUndefined();
    expect(fallbackPair(record(['## Current Decision State', '', '- `fallback_provider`: `p`.']))).toBeUndefined();
  });

  it('both halves make a pair', () => {
    const d = record(['## Current Decision State', '', '- `provider`: `p`.', '- `model`: `m`.', '- `fallback_provider`: `fp`.', '- `fallback_model`: `fm`.']);
    expect(primaryPair(d)).toEqual({ provider: 'p', model: 'm' });
    expect(fallbackPair(d)).toEqual({ provider: 'fp', model: 'fm' });
  });
});

describe('samePair', () => {
  const p = { provider: 'p', model: 'm' };
  it('equal provider and model are the same pair', () => {
    expect(samePair(p, { provider: 'p', model: 'm' })).toBe(true);
  });
  it('a missing pair is never the same as anything', () => {
    expect(samePair(undefined, undefined)).toBe(false);
    expect(samePair(undefined, p)).toBe(false);
    expect(samePair(p, undefined)).toBe(false);
  });
  it('a different provider or a different model is another pair', () => {
    expect(samePair(p, { provider: 'q', model: 'm' })).toBe(false);
    expect(samePair(p, { provider: 'p', model: 'n' })).toBe(false);
  });
});
