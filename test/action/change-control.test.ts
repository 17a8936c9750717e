/**
 * Change control through the action (runCheck / runDispatch over real git repositories and the fake GitHub API):
 * the protected surface, the merge-base diff of a stale branch (false red and false green, merge ref vs head give the
 * same verdict), other events on a pull request's head, a token-named deleted file, and no new false red.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { run } from '../../src/main.js';
import { fakeCore, fakeDeps } from '../fixtures/core.js';
import { FakeGitHub, TEST_TOKEN } from '../fixtures/github/fake.js';
import { approval, gh, repoFactory, runPr } from './pr.js';
import { CODEX, DECISION, QWEN, cleanTree, makeStaleRepo, prPayload, type Repo, type StaleRepo, type Tree } from './repo.js';

const { repoWith, cleanup } = repoFactory();
const stale: StaleRepo[] = [];
afterEach(() => {
  cleanup();
  while (stale.length) stale.pop()!.cleanup();
});

const ISSUES = '.sot/03-PROTOCOLS/CTO-CASE-MODEL-PROVIDER-ADMISSION-ISSUES.md';
const decision = () => cleanTree()[DECISION]!;
const unapproved = (rec: { annotations: Array<{ level: string; message: string; props?: { title?: string; file?: string; startLine?: number } }> }) =>
  rec.annotations.filter((a) => a.level === 'error' && a.props?.title === 'decision/unapproved-change').map((a) => ({ file: a.props?.file, line: a.props?.startLine, message: a.message }));

describe('the protected surface, without an approval that counts (reviews: none)', () => {
  const cases: Array<[string, Tree, string, RegExp]> = [
    ['approval_source rewritten', { [DECISION]: decision().replace(/(`approval_source`: ).*/, '$1anyone may approve.') }, DECISION, /changes the decision record \(decision state: approval_source\)/],
    ['review_trigger set to "never"', { [DECISION]: decision().replace(/(`review_trigger`: ).*/, '$1never.') }, DECISION, /decision state: review_trigger/],
    ['the Current Decision State heading renamed', { [DECISION]: decision().replace('## Current Decision State', '## Current Decision Notes') }, DECISION, /no longer has a Current Decision State/],
    ['"role": "fallback" added to an admission', { [QWEN]: cleanTree()[QWEN]!.replace('"status": "admitted"', '"status": "admitted",\n  "role": "fallback"') }, QWEN, /changes the admission file/],
  ];
  for (const [name, change, file, message] of cases) {
    it(`${name}: decision/unapproved-change at ${file}`, async () => {
      const repo = repoWith(cleanTree(), change);
      const rec = await runPr(repo, gh(repo, change, { reviews: [] }));
      expect(unapproved(rec)).toEqual([expect.objectContaining({ file, message: expect.stringMatching(message) })]);
      expect(rec.failed).toMatch(/errors? found/);
      // the same change with jp's approval on the head passes the change control
      const ok = await runPr(repo, gh(repo, change));
      expect(unapproved(ok)).toEqual([]);
    });
  }

  it('governance prose replaced ("Only JP … may change this record" -> "Anyone may"): reported at the changed line', async () => {
    const prose = 'Only JP or a governed Core route may change this record.';
    const base = { ...cleanTree(), [DECISION]: `${decision()}\n${prose}\n` };
    const edited = base[DECISION]!.replace(prose, 'Anyone may change this record.');
    const repo = repoWith(base, { [DECISION]: edited });
    const rec = await runPr(repo, gh(repo, { [DECISION]: edited }, { reviews: [] }));
    expect(unapproved(rec)).toEqual([{ file: DECISION, line: edited.split('\n').indexOf('Anyone may change this record.') + 1, message: expect.stringContaining('outside the state fields') }]);
  });

  it('the decision record deleted together with every admission: one finding per deleted file', async () => {
    const change: Tree = { [DECISION]: null, [QWEN]: null, [CODEX]: null };
    const repo = repoWith(cleanTree(), change);
    const rec = await runPr(repo, gh(repo, change, { reviews: [] }));
    expect(unapproved(rec).map((f) => f.file).sort()).toEqual([CODEX, QWEN, DECISION].sort());
    expect(unapproved(rec).find((f) => f.file === DECISION)!.message).toContain('deleting or withdrawing the decision is a decision change');
  });
});

