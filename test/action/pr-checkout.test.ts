/**
 * On a pull request the check must evaluate the pull request's tree: the checked-out HEAD has to be the pull request's
 * head, its merge commit, or (pull_request, pull_request_review) GITHUB_SHA. A checkout of the base branch (what
 * pull_request_target checks out by default) would judge the wrong files and pass a bad pull request.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { run } from '../../src/main.js';
import { fakeCore, fakeDeps } from '../fixtures/core.js';
import { TEST_TOKEN, type FakeGitHub } from '../fixtures/github/fake.js';
import { gh, repoFactory } from './pr.js';
import { CODEX, EXAMPLE, cleanTree, git, prPayload, readTree, type Repo } from './repo.js';

const { repoWith, cleanup } = repoFactory();
const dirs: string[] = [];
afterEach(() => {
  cleanup();
  while (dirs.length) rmSync(dirs.pop()!, { recursive: true, force: true });
});

const change = () => ({ [CODEX]: readTree(EXAMPLE)[CODEX]! });
const short = (sha: string) => sha.slice(0, 12);

/** One run with an explicit GITHUB_SHA and extra pull_request fields (merge_commit_sha). */
async function runAt(repo: Repo, api: FakeGitHub, event: string, sha: string, extra: Record<string, unknown> = {}) {
  const { core, rec } = fakeCore({ token: TEST_TOKEN });
  const payload = prPayload(repo);
  const deps = fakeDeps({ core, cwd: repo.dir, eventName: event, sha, payload: { ...payload, pull_request: { ...payload.pull_request, ...extra } }, octokit: () => api.octokit() });
  await run(deps);
  return rec;
}

/** A merge of the pull request's branch into main, like GitHub's test merge commit; checked out. */
function checkoutMerge(repo: Repo): string {
  git(repo.dir, 'checkout', '-q', '-b', 'merge', 'main');
  git(repo.dir, 'merge', '-q', '--no-ff', '-m', 'merge', 'feature');
  return git(repo.dir, 'rev-parse', 'HEAD');
}

describe('the checkout must be the pull request', () => {
  it('pull_request_target with the base branch checked out (its default): a bad pull request fails closed, naming HEAD and what was expected', async () => {
    const repo = repoWith(cleanTree(), change());
    git(repo.dir, 'checkout', '-q', 'main');
    const api = gh(repo, change());
    // On pull_request_target GITHUB_SHA is the base branch's commit: it matches HEAD here, and must not count.
    const rec = await runAt(repo, api, 'pull_request_target', repo.baseSha);
    expect(rec.failed).toContain(`the checkout is not the pull request's tree: HEAD is ${short(repo.baseSha)}, expected the pull request's head ${short(repo.headSha)}`);
    expect(rec.failed).toContain('On pull_request_target actions/checkout checks out the base branch by default');
    expect(rec.failed).toContain("check out the pull request's head or merge ref");
    expect(rec.outputs).toEqual({});
    expect(api.calls).toHaveLength(0);
  });

  it('pull_request with the base checked out (a wrong ref): fails closed, listing the head, the merge commit and GITHUB_SHA', async () => {
    const repo = repoWith(cleanTree(), change());
    git(repo.dir, 'checkout', '-q', 'main');
    const merge = 'c'.repeat(40);
    const rec = await runAt(repo, gh(repo, change()), 'pull_request', 'd'.repeat(40), { merge_commit_sha: merge });
    expect(rec.failed).toContain(
      `HEAD is ${short(repo.baseSha)}, expected the pull request's head ${short(repo.headSha)} or its merge commit ${short(merge)} or the merge ref (GITHUB_SHA) ${short('d'.repeat(40))}`,
    );
    expect(rec.outputs['stage2-ready']).toBeUndefined();
  });

  it('at the pull request head (also on pull_request_target): evaluates normally', async () => {
    const repo = repoWith(cleanTree(), change());
    for (const event of ['pull_request', 'pull_request_target']) {
      const rec = await runAt(repo, gh(repo, change()), event, event === 'pull_request_target' ? repo.baseSha : 'e'.repeat(40));
      expect(rec.failed).toMatch(/^sot-gate: 3 errors found/);
      expect(rec.outputs.errors).toBe('3');
      expect(rec.outputs['stage2-ready']).toBe('false');
    }
  });

  it('at the merge commit: GITHUB_SHA on pull_request, merge_commit_sha on pull_request_target', async () => {
    const repo = repoWith(cleanTree(), change());
    const merge = checkoutMerge(repo);
    const viaSha = await runAt(repo, gh(repo, change()), 'pull_request', merge);
    expect(viaSha.failed).toMatch(/^sot-gate: 3 errors found/);
    const viaPayload = await runAt(repo, gh(repo, change()), 'pull_request_target', repo.baseSha, { merge_commit_sha: merge });
    expect(viaPayload.failed).toMatch(/^sot-gate: 3 errors found/);
    // a clean pull request at its merge commit passes
    const clean = { [CODEX]: cleanTree()[CODEX]!.replace('"fallback"', '"fallback" ') };
    const ok = repoWith(cleanTree(), clean);
    const okMerge = checkoutMerge(ok);
    const rec = await runAt(ok, gh(ok, clean), 'pull_request_review', okMerge);
    expect(rec.failed).toBeUndefined();
    expect(rec.outputs.errors).toBe('0');
  });

  it('a checkout whose HEAD cannot be read fails closed with a specific message', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'sot-gate-nohead-'));
    dirs.push(dir);
    git(dir, 'init', '-q', '-b', 'main');
    const repo: Repo = { dir, baseSha: 'b'.repeat(40), headSha: 'a'.repeat(40), cleanup: () => {} };
    const rec = await runAt(repo, gh(repo, {}), 'pull_request', 'a'.repeat(40));
    expect(rec.failed).toMatch(/^sot-gate: cannot read the checked-out commit \(git rev-parse failed: .+\): on a pull request sot-gate must confirm/);
    expect(rec.outputs).toEqual({});
  });
});
