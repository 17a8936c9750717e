/**
 * The action on a pull request (#11 parts 1 and 4): a suppression the pull request adds (an allow directive, a
 * baseline entry in the head's baseline file) does not suppress without an approval; admitted-pairs and stage2-ready
 * come from the whole tree, not from the changed files.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { fingerprint } from '../../src/engine/scanner/index.js';
import { CODEX, cleanTree, EXAMPLE, readTree } from './repo.js';
import { gh, repoFactory, runPr } from './pr.js';

const { repoWith, cleanup } = repoFactory();
afterEach(cleanup);

// Built at run time so this file holds no key-shaped literal.
const KEY = ['sk', 'Zq8Rt2Lm5Np7Vx9Wb3Yc6Hd1Jf4Kg8Ts0Uv2Ew5Fz7Gh9AiX'].join('-');
const ISSUES = '.sot/03-PROTOCOLS/CTO-CASE-MODEL-PROVIDER-ADMISSION-ISSUES.md';
const POLICY = '.github/sot-gate.yml';
const BASELINE = '.github/sot-gate-baseline.json';
type Out = Array<{ ruleId: string; file: string; line: number; message: string }>;

describe('the action on a pull request', () => {
  it('an allow directive the pull request adds: suppress/unapproved, the secret stays, stage2-ready false', async () => {
    const base = cleanTree();
    const change = { [ISSUES]: `${base[ISSUES]!}\nkey: ${KEY} <!-- sot-gate:allow secret/openai -- revoked test key -->\n` };
    const repo = repoWith(base, change);
    const rec = await runPr(repo, gh(repo, change, { reviews: [] }), { comment: 'never' });
    const findings = JSON.parse(rec.outputs.findings!) as Out;
    expect(findings.map((f) => [f.ruleId, f.file])).toEqual([
      ['suppress/unapproved', ISSUES],
      ['secret/openai', ISSUES],
    ]);
    expect(findings[0]!.line).toBe(findings[1]!.line);
    expect(rec.outputs['stage2-ready']).toBe('false');
    expect(rec.failed).toBeDefined();
    expect(JSON.stringify(rec)).not.toContain(KEY);
  });
  it('a baseline entry the pull request adds to the baseline file: suppress/unapproved at the baseline file', async () => {
    const fp = fingerprint('secret/openai', ISSUES, KEY);
    const base: Record<string, string> = {
      ...cleanTree(),
      [POLICY]: `secrets:\n  baseline: ${BASELINE}\n`,
      [BASELINE]: JSON.stringify({ version: 1, entries: [] }),
    };
    base[ISSUES] = `${base[ISSUES]!}\nkey: ${KEY}\n`;
    const change = { [BASELINE]: JSON.stringify({ version: 1, entries: [{ fingerprint: fp, rule: 'secret/openai', reason: 'rotated' }] }) };
    const repo = repoWith(base, change);
    const rec = await runPr(repo, gh(repo, change, { reviews: [] }), { comment: 'never', scope: 'all' });
    const findings = JSON.parse(rec.outputs.findings!) as Out;
    expect(findings.map((f) => [f.ruleId, f.file])).toEqual([
      // the baseline is on the protected surface too: its change needs an approval as a change (and as a suppression)
      ['decision/unapproved-change', BASELINE],
      ['suppress/unapproved', BASELINE],
      ['secret/openai', ISSUES],
    ]);
    expect(findings[1]!.message).toContain(`(secret/openai): it would hide secret/openai at ${ISSUES}:`);
  });
  it('a pull request touching only a work item: the seeds\' implicit-fallback codex admission is not admitted, stage2-ready false', async () => {
    const base: Record<string, string> = { ...cleanTree(), [CODEX]: readTree(EXAMPLE)[CODEX]! };
    const change = { [ISSUES]: `${base[ISSUES]!}\nA note.\n` };
    const repo = repoWith(base, change);
    const rec = await runPr(repo, gh(repo, change), { comment: 'never' });
    expect(rec.outputs.errors).toBe('0');
    const pairs = JSON.parse(rec.outputs['admitted-pairs']!) as Array<{ provider: string }>;
    expect(pairs.map((p) => p.provider)).toEqual(['qwen-local']);
    expect(rec.outputs['stage2-ready']).toBe('false');
  });
});
