/**
 * What a user reads: for every fire example of every rule, the exact findings (rule, place, message). A change in a
 * message or a location is a visible change and must be reviewed as one: update with `npx vitest run -u` on purpose.
 */
import { describe, expect, it } from 'vitest';
import { RULES } from '../../src/engine/rules/index.js';
import { evaluateFiles } from '../helpers/tree.js';

describe('findings of every fire example', () => {
  it.each(RULES.map((r) => [r.id, r] as const))('%s', (id, rule) => {
    const seen = rule.examples.fire.map((ex) => {
      const r = evaluateFiles(ex.files, { ...(ex.base ? { base: ex.base } : {}), ...(ex.config ? { config: ex.config } : {}) });
      return {
        example: ex.description,
        findings: r.findings.filter((f) => f.ruleId === id).map((f) => `${f.severity} ${f.file}:${f.line}${f.column ? `:${f.column}` : ''} ${f.message}`),
      };
    });
    expect(seen).toMatchSnapshot();
  });
});