describe('no new false red', () => {
  it('a work-item-only edit passes without any approval', async () => {
    const change = { [ISSUES]: `${cleanTree()[ISSUES]!}\nA note.\n` };
    const repo = repoWith(cleanTree(), change);
    const rec = await runPr(repo, gh(repo, change, { reviews: [] }));
    expect(rec.failed).toBeUndefined();
    expect(rec.outputs.errors).toBe('0');
  });

  it('a valid admission for the decided primary pair added with an approval passes', async () => {
    const base = { ...cleanTree(), [QWEN]: null };
    const change = { [QWEN]: cleanTree()[QWEN]! };
    const repo = repoWith(base, change);
    const rec = await runPr(repo, gh(repo, change));
    expect(rec.failed).toBeUndefined();
    expect(rec.summary).toContain('approved by @jp');
    const without = await runPr(repo, gh(repo, change, { reviews: [] }));
    expect(unapproved(without)).toEqual([expect.objectContaining({ file: QWEN, message: expect.stringContaining('adds the admission file') })]);
  });
});

/** runCheck on a stale repository, with HEAD at `checkout` (the head, or the merge ref GITHUB_SHA). */
async function runStale(repo: StaleRepo, checkout: 'head' | 'merge', change: Tree, reviews?: unknown[]) {
  const sha = checkout === 'head' ? repo.headSha : repo.mergeSha;
  repo.checkout(sha);
  const { core, rec } = fakeCore({ token: TEST_TOKEN });
  const api = gh(repo, change, reviews ? { reviews } : {});
  await run({ ...fakeDeps({ core, cwd: repo.dir, eventName: 'pull_request', payload: prPayload(repo), sha, octokit: () => api.octokit() }), core });
  return { rec, api };
}
const verdict = (rec: { failed?: string; outputs: Record<string, string> }) => ({ failed: rec.failed ?? null, findings: JSON.parse(rec.outputs.findings ?? '[]').map((f: { ruleId: string; file: string }) => `${f.ruleId} ${f.file}`) });

