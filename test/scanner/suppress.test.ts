import { describe, expect, it } from 'vitest';
import { applySuppressions, INLINE_SUPPRESSIBLE, isSuppressible, parseAllowDirectives, parseBaseline, patternCanSuppress, ruleMatches, type AllowDirective } from '../../src/engine/suppress.js';
import { EvaluationError, type Finding } from '../../src/engine/types.js';

const d = (over: Partial<AllowDirective> = {}): AllowDirective => ({ file: 'a.md', line: 3, at: 3, rule: 'secret/openai', reason: 'r', where: 'prose', ...over });
const f = (over: Partial<Finding> = {}): Finding => ({ file: 'a.md', line: 3, column: 1, ruleId: 'secret/openai', severity: 'error', message: 'OpenAI API key sk-pro…(51 chars)', fingerprint: 'ab'.repeat(16), ...over });

describe('parseAllowDirectives', () => {
  it('reads same-line and line-above Markdown comment directives', () => {
    const text = 'a\n<!-- sot-gate:allow secret/openai -- documented test key -->\nkey line\nvalue sot-gate:allow secret/* -- fixture\n';
    expect(parseAllowDirectives(text, 'a.md')).toEqual([
      { file: 'a.md', line: 3, at: 2, rule: 'secret/openai', reason: 'documented test key', where: 'prose' },
      { file: 'a.md', line: 4, at: 4, rule: 'secret/*', reason: 'fixture', where: 'prose' },
    ]);
  });
  it('keeps a directive without a reason, with an empty reason', () => {
    expect(parseAllowDirectives('x sot-gate:allow secret/openai', 'a.md')).toEqual([{ file: 'a.md', line: 1, at: 1, rule: 'secret/openai', reason: '', where: 'prose' }]);
  });
  it('says where each directive is: Markdown prose, Markdown front matter, or another file', () => {
    const fm = '---\ntitle: x # sot-gate:allow secret/* -- a\n---\nbody sot-gate:allow secret/* -- b\n';
    expect(parseAllowDirectives(fm, 'a.md').map((a) => [a.at, a.where])).toEqual([[2, 'front-matter'], [4, 'prose']]);
    expect(parseAllowDirectives(fm, 'A.MARKDOWN').map((a) => a.where)).toEqual(['front-matter', 'prose']);
    // gray-matter ends front matter at any line starting with ---; an unclosed block makes the whole file front matter
    expect(parseAllowDirectives('---\nx: 1\n---- \nsot-gate:allow secret/* -- b\n', 'a.md').map((a) => a.where)).toEqual(['prose']);
    expect(parseAllowDirectives('---\nx: 1\nsot-gate:allow secret/* -- b\n', 'a.md').map((a) => a.where)).toEqual(['front-matter']);
    expect(parseAllowDirectives('\uFEFF---\r\nx: sot-gate:allow secret/* -- a\r\n---\r\n', 'a.md').map((a) => a.where)).toEqual(['front-matter']);
    for (const file of ['a.json', 'a.yml', 'run.log', 'trace.jsonl', 'a.md.txt', 'a.txt']) {
      expect(parseAllowDirectives(fm, file).map((a) => a.where), file).toEqual(['not-markdown', 'not-markdown']);
    }
    expect(parseAllowDirectives(fm, 'a.md', { markdown: false }).map((a) => a.where)).toEqual(['not-markdown', 'not-markdown']);
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
  it('suppresses an exposure finding by an inline directive with a reason in Markdown prose', () => {
    const r = applySuppressions([f()], [d({ rule: 'secret/*', reason: 'revoked' })], [], '2026-06-01');
    expect(r.active).toEqual([]);
    expect(r.suppressed).toEqual([{ ...f(), suppressed: { kind: 'inline', reason: 'revoked' } }]);
    expect(r.unreviewed).toEqual([]);
  });
  it('never suppresses a governance finding, by directive, baseline entry or example mark', () => {
    for (const ruleId of ['decision/missing-field', 'admission/stale', 'workitem/invalid-status', 'sot/hidden-characters', 'evidence/endpoint-value', 'engine/rule-error', 'suppress/unapproved']) {
      const g = f({ ruleId });
      const mark = { kind: 'inline' as const, reason: 'documentation example (sot-gate:example)' };
      const r = applySuppressions([{ ...g, suppressed: mark }], [d({ rule: '*' }), d({ rule: ruleId })], [{ fingerprint: g.fingerprint!, rule: '*', reason: 'x' }], '2026-06-01');
      expect(r.suppressed, ruleId).toEqual([]);
      expect(r.active, ruleId).toEqual([g]);
    }
  });
  it('a directive outside Markdown prose suppresses nothing', () => {
    for (const where of ['front-matter', 'not-markdown'] as const) {
      expect(applySuppressions([f()], [d({ where })], [], '2026-06-01').active).toEqual([f()]);
    }
  });
  it('a directive the change adds counts only with an approver, and then names the approver', () => {
    const added = d({ added: true, reason: 'test key' });
    const pending = applySuppressions([f()], [added], [], '2026-06-01');
    expect(pending.suppressed).toEqual([]);
    expect(pending.active.map((x) => x.ruleId)).toEqual(['secret/openai']);
    expect(pending.active[0]!.message).toContain('needs an approval: see suppress/unapproved');
    expect(pending.unreviewed).toEqual([{ kind: 'directive', file: 'a.md', line: 3, rule: 'secret/openai', hides: f() }]);
    const approved = applySuppressions([f()], [added], [], '2026-06-01', { approvedBy: 'jp' });
    expect(approved.suppressed.map((x) => x.suppressed)).toEqual([{ kind: 'inline', reason: 'test key (added by this change; approved by @jp)' }]);
    expect(approved.unreviewed).toEqual([]);
    // a reviewed suppression of the same finding wins: nothing is pending
    const both = applySuppressions([f()], [added, d({ reason: 'old' })], [], '2026-06-01');
    expect(both.suppressed.map((x) => x.suppressed?.reason)).toEqual(['old']);
    expect(both.unreviewed).toEqual([]);
  });
  it('an example mark the change adds counts only with an approver', () => {
    const mark = { kind: 'inline' as const, reason: 'documentation example (sot-gate:example)' };
    const pending = applySuppressions([f({ suppressed: mark })], [], [], '2026-06-01', { addedExamples: new Set(['a.md\u00003']) });
    expect(pending.active.map((x) => [x.ruleId, x.line, x.suppressed])).toEqual([['secret/openai', 3, undefined]]);
    expect(pending.unreviewed).toEqual([{ kind: 'example', file: 'a.md', line: 3, hides: f() }]);
    expect(applySuppressions([f({ suppressed: mark })], [], [], '2026-06-01').suppressed).toHaveLength(1);
  });
  it('a baseline entry the change adds counts only with an approver; one that hides nothing is still reported', () => {
    const entry = { fingerprint: 'ab'.repeat(16), rule: 'secret/openai', reason: 'rotated', added: true };
    const pending = applySuppressions([f()], [], [entry], '2026-06-01');
    expect(pending.active).toHaveLength(1);
    expect(pending.unreviewed).toEqual([{ kind: 'baseline', rule: 'secret/openai', fingerprint: entry.fingerprint, hides: f() }]);
    expect(applySuppressions([f()], [], [entry], '2026-06-01', { approvedBy: 'jp' }).suppressed).toHaveLength(1);
    const idle = applySuppressions([], [], [{ ...entry, fingerprint: 'cd'.repeat(16) }], '2026-06-01');
    expect(idle.unreviewed).toEqual([{ kind: 'baseline', rule: 'secret/openai', fingerprint: 'cd'.repeat(16) }]);
  });
  it('the policy constant: only the exposure families can be suppressed', () => {
    expect(INLINE_SUPPRESSIBLE).toEqual(['secret/', 'endpoint/', 'path/']);
    expect(['secret/openai', 'endpoint/exposed', 'path/target-repository'].map(isSuppressible)).toEqual([true, true, true]);
    expect(['decision/x', 'admission/x', 'secrets/x', 'evidence/endpoint-value', 'Secret/openai'].map(isSuppressible)).toEqual([false, false, false, false, false]);
    expect(['*', 'secret/*', 'path/target-repository'].map(patternCanSuppress)).toEqual([true, true, true]);
    expect(['admission/*', '*/*', 'secret*', 'engine/rule-error'].map(patternCanSuppress)).toEqual([false, false, false, false]);
  });
  it('a directive without a reason does not suppress and says so', () => {
    const r = applySuppressions([f()], [d({ reason: '' })], [], '2026-06-01');
    expect(r.suppressed).toEqual([]);
    expect(r.active[0]!.message).toContain('allow directive needs a reason');
  });
  it('ignores directives for other lines, files or rules', () => {
    const allows = [d({ line: 4 }), d({ file: 'b.md' }), d({ rule: 'secret/aws' })];
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
