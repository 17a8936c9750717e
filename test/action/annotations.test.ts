import { describe, expect, it } from 'vitest';
import { ANNOTATION_CAP, annotate } from '../../src/action/annotations.js';
import type { Finding } from '../../src/engine/types.js';
import { fakeCore } from '../fixtures/core.js';

const finding = (i: number, severity: Finding['severity']): Finding => ({ ruleId: `r/${severity}-${i}`, severity, file: `f${i}.md`, line: i + 1, column: 2, message: `m${i}` });

describe('annotations', () => {
  it('emits every finding with file, line, column and the rule id as title when under the cap', () => {
    const { core, rec } = fakeCore();
    const t = annotate(core, [finding(0, 'error'), finding(1, 'warning')]);
    expect(rec.annotations).toEqual([
      { level: 'error', message: 'm0', props: { file: 'f0.md', startLine: 1, startColumn: 2, title: 'r/error-0' } },
      { level: 'warning', message: 'm1', props: { file: 'f1.md', startLine: 2, startColumn: 2, title: 'r/warning-1' } },
    ]);
    expect(t).toEqual({ errors: { shown: 1, total: 1 }, warnings: { shown: 1, total: 1 } });
  });

  it(`caps at ${ANNOTATION_CAP} errors and ${ANNOTATION_CAP} warnings, errors first, then one notice with the rest`, () => {
    const { core, rec } = fakeCore();
    const findings = [...Array.from({ length: 13 }, (_, i) => finding(i, 'error')), ...Array.from({ length: 11 }, (_, i) => finding(i, 'warning'))];
    annotate(core, findings, [{ title: 'sot-gate: governance file deleted', message: 'x deleted', file: 'x.json' }], true);
    const levels = rec.annotations.map((a) => a.level);
    expect(levels.filter((l) => l === 'error')).toHaveLength(10);
    expect(levels.filter((l) => l === 'warning')).toHaveLength(10);
    expect(levels.indexOf('warning')).toBe(10);
    expect(levels.at(-1)).toBe('notice');
    expect(levels.filter((l) => l === 'notice')).toHaveLength(1);
    expect(rec.annotations.at(-1)!.message).toBe(
      'sot-gate: 3 more errors and 2 more warnings not annotated (GitHub shows 10 of each per step): the job summary lists them all, and so does the SARIF file.',
    );
  });

  it("leaves room for the step's other annotations: sot-gate's own warnings and the failure message", () => {
    const { core, rec } = fakeCore();
    const findings = [...Array.from({ length: 13 }, (_, i) => finding(i, 'error')), ...Array.from({ length: 11 }, (_, i) => finding(i, 'warning'))];
    const t = annotate(core, findings, [], false, { warnings: 3, errors: 1 });
    const levels = rec.annotations.map((a) => a.level);
    expect(levels.filter((l) => l === 'error')).toHaveLength(9);
    expect(levels.filter((l) => l === 'warning')).toHaveLength(7);
    expect(t).toEqual({ errors: { shown: 9, total: 13 }, warnings: { shown: 7, total: 11 } });
    expect(rec.annotations.at(-1)!.message).toBe(
      "sot-gate: 4 more errors and 4 more warnings not annotated (GitHub shows 10 of each per step, and sot-gate's own messages use 1 error and 3 warnings of them): the job summary lists them all.",
    );
    // more own warnings than room: no finding warning at all, every one counted in the notice
    const full = fakeCore();
    annotate(full.core, [finding(0, 'warning'), finding(1, 'warning')], [], false, { warnings: 12 });
    expect(full.rec.annotations.filter((a) => a.level === 'warning')).toHaveLength(0);
    expect(full.rec.annotations.at(-1)!.message).toMatch(/^sot-gate: 2 more warnings not annotated/);
  });

  it('no notice when nothing is left out', () => {
    const { core, rec } = fakeCore();
    annotate(core, Array.from({ length: 10 }, (_, i) => finding(i, 'error')));
    expect(rec.annotations.some((a) => a.level === 'notice')).toBe(false);
  });
});

describe('annotation paths are redacted like every output', () => {
  it('a file named after a key is annotated with the key redacted; an ordinary path is unchanged', () => {
    const key = 'ghp_' + 'Zq8mR2vX7tL4pW9nK3cJ6hF1dS5aG0bY8eUi';
    const calls: Array<{ level: string; file?: string }> = [];
    const core = {
      error: (_m: string, p?: { file?: string }) => void calls.push({ level: 'error', file: p?.file }),
      warning: (_m: string, p?: { file?: string }) => void calls.push({ level: 'warning', file: p?.file }),
      notice: () => undefined,
    };
    const f = (file: string, severity: 'error' | 'warning') => ({ ruleId: 'secret/github', severity, file, line: 1, message: 'm', fingerprint: 'x' });
    annotate(core as never, [f(`logs/${key}.txt`, 'error'), f('logs/plain.txt', 'warning')]);
    expect(calls.map((c) => c.file)).toEqual([expect.stringMatching(/^logs\/ghp_.*chars\)\.txt$/), 'logs/plain.txt']);
    expect(JSON.stringify(calls)).not.toContain(key);
  });
});
