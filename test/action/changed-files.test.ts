import { afterEach, describe, expect, it } from 'vitest';
import { API_FILE_LIMIT, listChangedFiles, touchedPaths } from '../../src/action/changed-files.js';
import { parseNameStatus } from '../../src/action/git.js';
import { FakeGitHub, manyFiles, recorded, TEST_TOKEN } from '../fixtures/github/fake.js';
import { makeRepo, type Repo } from './repo.js';

const FILES = '/repos/acme/governance/pulls/7/files';
const repos: Repo[] = [];
afterEach(() => {
  while (repos.length) repos.pop()!.cleanup();
});

function repo(): Repo {
  const r = makeRepo(
    { 'a.md': 'a\n', 'old-name.json': '{"x": 1, "padding": "keep the content identical so git sees a rename"}\n', 'gone.json': '{}\n' },
    { 'a.md': 'a2\n', 'gone.json': null, 'new.md': 'n\n' },
    [['old-name.json', 'dir/new-name.json']],
  );
  repos.push(r);
  return r;
}

const input = (r: Repo, api: FakeGitHub) => ({ octokit: api.octokit(), owner: 'acme', repo: 'governance', pullNumber: 7, cwd: r.dir, baseSha: r.baseSha, secrets: [TEST_TOKEN] });

describe('changed files', () => {
  it('reads every page of pulls.listFiles at 100 per page, keeping renames and deletions', async () => {
    const r = repo();
    const items = [...(recorded<unknown[]>('pulls-list-files.json')), ...manyFiles(246)];
    const api = new FakeGitHub().list(FILES, items);
    const out = await listChangedFiles(input(r, api));
    expect(out.source).toBe('api');
    expect(out.files).toHaveLength(250);
    const calls = api.callsTo('GET', /\/files$/);
    expect(calls.map((c) => c.query.get('page') ?? '1')).toEqual(['1', '2', '3']);
    expect(calls.every((c) => c.query.get('per_page') === '100')).toBe(true);
    expect(out.files[1]).toEqual({
      path: '.sot/03-PROTOCOLS/CTO-CASE-MODEL-PROVIDER-ADMISSION.qwen-local-qwen3.6-35b-a3b.json',
      status: 'renamed',
      previousPath: '.sot/03-PROTOCOLS/qwen-admission.json',
    });
    expect(out.files[2]?.status).toBe('removed');
    expect(touchedPaths(out.files.slice(0, 3))).toContain('.sot/03-PROTOCOLS/qwen-admission.json');
  });

  it(`at the API's ${API_FILE_LIMIT}-file limit, uses git diff against the base instead`, async () => {
    const r = repo();
    const api = new FakeGitHub().list(FILES, manyFiles(API_FILE_LIMIT));
    const out = await listChangedFiles(input(r, api));
    expect(out.source).toBe('git');
    expect(out.fallbackReason).toContain('at most 3000 files');
    expect(api.callsTo('GET', /\/files$/)).toHaveLength(30);
    expect(out.files).toEqual(
      expect.arrayContaining([
        { path: 'a.md', status: 'modified' },
        { path: 'gone.json', status: 'removed' },
        { path: 'new.md', status: 'added' },
        { path: 'dir/new-name.json', status: 'renamed', previousPath: 'old-name.json' },
      ]),
    );
    expect(out.files).toHaveLength(4);
  });

  it('just under the limit, trusts the API', async () => {
    const r = repo();
    const out = await listChangedFiles(input(r, new FakeGitHub().list(FILES, manyFiles(API_FILE_LIMIT - 1))));
    expect(out.source).toBe('api');
  });

  it('when the API fails, uses git diff and keeps the reason (without the token)', async () => {
    const r = repo();
    const api = new FakeGitHub().reply('GET', FILES, { status: 500, body: { message: 'boom' } });
    const out = await listChangedFiles(input(r, api));
    expect(out.source).toBe('git');
    expect(out.fallbackReason).toMatch(/listing the pull request's files failed: GitHub returned 500/);
    expect(out.fallbackReason).not.toContain(TEST_TOKEN);
  });

  it('when the API fails and the base commit cannot be fetched, fails closed naming both causes', async () => {
    const r = repo();
    const api = new FakeGitHub().reply('GET', FILES, { status: 403, body: recorded('error-403-integration.json') });
    await expect(listChangedFiles({ ...input(r, api), baseSha: 'f'.repeat(40) })).rejects.toThrow(
      /cannot list the pull request's changed files: .*forbidden \(403\): the token needs `pull-requests: read`.*git diff failed: the base commit ffffffffffff is not in the checkout and fetching it failed/,
    );
  });
});

describe('git name-status parsing', () => {
  it('parses -z output with renames, copies and odd names', () => {
    const out = ['M', 'a b.md', 'R087', 'x/old.json', 'y/new.json', 'D', 'gone', 'C100', 's', 't', 'A', 'tab\there', ''].join('\0');
    expect(parseNameStatus(out)).toEqual([
      { path: 'a b.md', status: 'modified' },
      { path: 'y/new.json', status: 'renamed', previousPath: 'x/old.json' },
      { path: 'gone', status: 'removed' },
      { path: 't', status: 'copied', previousPath: 's' },
      { path: 'tab\there', status: 'added' },
    ]);
  });
});
