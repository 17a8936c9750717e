/**
 * The SARIF file is validated with Microsoft's SARIF multitool (the .NET validator shipped in the npm package
 * @microsoft/sarif-multitool), running both its SARIF spec rules and its GitHub code-scanning ingestion rules (GH*).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { evaluate } from '../../src/engine/check.js';
import { loadConfig } from '../../src/engine/load.js';
import { ruleName, toSarif } from '../../src/engine/report/sarif.js';
import { unapprovedChangeRule } from '../../src/engine/rules/decision/unapproved-change.js';
import { loadTree } from '../../src/engine/tree.js';
import type { CheckResult } from '../../src/engine/types.js';
import { validateSarif, type ValidatorResult } from '../helpers/sarif-validate.js';

const tmp = mkdtempSync(path.join(os.tmpdir(), 'sot-gate-sarif-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

/** Validate with the SARIF and GitHub rule kinds; every result, notes included. */
const validate = (sarif: string, name: string): ValidatorResult[] => validateSarif(sarif, tmp, name);

/**
 * Notes we accept, each for a reason:
 * SARIF2002 message arguments (GitHub requires flattened message.text: GH1015/GH1017/GH2012),
 * SARIF2006 URIs not reachable (the validator runs offline here),
 * SARIF2009 conventional ids like ABC1234 (our rule ids are public interface),
 * SARIF2010/2011 code snippets (never copied: a line may hold a secret).
 */
const ACCEPTED_NOTES = new Set(['SARIF2002', 'SARIF2006', 'SARIF2009', 'SARIF2010', 'SARIF2011']);

async function demo(): Promise<CheckResult> {
  const { config } = await loadConfig('examples/cto');
  return evaluate({ files: await loadTree('examples/cto', config), config, today: '2026-11-21' });
}

const synthetic: CheckResult = {
  version: 1,
  summary: { files: 3, errors: 2, warnings: 1, suppressed: 1 },
  findings: [
    { ruleId: 'decision/unapproved-change', severity: 'error', file: '.sot/dir with space/D.md', line: 18, message: 'changes the decision state', fingerprint: 'a'.repeat(32) },
    { ruleId: 'secret/openai', severity: 'error', file: 'run/log.txt', line: 4, column: 12, message: 'OpenAI API key sk-…[redacted]', fingerprint: 'b'.repeat(32) },
    { ruleId: 'secret/high-entropy', severity: 'warning', file: 'run/ü.txt', line: 1, message: 'high-entropy string', fingerprint: 'c'.repeat(32) },
  ],
  suppressed: [{ ruleId: 'admission/stale', severity: 'error', file: 'a.json', line: 5, message: 'stale', fingerprint: 'd'.repeat(32), suppressed: { kind: 'baseline', reason: 'tracked in #3' } }],
  notes: [],
  admittedPairs: [],
  filesEvaluated: [],
};

describe('SARIF 2.1.0 (validated by the SARIF multitool, SARIF and GitHub rules)', () => {
  it('the demo tree: no validator error or warning; only accepted notes', async () => {
    const results = validate(toSarif(await demo(), [], { repository: { uri: 'https://github.com/acme/governance', revision: 'f'.repeat(40) }, srcRoot: 'file:///home/runner/work/governance/governance/' }), 'demo');
    expect(results.filter((r) => r.level !== 'note').map((r) => `${r.ruleId}: ${r.message.arguments?.join(' ')}`)).toEqual([]);
    expect([...new Set(results.map((r) => r.ruleId))].filter((id) => !ACCEPTED_NOTES.has(id))).toEqual([]);
  });

  it('suppressions, scanner rules, an extra rule, non-ASCII and spaces in paths: still valid', () => {
    const results = validate(toSarif(synthetic, [unapprovedChangeRule({ approvers: ['jp'] })], { repository: { uri: 'https://github.com/acme/governance' } }), 'synthetic');
    expect(results.filter((r) => r.level !== 'note').map((r) => `${r.ruleId}: ${r.message.arguments?.join(' ')}`)).toEqual([]);
    expect([...new Set(results.map((r) => r.ruleId))].filter((id) => !ACCEPTED_NOTES.has(id))).toEqual([]);
  });

  it('an empty result is valid', () => {
    const empty: CheckResult = { ...synthetic, summary: { files: 0, errors: 0, warnings: 0, suppressed: 0 }, findings: [], suppressed: [] };
    expect(validate(toSarif(empty, [], { repository: { uri: 'https://github.com/a/b' } }), 'empty').filter((r) => r.level !== 'note')).toEqual([]);
  });

  it('the validator does catch what GitHub rejects (a message without text), so the checks above mean something', () => {
    const log = JSON.parse(toSarif(synthetic));
    log.runs[0].results[0].message = { id: 'default' };
    const results = validate(JSON.stringify(log), 'broken');
    expect(results.some((r) => r.ruleId.startsWith('GH') && r.level === 'error')).toBe(true);
  });
});

describe('SARIF content', () => {
  it('relative, percent-encoded URIs under %SRCROOT%; stable fingerprints; rule help and docs URLs', async () => {
    const a = JSON.parse(toSarif(synthetic, [unapprovedChangeRule({ approvers: [] })]));
    const b = JSON.parse(toSarif(synthetic, [unapprovedChangeRule({ approvers: [] })]));
    const run = a.runs[0];
    expect(run.results[0].locations[0].physicalLocation.artifactLocation).toEqual({ uri: '.sot/dir%20with%20space/D.md', uriBaseId: '%SRCROOT%' });
    expect(run.results.map((r: { partialFingerprints: unknown }) => r.partialFingerprints)).toEqual(b.runs[0].results.map((r: { partialFingerprints: unknown }) => r.partialFingerprints));
    expect(run.results[0].partialFingerprints['sotGate/v1']).toBe('a'.repeat(32));
    const rule = run.tool.driver.rules.find((r: { id: string }) => r.id === 'decision/unapproved-change');
    expect(rule.helpUri).toBe('https://github.com/sot-gate/sot-gate/blob/main/docs/rules/decision-unapproved-change.md');
    expect(rule.help.markdown).toContain('approving review');
    expect(rule.name).toBe('DecisionUnapprovedChange');
    const secret = run.tool.driver.rules.find((r: { id: string }) => r.id === 'secret/openai');
    expect(secret.shortDescription.text).not.toMatch(/^sot-gate rule/);
    expect(secret.properties['security-severity']).toBe('8.0');
    const suppressed = run.results.find((r: { ruleId: string }) => r.ruleId === 'admission/stale');
    expect(suppressed.suppressions).toEqual([{ kind: 'external', justification: 'tracked in #3' }]);
    expect(run.results.every((r: { ruleIndex: number; ruleId: string }) => run.tool.driver.rules[r.ruleIndex].id === r.ruleId)).toBe(true);
    expect(run.originalUriBaseIds).toBeUndefined();
  });

  it('ruleName is PascalCase', () => {
    expect(ruleName('admission/implicit-fallback')).toBe('AdmissionImplicitFallback');
  });
});
