/**
 * End to end through the bundled action (dist/index.js), run as the runner runs it, over real temporary git
 * repositories with several commits: the exposure rules run over every changed file (not only governance files) and
 * over the added lines and messages of every commit of the pull request. A secret in a middle commit removed later, in
 * a commit message, in a non-SOT file, and a clean pull request; a depth-1 checkout is deepened by fetching; commits that
 * cannot be fetched fail closed naming fetch-depth: 0. No value is echoed in logs, annotations, summary, comment or SARIF.
 */
import { execFile, execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import YAML from 'yaml';
import { SECRET_SCOPES } from '../../src/action/exposure-scan.js';
import { FakeGitHub, TEST_TOKEN } from '../fixtures/github/fake.js';
import { withCompare } from './pr.js';
import { cleanTree, git, prPayload, type Repo } from './repo.js';

const DIST = path.resolve('dist/index.js');
const tmp = mkdtempSync(path.join(os.tmpdir(), 'sot-gate-exposure-'));
const SECRET = 'ghp_' + 'Zq8mR2vX7tL4pW9nK3cJ6hF1dS5aG0bY8eUi';
const ENDPOINT_VALUE = '10.20.30.40:8000';

beforeAll(() => {
  if (!existsSync(DIST)) execFileSync(process.execPath, ['scripts/bundle.mjs'], { stdio: 'inherit' });
}, 300_000);
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

type Files = Record<string, string | null>;

/** `main` holds the clean example tree plus `base`; the branch `feature` adds one commit per entry of `commits`. */
function history(commits: Array<{ files: Files; message: string }>, base: Files = {}): Repo & { shas: string[] } {
  const dir = mkdtempSync(path.join(tmp, 'repo-'));
  git(dir, 'init', '-q', '-b', 'main');
  git(dir, 'config', 'commit.gpgsign', 'false');
  const write = (files: Files) => {
    for (const [rel, content] of Object.entries(files)) {
      const abs = path.join(dir, rel);
      if (content === null) rmSync(abs, { force: true });
      else {
        execFileSync('mkdir', ['-p', path.dirname(abs)]);
        writeFileSync(abs, content);
      }
    }
    git(dir, 'add', '-A');
  };
  write({ ...cleanTree(), ...base });
  git(dir, 'commit', '-q', '-m', 'base');
  const baseSha = git(dir, 'rev-parse', 'HEAD');
  git(dir, 'checkout', '-q', '-b', 'feature');
  const shas: string[] = [];
  for (const c of commits) {
    write(c.files);
    git(dir, 'commit', '-q', '--allow-empty', '-m', c.message);
    shas.push(git(dir, 'rev-parse', 'HEAD'));
  }
  return { dir, baseSha, headSha: shas[shas.length - 1]!, shas, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

function inputsEnv(withInputs: Record<string, string>): Record<string, string> {
  const action = YAML.parse(readFileSync('action.yml', 'utf8')) as { inputs: Record<string, { default?: string }> };
  const env: Record<string, string> = {};
  for (const [name, spec] of Object.entries(action.inputs)) env[`INPUT_${name.toUpperCase()}`] = name === 'token' ? TEST_TOKEN : String(spec.default ?? '');
  for (const [k, v] of Object.entries(withInputs)) env[`INPUT_${k.toUpperCase()}`] = v;
  return env;
}

interface Run {
  code: number;
  stdout: string;
  summary: string;
  sarif: string;
  comments: string;
}

/** The API lists the pull request's files as git diff does (the workspace may be a shallow clone: diff in the origin). */
async function runDist(repo: Repo, opts: { workspace?: string; with?: Record<string, string>; origin?: string; push?: { before: string; after: string } } = {}): Promise<Run> {
  const ws = opts.workspace ?? repo.dir;
  const nameStatus = execFileSync('git', ['-C', opts.origin ?? repo.dir, 'diff', '--name-status', '--no-renames', repo.baseSha, repo.headSha], { encoding: 'utf8' }).trim().split('\n').filter(Boolean);
  const api = withCompare(new FakeGitHub(), opts.origin ?? repo.dir)
    .list('/repos/acme/governance/commits/:sha/pulls', [])
    .list('/repos/acme/governance/pulls/7/reviews', [])
    .list(
      '/repos/acme/governance/pulls/7/files',
      nameStatus.map((l) => {
        const [s, filename] = l.split('\t');
        return { sha: 'a'.repeat(40), filename, status: s === 'A' ? 'added' : s === 'D' ? 'removed' : 'modified', additions: 1, deletions: 0, changes: 1 };
      }),
    )
    .list('/repos/acme/governance/issues/7/comments', [])
    .on('POST', '/repos/acme/governance/issues/7/comments', () => ({ status: 201, body: { id: 1 } }));
  const server = await api.listen();
  const dir = mkdtempSync(path.join(tmp, 'run-'));
  const event = path.join(dir, 'event.json');
  writeFileSync(event, JSON.stringify(opts.push ? { ...opts.push, ref: 'refs/heads/feature' } : prPayload(repo)));
  const out = { output: path.join(dir, 'output'), summary: path.join(dir, 'summary.md') };
  writeFileSync(out.output, '');
  writeFileSync(out.summary, '');
  const env = {
    PATH: process.env.PATH ?? '',
    HOME: process.env.HOME ?? tmp,
    ...inputsEnv({ 'sarif-file': path.join(dir, 'out.sarif'), ...(opts.with ?? {}) }),
    GITHUB_ACTIONS: 'true',
    GITHUB_EVENT_NAME: opts.push ? 'push' : 'pull_request',
    GITHUB_EVENT_PATH: event,
    GITHUB_REPOSITORY: 'acme/governance',
    GITHUB_SHA: repo.headSha,
    GITHUB_REF: opts.push ? 'refs/heads/feature' : 'refs/pull/7/merge',
    GITHUB_RUN_ID: '4242',
    GITHUB_WORKSPACE: ws,
    GITHUB_SERVER_URL: 'https://github.com',
    GITHUB_API_URL: server.url,
    GITHUB_OUTPUT: out.output,
    GITHUB_STEP_SUMMARY: out.summary,
    RUNNER_TEMP: dir,
  };
  try {
    const r = await new Promise<{ code: number; stdout: string }>((resolve) => {
      execFile(process.execPath, [DIST], { cwd: ws, env, timeout: 120_000 }, (err, stdout) => resolve({ code: err ? ((err as { code?: number }).code ?? 1) : 0, stdout }));
    });
    const sarifPath = path.join(dir, 'out.sarif');
    return {
      ...r,
      summary: readFileSync(out.summary, 'utf8'),
      sarif: existsSync(sarifPath) ? readFileSync(sarifPath, 'utf8') : '',
      comments: JSON.stringify(api.callsTo('POST', /comments$/).map((c) => c.body)),
    };
  } finally {
    await server.close();
  }
}

/** `::error title=RULE,file=F,line=N::message` annotations. */
const errors = (stdout: string) =>
  [...stdout.matchAll(/^::error title=([^,]+),file=([^,]+),line=(\d+)(?:,col=\d+)?::(.*)$/gm)].map((m) => ({ ruleId: m[1]!, file: m[2]!, line: Number(m[3]), message: m[4]! }));

const noValue = (r: Run) => {
  for (const text of [r.stdout, r.summary, r.sarif, r.comments]) {
    expect(text).not.toContain(SECRET);
    expect(text).not.toContain(ENDPOINT_VALUE);
  }
};

describe('dist/index.js: every commit and every changed file of a pull request', () => {
  it('a token added in a middle commit and removed later fails, naming the commit and the line; no value anywhere', async () => {
    const repo = history([
      { files: { 'src/app.ts': 'export const a = 1;\n' }, message: 'feat: app' },
      { files: { 'tasks/task-1.yml': `name: t\nenv:\n  GH_TOKEN: ${SECRET}\n` }, message: 'feat: task' },
      { files: { 'tasks/task-1.yml': 'name: t\n' }, message: 'fix: drop the token' },
    ]);
    const r = await runDist(repo);
    expect(r.code).toBe(1);
    const short = repo.shas[1]!.slice(0, 12);
    expect(errors(r.stdout)).toEqual([expect.objectContaining({ ruleId: 'secret/github', file: 'tasks/task-1.yml', line: 3 })]);
    expect(errors(r.stdout)[0]!.message).toContain(`in commit ${short}`);
    expect(errors(r.stdout)[0]!.message).toContain('rotate the credential');
    expect(r.summary).toContain('❌ sot-gate: failed');
    expect(r.summary).toContain(short);
    const sarif = JSON.parse(r.sarif) as { runs: Array<{ results: Array<{ ruleId: string; message: { text: string } }> }> };
    expect(sarif.runs[0]!.results.map((x) => x.ruleId)).toEqual(['secret/github']);
    expect(r.comments).toContain(short);
    noValue(r);
  });

  it('a token in a commit message fails', async () => {
    const repo = history([{ files: { 'src/a.ts': 'export {};\n' }, message: `chore: ci\n\nused ${SECRET} to test` }]);
    const r = await runDist(repo);
    expect(r.code).toBe(1);
    expect(errors(r.stdout)).toEqual([expect.objectContaining({ ruleId: 'secret/github', file: 'COMMIT_MESSAGE', line: 3 })]);
    noValue(r);
  });

  it('a token and a private endpoint in non-SOT files of the final tree fail (the issue\'s reproduction)', async () => {
    const repo = history([
      { files: { 'tasks/task-1.yml': `name: t\nenv:\n  GH_TOKEN: ${SECRET}\n`, 'harness/run.env': `CTO_HARNESS_CASE_LOCAL_BASE_URL=http://${ENDPOINT_VALUE}/v1\n` }, message: 'feat: harness' },
    ]);
    const r = await runDist(repo);
    expect(r.code).toBe(1);
    const found = errors(r.stdout).map((e) => `${e.ruleId.split('/')[0]} ${e.file}:${e.line}`);
    expect(found).toEqual(expect.arrayContaining(['secret tasks/task-1.yml:3', 'endpoint harness/run.env:1']));
    noValue(r);
  });

  it('a clean pull request of several commits passes', async () => {
    const repo = history([
      { files: { 'src/app.ts': 'export const a = 1;\n' }, message: 'feat: app' },
      { files: { 'docs/notes.md': '# Notes\n\nNothing secret.\n' }, message: 'docs: notes' },
      { files: { 'src/app.ts': 'export const a = 2;\n' }, message: 'fix: a' },
    ]);
    const r = await runDist(repo);
    expect(r.stdout).not.toContain('::error');
    expect(r.code).toBe(0);
    expect(r.summary).toContain('scanned the added lines and messages of 3 commits');
  });

  it('secret-scope: a token already in the base of a modified file fails with changed-files, not with governance', async () => {
    const repo = history([{ files: { 'deploy/app.env': `GH_TOKEN=${SECRET}\nMODE=2\n` }, message: 'chore: mode' }], { 'deploy/app.env': `GH_TOKEN=${SECRET}\nMODE=1\n` });
    const changed = await runDist(repo);
    expect(changed.code).toBe(1);
    expect(errors(changed.stdout)).toEqual([expect.objectContaining({ ruleId: 'secret/github', file: 'deploy/app.env', line: 1 })]);
    const governance = await runDist(repo, { with: { 'secret-scope': 'governance' } });
    expect(governance.stdout).not.toContain('::error');
    expect(governance.code).toBe(0);
    noValue(changed);
  });
});

describe('dist/index.js on push: the pushed range before..after', () => {
  const repo = history([
    { files: { 'src/app.ts': 'export const a = 1;\n' }, message: 'feat: app' },
    { files: { 'tasks/task-1.yml': `GH_TOKEN: ${SECRET}\n` }, message: 'feat: task' },
    { files: { 'tasks/task-1.yml': 'name: t\n' }, message: 'fix: drop it' },
  ]);
  it('a token pushed in a middle commit and removed in the last fails, though the pushed tree is clean', async () => {
    const r = await runDist(repo, { push: { before: repo.baseSha, after: repo.headSha }, with: { comment: 'never' } });
    expect(r.code).toBe(1);
    expect(errors(r.stdout)).toEqual([expect.objectContaining({ ruleId: 'secret/github', file: 'tasks/task-1.yml', line: 1 })]);
    expect(errors(r.stdout)[0]!.message).toContain(repo.shas[1]!.slice(0, 12));
    noValue(r);
  });
  it('a push of the last commit alone (the token was pushed before) passes; so does a new branch whose head commit is clean', async () => {
    expect((await runDist(repo, { push: { before: repo.shas[1]!, after: repo.headSha }, with: { comment: 'never' } })).code).toBe(0);
    const fresh = await runDist(repo, { push: { before: '0'.repeat(40), after: repo.headSha }, with: { comment: 'never' } });
    expect(fresh.code).toBe(0);
    expect(fresh.summary).toContain('scanned the added lines and messages of 1 commit');
  });
});

describe('dist/index.js: a depth-1 checkout (actions/checkout default)', () => {
  const repo = history([
    { files: { 'src/app.ts': 'export const a = 1;\n' }, message: 'feat: app' },
    { files: { 'tasks/task-1.yml': `GH_TOKEN: ${SECRET}\n` }, message: 'feat: task' },
    { files: { 'tasks/task-1.yml': 'name: t\n' }, message: 'fix: drop it' },
  ]);
  const shallow = () => {
    const ws = mkdtempSync(path.join(tmp, 'ws-'));
    execFileSync('git', ['clone', '-q', '--depth=1', '--branch', 'feature', `file://${repo.dir}`, ws]);
    return ws;
  };

  it('fetches the commits it needs and finds the token of the middle commit', async () => {
    const ws = shallow();
    const r = await runDist(repo, { workspace: ws, origin: repo.dir });
    expect(r.code).toBe(1);
    expect(errors(r.stdout)).toEqual([expect.objectContaining({ ruleId: 'secret/github', file: 'tasks/task-1.yml', line: 1 })]);
    expect(errors(r.stdout)[0]!.message).toContain(repo.shas[1]!.slice(0, 12));
    noValue(r);
  });

  it('fails closed naming fetch-depth: 0 when the commits cannot be fetched', async () => {
    const ws = shallow();
    execFileSync('git', ['-C', ws, 'fetch', '-q', '--depth=1', 'origin', repo.baseSha]);
    execFileSync('git', ['-C', ws, 'remote', 'set-url', 'origin', path.join(tmp, 'no-such-remote')]);
    const r = await runDist(repo, { workspace: ws, origin: repo.dir });
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/^::error::sot-gate: the commits between .* cannot be read from this checkout.*fetch-depth: 0/m);
  });
});

describe('secret-scope input', () => {
  it('action.yml and the README agree on its default and values', () => {
    const action = YAML.parse(readFileSync('action.yml', 'utf8')) as { inputs: Record<string, { default?: string; description: string }> };
    const input = action.inputs['secret-scope']!;
    expect(input.default).toBe('changed-files');
    for (const v of SECRET_SCOPES) expect(input.description).toContain(v);
    const row = readFileSync('README.md', 'utf8').split('\n').find((l) => l.startsWith('| `secret-scope` |'));
    expect(row).toBeDefined();
    expect(row!.split('|')[2]!.trim()).toBe('`changed-files`');
    for (const v of SECRET_SCOPES) expect(row).toContain(`\`${v}\``);
  });
});
