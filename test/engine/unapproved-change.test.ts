import { readFileSync } from 'node:fs';
import { renderRuleDoc } from '../../src/engine/rules/docs.js';
import { docsPath } from '../../src/engine/rules/rule.js';
import { describe, expect, it } from 'vitest';
import { configSchema } from '../../src/engine/config.js';
import { evaluate } from '../../src/engine/check.js';
import { decisionStateChanges, readDecision, unapprovedChangeRule, type ApprovalState } from '../../src/engine/rules/decision/unapproved-change.js';
import { DECISION_PATH, decisionDoc, EXTERNAL_DECISION, localTree } from '../../src/engine/rules/fixtures.js';
import type { Rule, RuleExample } from '../../src/engine/rules/rule.js';
import { toInput } from '../helpers/tree.js';

function run(rule: Rule, ex: RuleExample) {
  const config = configSchema.parse(ex.config ?? {});
  return evaluate({ files: toInput(ex.files, config), config, ...(ex.base ? { base: toInput(ex.base, config) } : {}), extraRules: [rule], today: '2026-11-21' }).findings.filter(
    (f) => f.ruleId === 'decision/unapproved-change',
  );
}

const STATES: Array<[string, ApprovalState]> = [
  ['no approval', { approvers: ['jp'], reason: 'no approving review yet' }],
  ['no approval, policy changed', { approvers: ['jp'], configChanged: '.github/sot-gate.yml' }],
  ['no approvers configured', { approvers: [] }],
  ['approved', { approvers: ['jp'], approvedBy: 'jp' }],
  ['approved, policy changed', { approvers: ['jp'], approvedBy: 'jp', configChanged: '.github/sot-gate.yml' }],
];

describe('decision/unapproved-change examples', () => {
  for (const [name, state] of STATES) {
    const rule = unapprovedChangeRule(state);
    describe(name, () => {
      for (const ex of rule.examples.fire) it(`fires: ${ex.description}`, () => expect(run(rule, ex).length).toBeGreaterThan(0));
      for (const ex of rule.examples.quiet) it(`quiet: ${ex.description}`, () => expect(run(rule, ex)).toEqual([]));
    });
  }
  it('every state has examples both ways where they apply', () => {
    expect(unapprovedChangeRule(STATES[0]![1]).examples.fire.length).toBeGreaterThan(0);
    expect(unapprovedChangeRule(STATES[3]![1]).examples.fire).toEqual([]);
    expect(unapprovedChangeRule(STATES[3]![1]).examples.quiet.length).toBeGreaterThan(3);
  });
});

describe('decision/unapproved-change findings', () => {
  const base = { ...(localTree() as Record<string, string>), [DECISION_PATH]: decisionDoc(EXTERNAL_DECISION) };
  it('points at the first changed field and names every changed field and the approvers', () => {
    const [f, ...rest] = run(unapprovedChangeRule({ approvers: ['jp', 'acme/gov'], reason: 'no approving review yet' }), { description: '', base, files: localTree() });
    expect(rest).toEqual([]);
    expect(f!.file).toBe(DECISION_PATH);
    expect(f!.line).toBe(localTree()[DECISION_PATH]!.toString().split('\n').findIndex((l) => l.includes('`decision_status`')) + 1);
    expect(f!.message).toContain('decision_status, provider_class, provider, model, fallback_provider, fallback_model, credential_source_class, allowed_network_class');
    expect(f!.message).toContain('@jp, @acme/gov (no approving review yet)');
    expect(f!.severity).toBe('error');
  });

  it('with no approvers, says approvers must be configured', () => {
    const [f] = run(unapprovedChangeRule({ approvers: [] }), { description: '', base, files: localTree() });
    expect(f!.message).toContain('names no `approvers`');
  });

  it('a record added where the base had none is a change of every key it sets', () => {
    const head = readDecision(toInput(localTree()), configSchema.parse({}));
    expect(decisionStateChanges(undefined, head)).toHaveLength(8);
    expect(decisionStateChanges(head, head)).toEqual([]);
    expect(decisionStateChanges(undefined, undefined)).toEqual([]);
  });

  it('a record withdrawn (no readable state in the head) is a change of every key the base set', () => {
    const base = readDecision(toInput(localTree()), configSchema.parse({}));
    expect(decisionStateChanges(base, undefined)).toHaveLength(8);
  });

  it('renaming the state heading needs an approval like changing the status does; the approval clears it', () => {
    const renamed = { ...localTree(), [DECISION_PATH]: decisionDoc().replace('## Current Decision State', '## Decision State (draft)') };
    const ex: RuleExample = { description: 'withdrawn', base: localTree() as Record<string, string>, files: renamed };
    const got = run(unapprovedChangeRule({ approvers: ['jp'], reason: 'no approving review yet' }), ex);
    expect(got.map((f) => f.file)).toEqual([DECISION_PATH]);
    expect(got[0]?.message).toMatch(/Current Decision State/);
    expect(run(unapprovedChangeRule({ approvers: ['jp'], approvedBy: 'jp' }), ex)).toEqual([]);
    expect(run(unapprovedChangeRule({ approvers: ['jp'] }), { description: 'same', base: localTree() as Record<string, string>, files: localTree() })).toEqual([]);
  });

  it('readDecision finds nothing when two files claim the decision state (evaluate reports that)', () => {
    const files = toInput({ ...localTree(), '.sot/other.md': decisionDoc() });
    expect(readDecision(files, configSchema.parse({}))).toBeUndefined();
    expect(readDecision(files, configSchema.parse({ 'decision-record': DECISION_PATH }))?.file).toBe(DECISION_PATH);
  });
});

describe('docs/rules/decision-unapproved-change.md', () => {
  it('is current (generated with renderRuleDoc from the rule without an approval)', () => {
    expect(readFileSync(docsPath('decision/unapproved-change'), 'utf8')).toBe(renderRuleDoc(unapprovedChangeRule({ approvers: ['jp'] })));
  });
});
