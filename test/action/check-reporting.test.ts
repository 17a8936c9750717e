/**
 * The check mode's reporting and policy edges: an explicit `config` missing on the base commit, a files API the token
 * may not read, a SARIF file that cannot be written, and GitHub's 10-warning room per step shared with sot-gate's own
 * warnings.
 */
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { run } from '../../src/main.js';
import { fakeCore, fakeDeps } from '../fixtures/core.js';
import { recorded, TEST_TOKEN } from '../fixtures/github/fake.js';
import { gh, noPulls, repoFactory, runPr } from './pr.js';
import { CODEX, EXAMPLE, QWEN, cleanTree, readTree, type Tree } from './repo.js';

const { repoWith, cleanup } = repoFactory();
afterEach(cleanup);

const CONFIG = '.github/sot-gate.yml';
const badCodex = () => readTree(EXAMPLE)[CODEX]!;
const admissionChange = (): Tree => ({ [QWEN]: cleanTree()[QWEN]!.replace('21:50:00', '21:55:00') });

describe('an explicit `config` on a pull request', () => {
  it('misspelled (on neither the base commit nor the checkout): fails closed, never the built-in policy', async () => {
    const repo = repoWith({ ...cleanTree(), [CONFIG]: 'approvers: [jp]\n' }, admissionChange());
    const rec = await runPr(repo, gh(repo, admissionChange()), { config: '.github/sot-gate.yaml' });
    expect(rec.failed).toBe(
      `sot-gate: the policy file .github/sot-gate.yaml (input \`config\`) does not exist on the base commit ${repo.baseSha.slice(0, 7)} nor in the checkout: check the path (only the default .github/sot-gate.yml may be missing, which means the built-in policy)`,
    );
    expect(rec.outputs).toEqual({});
  });

  it('added by the pull request itself: fails closed, explaining that the base commit judges', async () => {
    const change = { ...admissionChange(), 'policy/gate.yml': 'rules:\n  admission/*: off\n' };
    const repo = repoWith(cleanTree(), change);
    const rec = await runPr(repo, gh(repo, change), { config: 'policy/gate.yml' });
    expect(rec.failed).toContain('the policy file policy/gate.yml (input `config`) is not on the base commit');
    expect(rec.failed).toContain('this pull request adds it, but a pull request is judged by its base commit\'s policy');
    expect(rec.outputs).toEqual({});
  });

  it('present on the base commit: it judges the pull request; the default path may still be absent (built-in policy)', async () => {
    const change = { [CODEX]: badCodex() };
    const repo = repoWith({ ...cleanTree(), [CONFIG]: null, 'policy/gate.yml': 'approvers: [jp]\nrules:\n  admission/*: warning\n' }, change);
    const rec = await runPr(repo, gh(repo, change), { config: 'policy/gate.yml' });
    expect(rec.failed).toBeUndefined();
    expect(rec.outputs).toMatchObject({ errors: '0', warnings: '3' });
    const builtIn = await runPr(repo, gh(repo, change));
    // the built-in policy: the 3 admission errors, and the admission change nobody can approve (no approvers)
    expect(JSON.parse(builtIn.outputs.findings!).map((f: { ruleId: string }) => f.ruleId).sort()).toEqual(['admission/implicit-fallback', 'admission/stale', 'admission/stale', 'decision/unapproved-change']);
    expect(builtIn.summary).toContain('defaults (no `.github/sot-gate.yml` on the base commit');
  });
});

describe('the files API refused (403)', () => {
  it('warns naming `pull-requests: read`, and still evaluates with git diff', async () => {
    const change = { [CODEX]: badCodex() };
    const repo = repoWith(cleanTree(), change);
    const api = gh(repo, change).reply('GET', '/repos/acme/governance/pulls/7/files', { status: 403, body: recorded('error-403-integration.json') });
    const rec = await runPr(repo, api);
    const warning = rec.annotations.find((a) => a.level === 'warning' && a.message.includes("listing the pull request's files failed"));
    expect(warning?.message).toBe(
      "sot-gate: listing the pull request's files failed: forbidden (403): the token needs `pull-requests: read`; the changed files come from git diff instead, and the check still evaluates them.",
    );
    expect(rec.outputs.errors).toBe('3');
    expect(rec.summary).toContain('from git diff');
  });

  it('a clean files API call warns about nothing', async () => {
    const repo = repoWith(cleanTree(), admissionChange());
    const rec = await runPr(repo, gh(repo, admissionChange()));
    expect(rec.annotations.filter((a) => a.level === 'warning')).toEqual([]);
  });
});

