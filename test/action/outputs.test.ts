/**
 * The outputs of the evaluating modes (src/action/outputs.ts): `findings` is cut past its size limit with a warning,
 * `exposures` is a count that is never cut, so a workflow can guard an upload on it.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { exposureCount, FINDINGS_OUTPUT_LIMIT, isExposure, setFindingsOutputs } from '../../src/action/outputs.js';
import { summarize, type CheckResult, type Finding } from '../../src/engine/types.js';
import { run } from '../../src/main.js';
import { fakeCore, fakeDeps } from '../fixtures/core.js';
import { cleanTree } from './repo.js';
import { noPulls, repoFactory } from './pr.js';
import { TEST_TOKEN } from '../fixtures/github/fake.js';

const { repoWith, cleanup } = repoFactory();
afterEach(cleanup);

// Built at run time so this file itself holds no key-shaped literal.
const KEY = ['sk', 'Zq8Rt2Lm5Np7Vx9Wb3Yc6Hd1Jf4Kg8Ts0Uv2Ew5Fz7Gh9Ai'].join('-');

const finding = (ruleId: string, file: string, line: number, message = 'x'.repeat(150)): Finding => ({ ruleId, severity: 'error', file, line, message, fingerprint: `${ruleId}-${file}-${line}` });
const resultOf = (findings: Finding[], suppressed: Finding[] = []): CheckResult => ({
  version: 1,
  summary: summarize(1, findings, suppressed),
  findings,
  suppressed,
  notes: [],
  admittedPairs: [],
  filesEvaluated: [],
});

describe('exposures', () => {
  it('counts secret, endpoint and path findings, the endpoint value and symbolic links; nothing else', () => {
    for (const id of ['secret/openai-api-key', 'secret/high-entropy', 'endpoint/exposed', 'path/target-repository', 'evidence/endpoint-value', 'evidence/symlink', 'evidence/unscannable']) expect(isExposure(id), id).toBe(true);
    for (const id of ['evidence/model-outside-pair', 'evidence/trace-invalid', 'admission/stale', 'engine/rule-error', 'sot/unreadable', 'secrets/x', 'evidence/endpoint']) expect(isExposure(id), id).toBe(false);
  });

  it('counts suppressed findings only when asked to', () => {
    const r = resultOf([finding('secret/openai-api-key', 'a', 1), finding('admission/stale', 'b', 1)], [finding('endpoint/exposed', 'c', 1)]);
    expect(exposureCount(r)).toBe(1);
    expect(exposureCount(r, true)).toBe(2);
  });

  it('3,000 earlier findings and one secret: findings is cut with a warning, exposures still says 1', () => {
    const earlier = Array.from({ length: 3000 }, (_, i) => finding('evidence/model-outside-pair', 'runs/r1/trace.jsonl', i + 1));
    const result = resultOf([...earlier, finding('secret/openai-api-key', 'runs/r1/trace.jsonl', 3001, 'an OpenAI API key (sk-Zq8…(51 chars))')]);
    const { core, rec } = fakeCore();
    setFindingsOutputs(core, result, { fullList: 'the SARIF file has them all' });
    const listed = JSON.parse(rec.outputs.findings!) as Array<{ ruleId: string }>;
    expect(rec.outputs.findings!.length).toBeLessThanOrEqual(FINDINGS_OUTPUT_LIMIT);
    expect(listed.length).toBeLessThan(3001);
    expect(listed.some((f) => f.ruleId.startsWith('secret/'))).toBe(false); // what the old upload guard relied on
    expect(rec.outputs.exposures).toBe('1');
    expect(rec.outputs.errors).toBe('3001');
    const warnings = rec.annotations.filter((a) => a.level === 'warning').map((a) => a.message);
    expect(warnings).toEqual([expect.stringContaining(`lists the first ${listed.length} of 3001 findings`)]);
    expect(warnings[0]).toContain('the SARIF file has them all');
    expect(warnings[0]).toContain('`exposures` output (1)');
  });

  it('no warning when the findings fit; exposures 0 without an exposure', () => {
    const { core, rec } = fakeCore();
    setFindingsOutputs(core, resultOf([finding('evidence/model-outside-pair', 'runs/r1/trace.jsonl', 3)]), { fullList: 'x' });
    expect(JSON.parse(rec.outputs.findings!)).toHaveLength(1);
    expect(rec.outputs.exposures).toBe('0');
    expect(rec.annotations.filter((a) => a.level === 'warning')).toEqual([]);
  });
});

describe('mode: check sets exposures', () => {
  const checkRun = async (tree: Record<string, string>) => {
    const repo = repoWith(tree, {});
    const { core, rec } = fakeCore({ scope: 'all', comment: 'never', 'fail-on': 'never', token: TEST_TOKEN });
    await run(fakeDeps({ core, cwd: repo.dir, octokit: () => noPulls().octokit() }));
    return rec;
  };
  // One more line at the end of a SOT document of the clean tree.
  const withLine = (line: string) => {
    const tree = cleanTree();
    const doc = Object.keys(tree).find((f) => f.startsWith('.sot/') && f.endsWith('.md'))!;
    return { ...tree, [doc]: `${tree[doc]}\n${line}\n` };
  };

  it('0 on a clean tree, 1 with a secret in a SOT file; a reviewed inline suppression does not count', async () => {
    const clean = await checkRun(cleanTree());
    expect(clean.failed).toBeUndefined();
    expect(clean.outputs.exposures).toBe('0');

    const leaked = await checkRun(withLine(`debug key: ${KEY}`));
    expect(leaked.outputs.exposures).toBe('1');
    expect(JSON.parse(leaked.outputs.findings!).filter((f: { ruleId: string }) => f.ruleId.startsWith('secret/'))).toHaveLength(1);

    const allowed = await checkRun(withLine(`debug key: ${KEY} sot-gate:allow secret/* -- revoked test key`));
    expect(allowed.outputs.errors).toBe(clean.outputs.errors);
    expect(allowed.outputs.exposures).toBe('0');
  });
});