describe('a stale branch is judged against the merge base, the same whether the head or the merge ref is checked out', () => {
  it("false red: main's approved decision change is not blamed on a work-item pull request", async () => {
    const mainChange = { [DECISION]: decision().replace(/(`review_trigger`: ).*/, '$1monthly.') };
    const change = { [ISSUES]: `${cleanTree()[ISSUES]!}\nA note.\n` };
    const repo = makeStaleRepo(cleanTree(), mainChange, change);
    stale.push(repo);
    const head = await runStale(repo, 'head', change, []);
    const merge = await runStale(repo, 'merge', change, []);
    expect(verdict(head.rec)).toEqual({ failed: null, findings: [] });
    expect(verdict(merge.rec)).toEqual(verdict(head.rec));
    expect(head.api.callsTo('GET', /\/compare\//)[0]!.path).toContain(`${repo.baseSha}...${repo.headSha}`);
  });

  it('false green: an approved admission that relies on the fallback main replaced fails on the merge', async () => {
    // main (approved) moves the fallback from openai-codex to vllm; the stale branch touches the codex admission
    const mainChange = { [DECISION]: decision().replace('`fallback_provider`: `openai-codex`', '`fallback_provider`: `vllm`').replace('`fallback_model`: `gpt-5.5`', '`fallback_model`: `qwen3.6-35b-a3b`') };
    const change = { [CODEX]: cleanTree()[CODEX]!.replace('21:30:00', '21:35:00') };
    const repo = makeStaleRepo(cleanTree(), mainChange, change);
    stale.push(repo);
    const head = await runStale(repo, 'head', change);
    const merge = await runStale(repo, 'merge', change);
    expect(head.rec.failed).toMatch(/errors? found/);
    expect(verdict(head.rec).findings).toContain(`admission/not-decided-pair ${CODEX}`);
    expect(verdict(merge.rec)).toEqual(verdict(head.rec));
    expect(JSON.parse(head.rec.outputs['admitted-pairs']!).map((p: { provider: string }) => p.provider)).not.toContain('openai-codex');
  });
});

describe('another event on a pull request head applies its change control', () => {
  const openPr = (repo: Repo) => ({ ...prPayload(repo).pull_request, state: 'open' });
  const dispatchRun = async (repo: Repo, api: FakeGitHub) => {
    const { core, rec } = fakeCore({ token: TEST_TOKEN });
    await run(fakeDeps({ core, cwd: repo.dir, eventName: 'workflow_dispatch', sha: repo.headSha, octokit: () => api.octokit() }));
    return rec;
  };

  it('workflow_dispatch on the head of an open pull request: its unapproved admission change fails', async () => {
    const change = { [QWEN]: cleanTree()[QWEN]!.replace('21:50:00', '21:55:00') };
    const repo = repoWith(cleanTree(), change);
    const rec = await dispatchRun(repo, gh(repo, change, { reviews: [], pulls: [openPr(repo)] }));
    expect(unapproved(rec)).toEqual([expect.objectContaining({ file: QWEN })]);
    expect(rec.infos.join('\n')).toContain('is the head of the open pull request #7');
    expect(rec.failed).toMatch(/1 error found/);
    const approved = await dispatchRun(repo, gh(repo, change, { pulls: [openPr(repo)] }));
    expect(approved.failed).toBeUndefined();
  });

  it('workflow_dispatch on a commit no open pull request has: the full check, no change control', async () => {
    const repo = repoWith(cleanTree(), { [QWEN]: cleanTree()[QWEN]!.replace('21:50:00', '21:55:00') });
    const closed = { ...openPr(repo), state: 'closed' };
    const rec = await dispatchRun(repo, gh(repo, {}, { reviews: [], pulls: [closed] }));
    expect(rec.failed).toBeUndefined();
    expect(unapproved(rec)).toEqual([]);
  });

  it('the lookup failing fails closed, naming the permission', async () => {
    const repo = repoWith(cleanTree(), {});
    const api = gh(repo, {}).reply('GET', '/repos/acme/governance/commits/:sha/pulls', { status: 403, body: { message: 'Resource not accessible by integration' } });
    const rec = await dispatchRun(repo, api);
    expect(rec.failed).toMatch(/finding the open pull requests whose head is .*`pull-requests: read`/);
  });

  it('mode dispatch on a labelled pull request with an unapproved protected change is not stage2-ready', async () => {
    const change = { [QWEN]: cleanTree()[QWEN]!.replace('21:50:00', '21:55:00') };
    const repo = repoWith(cleanTree(), change);
    const api = gh(repo, change, { reviews: [] }).reply('POST', '/repos/acme/governance/actions/workflows/:wf/dispatches', { status: 200, body: { workflow_run_id: 5, html_url: 'https://github.com/acme/governance/actions/runs/5' } });
    const { core, rec } = fakeCore({ mode: 'dispatch', workflow: 'stage2.yml', 'admission-file': QWEN, token: TEST_TOKEN });
    await run(fakeDeps({ core, cwd: repo.dir, eventName: 'pull_request', payload: prPayload(repo), sha: repo.headSha, octokit: () => api.octokit() }));
    expect(rec.failed).toMatch(/not stage2-ready: pull request #7 changes 1 protected file .* without an approval that counts/);
    expect(api.callsTo('POST', /dispatches$/)).toHaveLength(0);
    const ok = gh(repo, change).reply('POST', '/repos/acme/governance/actions/workflows/:wf/dispatches', { status: 200, body: { workflow_run_id: 5, html_url: 'https://github.com/acme/governance/actions/runs/5' } });
    const again = fakeCore({ mode: 'dispatch', workflow: 'stage2.yml', 'admission-file': QWEN, token: TEST_TOKEN });
    await run(fakeDeps({ core: again.core, cwd: repo.dir, eventName: 'pull_request', payload: prPayload(repo), sha: repo.headSha, octokit: () => ok.octokit() }));
    expect(again.rec.failed).toBeUndefined();
    expect(ok.callsTo('POST', /dispatches$/)).toHaveLength(1);
  });
});

describe('paths in messages are redacted', () => {
  it('deleting a file named after a token never prints the token', async () => {
    const token = 'ghp_x9Kq2LmP7vR4tY8wZ1nB5cD3fG6hJ0sA2eU4';
    const named = `.sot/03-PROTOCOLS/CTO-CASE-MODEL-PROVIDER-ADMISSION.${token}.json`;
    const base = { ...cleanTree(), [named]: cleanTree()[QWEN]! };
    const change: Tree = { [named]: null };
    const repo = repoWith(base, change);
    const rec = await runPr(repo, gh(repo, change));
    const deleted = rec.annotations.find((a) => a.props?.title === 'sot-gate: governance file deleted');
    expect(deleted?.message).toMatch(/is deleted by this pull request: this withdraws the admission/);
    expect(JSON.stringify(rec)).not.toContain(token);
  });
});
