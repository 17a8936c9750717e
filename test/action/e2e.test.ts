/**
 * End to end: the bundled action (dist/index.js) run the way the runner runs a node24 action — INPUT_* variables with
 * action.yml's defaults, a pull_request event file, GITHUB_OUTPUT and GITHUB_STEP_SUMMARY files — over a temporary git
 * repository built from examples/cto, with the GitHub API served by a loopback fake (GITHUB_API_URL).
 * Also: @github/local-action over src/main.ts with a dotenv file, the documented way to run it locally.
 */
import { execFile, execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import YAML from 'yaml';
import { FakeGitHub, TEST_TOKEN } from '../fixtures/github/fake.js';
import { CODEX, QWEN, cleanTree, makeRepo, prPayload, readTree, EXAMPLE, type Repo } from './repo.js';

const DIST = path.resolve('dist/index.js');
const tmp = mkdtempSync(path.join(os.tmpdir(), 'sot-gate-e2e-'));
const repos: Repo[] = [];

beforeAll(() => {
  if (!existsSync(DIST)) execFileSync(process.execPath, ['scripts/bundle.mjs'], { stdio: 'inherit' });
}, 300_000);
afterAll(() => {
  for (const r of repos) r.cleanup();
  rmSync(tmp, { recursive: true, force: true });
});

/** INPUT_* as the runner sets them: action.yml defaults, then the step's `with:` values. */
function inputsEnv(withInputs: Record<string, string>): Record<string, string> {
  const action = YAML.parse(readFileSync('action.yml', 'utf8')) as { inputs: Record<string, { default?: string }> };
  const env: Record<string, string> = {};
  for (const [name, spec] of Object.entries(action.inputs)) {
    const v = name === 'token' ? TEST_TOKEN : String(spec.default ?? '');
    env[`INPUT_${name.toUpperCase()}`] = v;
  }
  for (const [k, v] of Object.entries(withInputs)) env[`INPUT_${k.toUpperCase()}`] = v;
  return env;
}

/** GITHUB_OUTPUT's `name<<delimiter` blocks. */
function parseOutputs(text: string): Record<string, string> {
  const out: Record<string, string> = {};
  const re = /^([^\n<]+)<<(\S+)\n([\s\S]*?)\n\2$/gm;
  for (const m of text.matchAll(re)) out[m[1]!] = m[3]!;
  return out;
}

interface Run {
  code: number;
  stdout: string;
  stderr: string;
  outputs: Record<string, string>;
  summary: string;
  api: FakeGitHub;
}

async function runDist(repo: Repo, api: FakeGitHub, withInputs: Record<string, string> = {}): Promise<Run> {
  const server = await api.listen();
  const dir = mkdtempSync(path.join(tmp, 'run-'));
  const event = path.join(dir, 'event.json');
  writeFileSync(event, JSON.stringify(prPayload(repo)));
  const files = { output: path.join(dir, 'output'), summary: path.join(dir, 'summary.md') };
  writeFileSync(files.output, '');
  writeFileSync(files.summary, '');
  const env = {
    PATH: process.env.PATH ?? '',
    HOME: process.env.HOME ?? tmp,
    ...inputsEnv(withInputs),
    GITHUB_ACTIONS: 'true',
    GITHUB_EVENT_NAME: 'pull_request',
    GITHUB_EVENT_PATH: event,
    GITHUB_REPOSITORY: 'acme/governance',
    GITHUB_SHA: repo.headSha,
    GITHUB_REF: 'refs/pull/7/merge',
    GITHUB_RUN_ID: '4242',
    GITHUB_WORKSPACE: repo.dir,
    GITHUB_SERVER_URL: 'https://github.com',
    GITHUB_API_URL: server.url,
    GITHUB_OUTPUT: files.output,
    GITHUB_STEP_SUMMARY: files.summary,
    RUNNER_TEMP: dir,
  };
  try {
    const r = await new Promise<{ code: number; stdout: string; stderr: string }>((resolve) => {
      execFile(process.execPath, [DIST], { cwd: repo.dir, env, timeout: 60_000 }, (err, stdout, stderr) =>
        resolve({ code: err ? ((err as { code?: number }).code ?? 1) : 0, stdout, stderr }),
      );
    });
    return { ...r, outputs: parseOutputs(readFileSync(files.output, 'utf8')), summary: readFileSync(files.summary, 'utf8'), api };
  } finally {
    await server.close();
  }
}

function pr(change: Record<string, string | null>): { repo: Repo; api: FakeGitHub } {
  const repo = makeRepo(cleanTree(), change);
  repos.push(repo);
  const api = new FakeGitHub()
    .list(
      '/repos/acme/governance/pulls/7/files',
      Object.keys(change).map((filename) => ({ sha: 'a'.repeat(40), filename, status: 'modified', additions: 1, deletions: 1, changes: 2 })),
    )
    .list('/repos/acme/governance/issues/7/comments', [])
    .on('POST', '/repos/acme/governance/issues/7/comments', () => ({ status: 201, body: { id: 1 } }));
  return { repo, api };
}

describe('bundled action (dist/index.js) on a pull request', () => {
  it('a clean pull request: exit 0, passing summary, outputs, no error annotation, the token only masked', async () => {
    const { repo, api } = pr({ [QWEN]: cleanTree()[QWEN]!.replace('21:50:00', '21:55:00') });
    const r = await runDist(repo, api);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).not.toContain('::error');
    expect(r.outputs).toMatchObject({ errors: '0', warnings: '0', 'decision-status': 'local_provider_required', 'stage2-ready': 'true', findings: '[]' });
    expect(r.summary).toContain('✅ sot-gate: passed');
    expect(api.callsTo('GET', /\/pulls\/7\/files$/)).toHaveLength(1);
    expect(api.callsTo('POST', /comments$/)).toHaveLength(0);
    const tokenLines = r.stdout.split('\n').filter((l) => l.includes(TEST_TOKEN));
    expect(tokenLines).toEqual([`::add-mask::${TEST_TOKEN}`]);
  });

  it('a bad pull request: exit 1, ::error annotations at the file and line, failing summary, sticky comment, outputs', async () => {
    const { repo, api } = pr({ [CODEX]: readTree(EXAMPLE)[CODEX]! });
    const r = await runDist(repo, api, { 'sarif-file': 'sot-gate.sarif' });
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(new RegExp(`^::error title=admission/implicit-fallback,file=${CODEX.replace(/\./g, '\\.')},line=3::openai-codex / gpt-5.5 is the decision's fallback pair`, 'm'));
    expect(r.stdout.match(/^::error title=/gm)).toHaveLength(3); // one per finding; then the step failure:
    expect(r.stdout).toMatch(/^::error::sot-gate: 3 errors found \(fail-on: error\)/m);
    expect(r.outputs.errors).toBe('3');
    expect(r.outputs['stage2-ready']).toBe('false');
    expect(JSON.parse(r.outputs.findings!).map((f: { ruleId: string }) => f.ruleId)).toEqual(['admission/implicit-fallback', 'admission/stale', 'admission/stale']);
    expect(r.summary).toContain('❌ sot-gate: failed');
    expect(r.summary).toContain('[`admission/implicit-fallback`](https://github.com/sot-gate/sot-gate/blob/main/docs/rules/admission-implicit-fallback.md)');
    const posted = api.callsTo('POST', /\/issues\/7\/comments$/);
    expect(posted).toHaveLength(1);
    expect(JSON.stringify(posted[0]!.body)).toContain('sot-gate:comment');
    const sarif = JSON.parse(readFileSync(path.join(repo.dir, 'sot-gate.sarif'), 'utf8'));
    expect(sarif.runs[0].results).toHaveLength(3);
    expect(r.stdout.replace(`::add-mask::${TEST_TOKEN}`, '')).not.toContain(TEST_TOKEN);
  });

  it('an unreachable API fails closed with a clear message (files from git, but reviews cannot be read)', async () => {
    const repo = makeRepo({ ...cleanTree(), '.github/sot-gate.yml': 'approvers: [jp]\n' }, { '.github/sot-gate.yml': 'approvers: [jp, me]\n' });
    repos.push(repo);
    const api = new FakeGitHub().reply('GET', '/repos/acme/governance/pulls/7/files', { status: 502, body: {} }).reply('GET', '/repos/acme/governance/pulls/7/reviews', { status: 503, body: {} });
    const r = await runDist(repo, api, { comment: 'never' });
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/^::error::sot-gate: reading the pull request's reviews failed: GitHub returned 503/m);
  });
});

describe('@github/local-action', () => {
  it('runs src/main.ts with a dotenv file (the documented local run)', () => {
    const env = path.join(tmp, 'local.env');
    writeFileSync(env, readFileSync('.env.example', 'utf8').replace('INPUT_SARIF-FILE=reports/sot-gate.sarif', 'INPUT_SARIF-FILE=').replace('GITHUB_STEP_SUMMARY=reports/step-summary.md', `GITHUB_STEP_SUMMARY=${path.join(tmp, 'local-summary.md')}`));
    const out = execFileSync(path.resolve('node_modules/.bin/local-action'), ['.', 'src/main.ts', env], { encoding: 'utf8', timeout: 120_000, env: { ...process.env, NO_COLOR: '1' } });
    expect(out).toContain('::set-output name=errors::3');
    expect(out).toContain('::set-output name=stage2-ready::false');
    expect(out).toMatch(/::error title=admission\/implicit-fallback,file=examples\/cto\/\.sot\//);
    expect(readFileSync(path.join(tmp, 'local-summary.md'), 'utf8')).toContain('sot-gate: passed');
  }, 120_000);
});
