/** Shared by the action tests: a fake GitHub API for a repo's pull request, and one run of the action over it. */
import { run } from '../../src/main.js';
import { fakeCore, fakeDeps } from '../fixtures/core.js';
import { FakeGitHub, TEST_TOKEN } from '../fixtures/github/fake.js';
import { git, makeRepo, prPayload, type Repo, type Tree } from './repo.js';

/** repos.compareCommitsWithBasehead answered from the repository itself (git merge-base), as GitHub would. */
export function withCompare(api: FakeGitHub, dir: string): FakeGitHub {
  return api.on('GET', '/repos/acme/governance/compare/:basehead', (call) => {
    const [b, h] = decodeURIComponent(call.path.split('/').pop()!).split('...');
    try {
      return { status: 200, body: { base_commit: { sha: b }, merge_base_commit: { sha: git(dir, 'merge-base', b!, h!) } } };
    } catch {
      return { status: 404, body: { message: 'Not Found' } };
    }
  });
}

/** The API's file list for the repo's change (what pulls.listFiles would say). */
export function filesOf(change: Tree) {
  return Object.entries(change).map(([filename, c], i) => ({ sha: String(i).padStart(40, 'a'), filename, status: c === null ? 'removed' : 'modified', additions: 1, deletions: 1, changes: 2 }));
}

/** An approval by jp (cleanTree()'s approver) on the repo's head: change control passes. */
export const approval = (repo: Repo, login = 'jp') => ({ id: 1, user: { login }, state: 'APPROVED', commit_id: repo.headSha, submitted_at: '2026-06-01T12:00:00Z' });

export function gh(repo: Repo, change: Tree, opts: { reviews?: unknown[]; comments?: unknown[]; pulls?: unknown[] } = {}): FakeGitHub {
  return withCompare(new FakeGitHub(), repo.dir)
    .list('/repos/acme/governance/commits/:sha/pulls', opts.pulls ?? [])
    .list('/repos/acme/governance/pulls/7/files', filesOf(change))
    .list('/repos/acme/governance/pulls/7/reviews', opts.reviews ?? [approval(repo)])
    .list('/repos/acme/governance/issues/7/comments', opts.comments ?? [])
    .on('POST', '/repos/acme/governance/issues/7/comments', (c) => ({ status: 201, body: { id: 99, body: (c.body as { body: string }).body } }))
    .on('PATCH', '/repos/acme/governance/issues/comments/:id', (c) => ({ status: 200, body: { id: 1, body: (c.body as { body: string }).body } }));
}

export async function runPr(repo: Repo, api: FakeGitHub, inputs: Record<string, string> = {}, event = 'pull_request', author = 'pr-author') {
  const { core, rec } = fakeCore({ token: TEST_TOKEN, ...inputs });
  const deps = fakeDeps({ core, cwd: repo.dir, eventName: event, payload: prPayload(repo, { author }), sha: repo.headSha, octokit: () => api.octokit() });
  await run({ ...deps, core });
  return rec;
}

/** makeRepo, remembered for cleanup. */
export function repoFactory(): { repoWith: (base: Tree, change: Tree, renames?: Array<[string, string]>) => Repo; cleanup: () => void } {
  const repos: Repo[] = [];
  return {
    repoWith: (base, change, renames = []) => {
      const r = makeRepo(base, change, renames);
      repos.push(r);
      return r;
    },
    cleanup: () => {
      while (repos.length) repos.pop()!.cleanup();
    },
  };
}

/** The API of a run that is not on a pull request: the commit heads no open pull request. */
export const noPulls = (pulls: unknown[] = []) => new FakeGitHub().list('/repos/acme/governance/commits/:sha/pulls', pulls);