describe('a SARIF file that cannot be written', () => {
  it('fails the step only after the outputs and the summary report the result; the message has no absolute path', async () => {
    const repo = repoWith(readTree(EXAMPLE), {});
    writeFileSync(path.join(repo.dir, 'blocker'), 'x'); // a file where the SARIF's directory should be
    const { core, rec } = fakeCore({ 'sarif-file': 'blocker/out.sarif', 'fail-on': 'never', token: TEST_TOKEN });
    await run(fakeDeps({ core, cwd: repo.dir, eventName: 'push', octokit: () => noPulls().octokit() }));
    expect(rec.outputs).toMatchObject({ errors: '3', warnings: '0', 'stage2-ready': 'false' });
    expect(JSON.parse(rec.outputs.findings!)).toHaveLength(3);
    expect(rec.summary).toContain('cannot write the SARIF file blocker/out.sarif');
    expect(rec.failed).toMatch(/^sot-gate: cannot write the SARIF file blocker\/out\.sarif \(input `sarif-file`\): E[A-Z]+; the outputs and the job summary report the result$/);
    expect(rec.failed).not.toContain(repo.dir);
    expect(rec.annotations.filter((a) => a.level === 'error')).toHaveLength(3);
  });

  it('with failing findings too, the message says both', async () => {
    const repo = repoWith(readTree(EXAMPLE), {});
    writeFileSync(path.join(repo.dir, 'blocker'), 'x');
    const { core, rec } = fakeCore({ 'sarif-file': 'blocker/out.sarif', token: TEST_TOKEN });
    await run(fakeDeps({ core, cwd: repo.dir, eventName: 'push', octokit: () => noPulls().octokit() }));
    expect(rec.failed).toMatch(/cannot write the SARIF file blocker\/out\.sarif .*: 3 errors found \(fail-on: error\)/);
    expect(rec.outputs.errors).toBe('3');
  });
});

describe("GitHub's 10 warning annotations per step", () => {
  it("sot-gate's own warnings are always shown; findings get the rest; the notice counts what was left out", async () => {
    const bad = badCodex();
    const base = { ...cleanTree(), [CONFIG]: 'approvers: [jp]\nrules:\n  admission/*: warning\n' };
    const change: Tree = { [QWEN]: null };
    for (let i = 0; i < 4; i++) change[`.sot/03-PROTOCOLS/CTO-CASE-MODEL-PROVIDER-ADMISSION.openai-codex-gpt-5.5-v${i}.json`] = bad;
    const repo = repoWith(base, change);
    const api = gh(repo, change)
      .reply('GET', '/repos/acme/governance/pulls/7/files', { status: 403, body: recorded('error-403-integration.json') })
      .reply('POST', '/repos/acme/governance/issues/7/comments', { status: 403, body: recorded('error-403-integration.json') });
    const rec = await runPr(repo, api, { 'fail-on': 'warning' }, 'pull_request_target');
    const warnings = rec.annotations.filter((a) => a.level === 'warning');
    expect(warnings).toHaveLength(10);
    const own = warnings.filter((a) => !a.props);
    expect(own.map((a) => a.message.slice(0, 50))).toEqual([
      'sot-gate: running on pull_request_target is not su',
      "sot-gate: listing the pull request's files failed:",
      'sot-gate: no pull request comment: the token canno',
    ]);
    const findingWarnings = (JSON.parse(rec.outputs.findings!) as Array<{ severity: string }>).filter((f) => f.severity === 'warning').length + 1; // + the deleted admission
    expect(findingWarnings).toBeGreaterThan(7);
    const notice = rec.annotations.filter((a) => a.level === 'notice');
    expect(notice).toHaveLength(1);
    expect(notice[0]!.message).toBe(
      `sot-gate: ${findingWarnings - 7} more warnings not annotated (GitHub shows 10 of each per step, and sot-gate's own messages use 1 error and 3 warnings of them): the job summary lists them all.`,
    );
    expect(rec.failed).toMatch(/0 errors and \d+ warnings found/);
  });
});
