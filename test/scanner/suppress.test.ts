import { describe, expect, it } from 'vitest';
import { applySuppressions, parseAllowDirectives, parseBaseline, ruleMatches } from '../../src/engine/suppress.js';
import { EvaluationError, type Finding } from '../../src/engine/types.js';

const f = (over: Partial<Finding> = {}): Finding => ({ file: 'a.md', line: 3, column: 1, ruleId: 'secret/openai', severity: 'error', message: 'OpenAI API key sk-pro…(51 chars)', fingerprint: 'ab'.repeat(16), ...over });

describe('parseAllowDirectives', () => {
  it('reads same-line and line-above Markdown comment directives', () => {
    const text = 'a\n<!-- sot-gate:allow secret/openai -- documented test key -->\nkey line\nvalue sot-gate:allow secret/* -- fixture\n';
    expect(parseAllowDirectives(text, 'a.md')).toEqual([
      { file: 'a.md', line: 3, rule: 'secret/openai', reason: 'documented test key' },
      { file: 'a.md', line: 4, rule: 'secret/*', reason: 'fixture' },
    ]);
  });
  it('keeps a directive without a reason, with an empty reason', () => {
    expect(parseAllowDirectives('x sot-gate:allow secret/openai', 'a.md')).toEqual([{ file: 'a.md', line: 1, rule: 'secret/openai', reason: '' }]);
  });
});

describe('ruleMatches', () => {
  it('matches exact ids, families and *', () => {
    expect(ruleMatches('secret/openai', 'secret/openai')).toBe(true);
    expect(ruleMatches('secret/*', 'secret/aws')).toBe(true);
    expect(ruleMatches('secret/*', 'endpoint/exposed')).toBe(false);
    expect(ruleMatches('*', 'decision/missing-field')).toBe(true);
    expect(ruleMatches('secret/open', 'secret/openai')).toBe(false);
  });
});

describe('applySuppressions', () => {
  it('suppresses by inline directive with a reason, for any rule', () => {
    const d = f({ ruleId: 'decision/missing-field' });
    const r = applySuppressions([d], [{ file: 'a.md', line: 3, rule: 'decision/*', reason: 'migrating' }], [], '2026-06-01');
    expect(r.active).toEqual([]);
    expect(r.suppressed).toEqual([{ ...d, suppressed: { kind: 'inline', reason: 'migrating' } }]);
  });
  it('a directive without a reason does not suppress and says so', () => {
    const r = applySuppressions([f()], [{ file: 'a.md', line: 3, rule: 'secret/openai', reason: '' }], [], '2026-06-01');
    expect(r.suppressed).toEqual([]);
    expect(r.active[0]!.message).toContain('allow directive needs a reason');
  });
  it('ignores directives for other lines, files or rules', () => {
    const allows = [
      { file: 'a.md', line: 4, rule: 'secret/openai', reason: 'r' },
      { file: 'b.md', line: 3, rule: 'secret/openai', reason: 'r' },
      { file: 'a.md', line: 3, rule: 'secret/aws', reason: 'r' },
    ];
    expect(applySuppressions([f()], allows, [], '2026-06-01').active).toHaveLength(1);
  });
  it('suppresses by baseline until the expiry date, then reactivates with a note', () => {
    const entry = { fingerprint: 'ab'.repeat(16), rule: 'secret/openai', reason: 'rotated, history rewrite pending', expires: '2026-06-30' };
    const before = applySuppressions([f()], [], [entry], '2026-06-30');
    expect(before.suppressed[0]!.suppressed).toEqual({ kind: 'baseline', reason: entry.reason, expires: '2026-06-30' });
    const after = applySuppressions([f()], [], [entry], '2026-07-01');
    expect(after.suppressed).toEqual([]);
    expect(after.active[0]!.message).toContain('baseline entry expired on 2026-06-30');
  });
  it('baseline entries are scoped by fingerprint, rule and optional file', () => {
    const base = { fingerprint: 'ab'.repeat(16), rule: 'secret/*', reason: 'r' };
    expect(applySuppressions([f()], [], [{ ...base, file: 'other.md' }], '2026-01-01').active).toHaveLength(1);
    expect(applySuppressions([f()], [], [{ ...base, fingerprint: 'cd'.repeat(16) }], '2026-01-01').active).toHaveLength(1);
    expect(applySuppressions([f()], [], [{ ...base, file: 'a.md' }], '2026-01-01').suppressed).toHaveLength(1);
  });
});

describe('parseBaseline', () => {
  it('parses a valid baseline', () => {
    const text = JSON.stringify({ version: 1, entries: [{ fingerprint: 'ab'.repeat(16), rule: 'secret/openai', reason: 'ok', expires: '2026-12-31' }] });
    expect(parseBaseline(text, 'b.json')).toHaveLength(1);
  });
  it('throws EvaluationError naming the path of the bad key', () => {
    const bad = JSON.stringify({ version: 1, entries: [{ fingerprint: 'ab'.repeat(16), rule: 'secret/openai', reason: ' ' }] });
    expect(() => parseBaseline(bad, 'b.json')).toThrow(EvaluationError);
    expect(() => parseBaseline(bad, 'b.json')).toThrow(/b\.json: invalid baseline: entries\.0\.reason/);
    expect(() => parseBaseline(JSON.stringify({ version: 1, entries: [{ fingerprint: 'zz', rule: 'x', reason: 'y' }] }), 'b.json')).toThrow(/entries\.0\.fingerprint/);
    expect(() => parseBaseline('{', 'b.json')).toThrow(/not valid JSON/);
    expect(() => parseBaseline(JSON.stringify({ version: 2, entries: [] }), 'b.json')).toThrow(/version/);
  });
});
