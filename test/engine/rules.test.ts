/**
 * gitleaks style: every rule carries its own examples. Each `fire` example must produce the rule,
 * each `quiet` example must not. A rule without both kinds of example fails the build.
 */
import { describe, expect, it } from 'vitest';
import { RULES } from '../../src/engine/rules/index.js';
import { evaluateFiles } from '../helpers/tree.js';

describe.each(RULES.map((r) => [r.id, r] as const))('%s', (id, rule) => {
  it('has examples both ways and docs', () => {
    expect(rule.examples.fire.length).toBeGreaterThan(0);
    expect(rule.examples.quiet.length).toBeGreaterThan(0);
    expect(rule.summary.length).toBeGreaterThan(10);
    expect(id).toMatch(/^[a-z]+\/[a-z0-9-]+$/);
  });
  for (const ex of rule.examples.fire) {
    it(`fires: ${ex.description}`, () => {
      const r = evaluateFiles(ex.files, { ...(ex.base ? { base: ex.base } : {}), ...(ex.config ? { config: ex.config } : {}) });
      const hits = r.findings.filter((f) => f.ruleId === id);
      expect(hits.length, JSON.stringify(r.findings, null, 1)).toBeGreaterThan(0);
      for (const h of hits) {
        expect(h.line).toBeGreaterThanOrEqual(1);
        expect(Object.keys(ex.files)).toContain(h.file);
      }
    });
  }
  for (const ex of rule.examples.quiet) {
    it(`stays quiet: ${ex.description}`, () => {
      const r = evaluateFiles(ex.files, { ...(ex.base ? { base: ex.base } : {}), ...(ex.config ? { config: ex.config } : {}) });
      expect(r.findings.filter((f) => f.ruleId === id)).toEqual([]);
    });
  }
});

describe('rule catalog', () => {
  it('has unique ids', () => {
    const ids = RULES.map((r) => r.id);
    expect(new Set(ids).size).toBe(ids.length);
  });
  it('the shared fixture tree is clean under every rule (otherwise quiet examples prove nothing)', () => {
    // The shared fixture tree itself must be clean, otherwise "quiet" examples prove nothing.
    const clean = RULES.find((r) => r.id === 'admission/stale')!.examples.quiet[0]!;
    expect(evaluateFiles(clean.files).findings).toEqual([]);
  });
});
