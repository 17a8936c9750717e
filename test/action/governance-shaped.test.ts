/**
 * The action judges governance-shaped names as the CLI does (one classify, one loader): a case variant of an admission
 * name is checked, and a token used as a file name is a finding whose token no output, annotation or summary prints.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { TEST_TOKEN } from '../fixtures/github/fake.js';
import { cleanTree, QWEN } from './repo.js';
import { gh, repoFactory, runPr } from './pr.js';

const { repoWith, cleanup } = repoFactory();
afterEach(cleanup);
const GH = 'ghp_' + 'Vb7nM3qW9eR1tY5uI8oP2aS6dF4gH0jK3lZx';

describe('pull request check: governance-shaped names', () => {
  it('a lower-case admission file naming another pair than it admits fails (admission/filename-mismatch)', async () => {
    const lower = '.sot/03-PROTOCOLS/cto-case-model-provider-admission.openai-codex-gpt-5.5.json';
    const change = { [lower]: cleanTree()[QWEN]! };
    const repo = repoWith(cleanTree(), change);
    const rec = await runPr(repo, gh(repo, change));
    expect(rec.failed).toMatch(/errors? found/);
    const errors = rec.annotations.filter((a) => a.level === 'error');
    expect(errors.map((a) => [a.props?.title, a.props?.file])).toContainEqual(['admission/filename-mismatch', lower]);
    expect(rec.summary).not.toContain('No SOT, admission or policy file changed');
  });
  it('quiet: a lower-case admission of the admitted pair passes', async () => {
    const lower = '.sot/03-PROTOCOLS/cto-case-model-provider-admission.qwen-local-qwen3.6-35b-a3b.json';
    const change = { [lower]: cleanTree()[QWEN]! };
    const repo = repoWith(cleanTree(), change);
    const rec = await runPr(repo, gh(repo, change));
    expect(rec.failed).toBeUndefined();
    expect(rec.outputs.errors).toBe('0');
  });
  it('an SOT file named after a token: secret/github at line 1, the token nowhere in the record', async () => {
    const name = `.sot/notes-${GH}.md`;
    const change = { [name]: '---\ntitle: n\nstatus: draft\nlifecycle_classification: sot\nowner: jp\ncreated: 2026-05-31\nlast_reviewed: 2026-05-31\ncore_promotion_status: not-promoted\nroute: cto\n---\n# Notes\n' };
    const repo = repoWith(cleanTree(), change);
    const rec = await runPr(repo, gh(repo, change));
    expect(rec.failed).toMatch(/1 error found/);
    const errors = rec.annotations.filter((a) => a.level === 'error' && a.props?.title);
    expect(errors.map((a) => [a.props?.title, a.props?.startLine])).toEqual([['secret/github', 1]]);
    expect(errors[0]!.message).toMatch(/^in the file name: GitHub token ghp_Vb…\(40 chars\)/);
    expect(rec.outputs.exposures).toBe('1');
    expect(JSON.stringify({ ...rec, secrets: [] })).not.toContain(GH.slice(6, 30));
    expect(TEST_TOKEN).not.toContain(GH.slice(6, 30));
  });
});
