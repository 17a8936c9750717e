/**
 * runCheck over real git repositories (base commit + pull request head) with a fake GitHub API behind a real
 * Octokit, and a recording @actions/core. Each test states what the gate must decide, both ways.
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { runCheck } from '../../src/action/modes/check.js';
import { run } from '../../src/main.js';
import { fakeCore, fakeDeps } from '../fixtures/core.js';
import { FakeGitHub, recorded, TEST_TOKEN } from '../fixtures/github/fake.js';
import { CODEX, DECISION, QWEN, cleanTree, prPayload, readTree, EXAMPLE, EXAMPLE_BASE } from './repo.js';
import { gh, noPulls, repoFactory, runPr } from './pr.js';

const { repoWith, cleanup } = repoFactory();
afterEach(cleanup);

const CONFIG = '.github/sot-gate.yml';
const badCodex = () => readTree(EXAMPLE)[CODEX]!;
const externalDecision = () => readTree(EXAMPLE_BASE)[DECISION]!;

const errorsOf = (rec: { annotations: Array<{ level: string; props?: { title?: string } }> }) => rec.annotations.filter((a) => a.level === 'error').map((a) => a.props?.title);

describe('pull request check', () => {
  it('a clean admission change passes, says so, and is stage2-ready', async () => {
    const change = { [QWEN]: cleanTree()[QWEN]!.replace('21:50:00', '21:55:00') };
    const repo = repoWith(cleanTree(), change);
    const api = gh(repo, change);
    const rec = await runPr(repo, api);
    expect(rec.failed).toBeUndefined();
    expect(rec.outputs.errors).toBe('0');
    expect(rec.outputs['stage2-ready']).toBe('true');
    expect(rec.outputs['decision-status']).toBe('local_provider_required');
    expect(JSON.parse(rec.outputs['admitted-pairs']!)).toHaveLength(2);
    expect(rec.summary).toContain('✅ sot-gate: passed');
    expect(rec.secrets).toEqual([TEST_TOKEN]);
    // on-failure: nothing to create when passing
    expect(api.callsTo('POST', /comments$/)).toHaveLength(0);
    // an admission is protected: the approval is read (one listReviews call) and counts
    expect(api.callsTo('GET', /reviews$/)).toHaveLength(1);
  });

  it('a bad admission fails with annotations at repository paths, a comment, and stage2-ready false', async () => {
    const change = { [CODEX]: badCodex() };
    const repo = repoWith(cleanTree(), change);
    const api = gh(repo, change);
    const rec = await runPr(repo, api);
    expect(rec.failed).toMatch(/^sot-gate: 3 errors found \(fail-on: error\)/);
    expect(rec.outputs.errors).toBe('3');
    expect(rec.outputs['stage2-ready']).toBe('false');
    const errors = rec.annotations.filter((a) => a.level === 'error');
    expect(errors.map((a) => a.props?.file)).toEqual([CODEX, CODEX, CODEX]);
    expect(errors.every((a) => (a.props?.startLine ?? 0) >= 1)).toBe(true);
    expect(errors.map((a) => a.props?.title)).toContain('admission/implicit-fallback');
    const findings = JSON.parse(rec.outputs.findings!) as Array<{ ruleId: string; file: string; fingerprint: string }>;
    expect(findings).toHaveLength(3);
    expect(findings[0]).toMatchObject({ file: CODEX, severity: 'error' });
    const posted = api.callsTo('POST', /issues\/7\/comments$/);
    expect(posted).toHaveLength(1);
    expect((posted[0]!.body as { body: string }).body).toMatch(/^<!-- sot-gate:comment -->/);
    // the token is registered as a secret and appears nowhere else
    expect(JSON.stringify({ ...rec, secrets: [] })).not.toContain(TEST_TOKEN.slice(4));
  });

  it('a pull request that touches no governance file passes quickly and says so', async () => {
    const change = { 'README.md': '# docs\n' };
    const repo = repoWith(cleanTree(), change);
    const rec = await runPr(repo, gh(repo, change));
    expect(rec.failed).toBeUndefined();
    expect(rec.summary).toContain('No SOT, admission or policy file changed');
    expect(rec.outputs.errors).toBe('0');
  });

  it('scope changed keeps findings in unchanged files out; scope all reports them', async () => {
    const base = { ...cleanTree(), [CODEX]: badCodex() };
    const change = { [QWEN]: cleanTree()[QWEN]!.replace('21:50:00', '21:55:00') };
    const repo = repoWith(base, change);
    expect((await runPr(repo, gh(repo, change))).outputs.errors).toBe('0');
    const all = await runPr(repo, gh(repo, change), { scope: 'all' });
    expect(all.outputs.errors).toBe('3');
    expect(all.failed).toBeDefined();
  });

  it('judges the pull request with the BASE branch policy: turning a rule off in the PR does not help, and needs approval', async () => {
    const base = { ...cleanTree(), [CONFIG]: 'approvers: [jp]\n' };
    const change = { [CODEX]: badCodex(), [CONFIG]: 'approvers: [jp]\nrules:\n  admission/implicit-fallback: off\n  admission/stale: off\n' };
    const repo = repoWith(base, change);
    const api = gh(repo, change, { reviews: [] });
    const rec = await runPr(repo, api);
    const titles = errorsOf(rec);
    expect(titles).toContain('admission/implicit-fallback');
    expect(titles).toContain('decision/unapproved-change');
    const policy = rec.annotations.find((a) => a.props?.title === 'decision/unapproved-change');
    expect(policy?.props?.file).toBe(CONFIG);
    expect(policy?.message).toMatch(/changes the policy file/);
    expect(rec.summary).toContain(`from the base commit ${repo.baseSha.slice(0, 7)}`);
  });

  it('a policy change approved by an approver on the head passes the change control', async () => {
    const base = { ...cleanTree(), [CONFIG]: 'approvers: [jp]\n' };
    const change = { [CONFIG]: 'approvers: [jp, alice]\n' };
    const repo = repoWith(base, change);
    const approve = { id: 5, user: { login: 'jp' }, state: 'APPROVED', commit_id: repo.headSha, submitted_at: '2026-06-01T12:00:00Z' };
    const rec = await runPr(repo, gh(repo, change, { reviews: [approve] }));
    expect(rec.failed).toBeUndefined();
    expect(rec.summary).toContain('approved by @jp');
  });

  describe('decision state change', () => {
    const base = () => ({ ...cleanTree(), [DECISION]: externalDecision(), [CONFIG]: 'approvers: [jp, acme/governors]\n' });
    const change = () => ({ [DECISION]: cleanTree()[DECISION]! });

    it('without an approval that counts: error at the changed field (self-approval and a stale approval do not count)', async () => {
      const repo = repoWith(base(), change());
      const reviews = recorded<unknown[]>('pulls-list-reviews.json', { HEAD_SHA: repo.headSha, OLD_SHA: repo.baseSha });
      const api = gh(repo, change(), { reviews });
      const rec = await runPr(repo, api);
      const f = rec.annotations.find((a) => a.props?.title === 'decision/unapproved-change');
      expect(f?.props?.file).toBe(DECISION);
      expect(f?.props?.startLine).toBe(18); // the decision_status line
      expect(f?.message).toContain('decision_status');
      expect(f?.message).toContain("the author's own approval does not count");
      expect(f?.message).toContain(`@jp's approval is on ${repo.baseSha.slice(0, 7)}`);
      expect(rec.failed).toBeDefined();
    });

    it('with an approval on the current head from an approver: no change-control finding', async () => {
      const repo = repoWith(base(), change());
      const reviews = [{ id: 9, user: { login: 'JP' }, state: 'APPROVED', commit_id: repo.headSha, submitted_at: '2026-06-01T12:00:00Z' }];
      const rec = await runPr(repo, gh(repo, change(), { reviews }), {}, 'pull_request_review');
      expect(errorsOf(rec)).not.toContain('decision/unapproved-change');
      expect(rec.summary).toContain('approved by @JP');
    });

    it('a team approver counts when the API says the reviewer is an active member', async () => {
      const repo = repoWith(base(), change());
      const reviews = [{ id: 9, user: { login: 'rev-two' }, state: 'APPROVED', commit_id: repo.headSha, submitted_at: '2026-06-01T12:00:00Z' }];
      const api = gh(repo, change(), { reviews }).reply('GET', '/orgs/acme/teams/governors/memberships/rev-two', { status: 200, body: recorded('teams-membership-active.json') });
      const rec = await runPr(repo, api);
      expect(errorsOf(rec)).not.toContain('decision/unapproved-change');
      expect(rec.summary).toContain('approved by @rev-two');
    });

    it('a team lookup the token may not make (404) warns naming read:org and does not approve', async () => {
      const repo = repoWith(base(), change());
      const reviews = [{ id: 9, user: { login: 'rev-two' }, state: 'APPROVED', commit_id: repo.headSha, submitted_at: '2026-06-01T12:00:00Z' }];
      const api = gh(repo, change(), { reviews }).reply('GET', '/orgs/acme/teams/governors/memberships/rev-two', { status: 404, body: recorded('error-404.json') });
      const rec = await runPr(repo, api);
      expect(rec.annotations.some((a) => a.level === 'warning' && a.message.includes('read:org'))).toBe(true);
      expect(errorsOf(rec)).toContain('decision/unapproved-change');
    });

    it('with no approvers configured: fails closed saying approvers must be configured', async () => {
      const repo = repoWith({ ...base(), [CONFIG]: 'rules: {}\n' }, change());
      const api = gh(repo, change());
      const rec = await runPr(repo, api);
      const f = rec.annotations.find((a) => a.props?.title === 'decision/unapproved-change');
      expect(f?.message).toContain('names no `approvers`');
      expect(api.callsTo('GET', /reviews$/)).toHaveLength(0);
    });

    it('a reviews API failure fails the check with a specific message, never green', async () => {
      const repo = repoWith(base(), change());
      const api = gh(repo, change()).reply('GET', '/repos/acme/governance/pulls/7/reviews', { status: 502, body: recorded('error-502.json') });
      const rec = await runPr(repo, api);
      expect(rec.failed).toMatch(/reading the pull request's reviews failed: GitHub returned 502/);
      expect(rec.failed).not.toContain(TEST_TOKEN);
    });

    it('a rate-limited reviews call says so', async () => {
      const repo = repoWith(base(), change());
      const api = gh(repo, change()).reply('GET', '/repos/acme/governance/pulls/7/reviews', {
        status: 403,
        body: recorded('error-403-rate-limit.json'),
        headers: { 'x-ratelimit-remaining': '0', 'x-ratelimit-reset': '1780000000' },
      });
      const rec = await runPr(repo, api);
      expect(rec.failed).toMatch(/rate limit is exhausted \(resets at 2026-/);
    });
  });

  it('no token on a pull request: fails before any API call, naming the input', async () => {
    const change = { [QWEN]: cleanTree()[QWEN]!.replace('21:50:00', '21:55:00') };
    const repo = repoWith(cleanTree(), change);
    const api = gh(repo, change);
    const { core, rec } = fakeCore({ token: '' });
    await run(fakeDeps({ core, cwd: repo.dir, eventName: 'pull_request', payload: prPayload(repo), octokit: () => api.octokit() }));
    expect(rec.failed).toMatch(/^sot-gate: no GitHub token/);
    expect(api.calls).toHaveLength(0);
    expect(rec.outputs).toEqual({});
  });

  it('when the files API fails, the changed files come from git diff and the check still runs', async () => {
    const change = { [CODEX]: badCodex() };
    const repo = repoWith(cleanTree(), change);
    const api = gh(repo, change).reply('GET', '/repos/acme/governance/pulls/7/files', { status: 503, body: { message: 'Service Unavailable' } });
    const rec = await runPr(repo, api);
    expect(rec.outputs.errors).toBe('3');
    expect(rec.summary).toContain('from git diff');
    expect(rec.summary).toContain('GitHub returned 503');
  });

  it('a deleted admission is a warning annotation and a summary line', async () => {
    const change = { [CODEX]: null };
    const repo = repoWith(cleanTree(), change);
    const rec = await runPr(repo, gh(repo, change));
    const w = rec.annotations.find((a) => a.level === 'warning' && a.props?.title === 'sot-gate: governance file deleted');
    expect(w?.message).toContain('withdraws the admission');
    expect(w?.props?.file).toBe(CODEX);
    expect(rec.summary).toContain('governance file deleted');
    expect(rec.summary).toContain(CODEX);
  });

  it('a changed governance file missing from the checkout fails closed', async () => {
    const change = { [QWEN]: cleanTree()[QWEN]!.replace('21:50:00', '21:55:00') };
    const repo = repoWith(cleanTree(), change);
    const api = gh(repo, change).list('/repos/acme/governance/pulls/7/files', [{ filename: '.sot/ghost.md', status: 'added', sha: 'a'.repeat(40) }]);
    const rec = await runPr(repo, api);
    expect(rec.failed).toMatch(/changed SOT\/admission file not found in the pull request's tree \(\.sot\/ghost\.md\)/);
  });

  it('a summary that cannot be written is a warning, not a failure', async () => {
    const change = { [QWEN]: cleanTree()[QWEN]!.replace('21:50:00', '21:55:00') };
    const repo = repoWith(cleanTree(), change);
    const api = gh(repo, change);
    const { core, rec } = fakeCore({ token: TEST_TOKEN }, { summaryFails: true });
    await runCheck(fakeDeps({ core, cwd: repo.dir, eventName: 'pull_request', payload: prPayload(repo), octokit: () => api.octokit() }));
    expect(rec.annotations.some((a) => a.level === 'warning' && a.message.includes('job summary could not be written'))).toBe(true);
  });
});

describe('push / workflow_dispatch', () => {
  it('scope all over a sub-path, fail-on never: reports the demo findings at repository paths, writes SARIF, passes', async () => {
    {
      const repo = repoWith({ ...Object.fromEntries(Object.entries(readTree(EXAMPLE)).map(([k, v]) => [`examples/cto/${k}`, v])) }, {});
      const { core, rec } = fakeCore({ path: 'examples/cto', 'fail-on': 'never', 'sarif-file': 'out/sot-gate.sarif', token: TEST_TOKEN });
      await run(fakeDeps({ core, cwd: repo.dir, eventName: 'push', octokit: () => noPulls().octokit() }));
      expect(rec.failed).toBeUndefined();
      expect(rec.outputs.errors).toBe('3');
      expect(JSON.parse(rec.outputs.findings!)[0].file).toBe(`examples/cto/${CODEX}`);
      expect(rec.outputs['stage2-ready']).toBe('false');
      const sarif = JSON.parse(readFileSync(path.join(repo.dir, 'out/sot-gate.sarif'), 'utf8'));
      expect(sarif.runs[0].results[0].locations[0].physicalLocation.artifactLocation.uri).toBe(`examples/cto/${CODEX}`);
      expect(sarif.runs[0].versionControlProvenance[0].repositoryUri).toBe('https://github.com/acme/governance');
    }
  });

  it('fail-on error (the default) fails the same tree, and no SARIF is written unless asked', async () => {
    const repo = repoWith(readTree(EXAMPLE), {});
    const { core, rec } = fakeCore({ token: TEST_TOKEN });
    await run(fakeDeps({ core, cwd: repo.dir, eventName: 'workflow_dispatch', octokit: () => noPulls().octokit() }));
    expect(rec.failed).toMatch(/3 errors found/);
    expect(existsSync(path.join(repo.dir, 'out'))).toBe(false);
  });

  it('fail-on: warnings pass with error, fail with warning', async () => {
    const repo = repoWith({ ...readTree(EXAMPLE), [CONFIG]: 'rules:\n  admission/*: warning\n' }, {});
    const lenient = fakeCore({ token: TEST_TOKEN });
    await run(fakeDeps({ core: lenient.core, cwd: repo.dir, eventName: 'push', octokit: () => noPulls().octokit() }));
    expect(lenient.rec.outputs).toMatchObject({ errors: '0', warnings: '3' });
    expect(lenient.rec.failed).toBeUndefined();
    const strict = fakeCore({ 'fail-on': 'warning', token: TEST_TOKEN });
    await run(fakeDeps({ core: strict.core, cwd: repo.dir, eventName: 'push', octokit: () => noPulls().octokit() }));
    expect(strict.rec.failed).toMatch(/0 errors and 3 warnings found \(fail-on: warning\)/);
  });

  it('scope changed outside a pull request is a clear input error', async () => {
    const repo = repoWith(cleanTree(), {});
    const { core, rec } = fakeCore({ scope: 'changed', token: TEST_TOKEN });
    await run(fakeDeps({ core, cwd: repo.dir, eventName: 'push', octokit: () => noPulls().octokit() }));
    expect(rec.failed).toMatch(/scope: changed needs a pull_request/);
  });

  it('without a token it cannot tell whether the commit heads a pull request: fails closed, saying why', async () => {
    const repo = repoWith(cleanTree(), {});
    const { core, rec } = fakeCore({ token: '' });
    await run(fakeDeps({ core, cwd: repo.dir, eventName: 'push', sha: repo.headSha }));
    expect(rec.failed).toMatch(/^sot-gate: no GitHub token: on push sot-gate must find out whether the commit is the head of an open pull request/);
  });

  it('a bad input value names the input', async () => {
    const repo = repoWith(cleanTree(), {});
    const { core, rec } = fakeCore({ 'fail-on': 'sometimes' });
    await run(fakeDeps({ core, cwd: repo.dir, eventName: 'push', octokit: () => noPulls().octokit() }));
    expect(rec.failed).toMatch(/input `fail-on` must be one of error, warning, never/);
  });
});
