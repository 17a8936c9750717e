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
import { CODEX, DECISION, QWEN, cleanTree, makeRepo, makeStaleRepo, prPayload, readTree, EXAMPLE, type Repo, type Tree } from './repo.js';
import { approval, gh, withCompare } from './pr.js';

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

async function runDist(
  repo: Repo,
  api: FakeGitHub,
  withInputs: Record<string, string> = {},
  opts: { eventName?: string; sha?: string; payload?: unknown } = {},
): Promise<Run> {
  const server = await api.listen();
  const dir = mkdtempSync(path.join(tmp, 'run-'));
  const event = path.join(dir, 'event.json');
  writeFileSync(event, JSON.stringify(opts.payload ?? prPayload(repo)));
  const files = { output: path.join(dir, 'output'), summary: path.join(dir, 'summary.md') };
  writeFileSync(files.output, '');
  writeFileSync(files.summary, '');
  const env = {
    PATH: process.env.PATH ?? '',
    HOME: process.env.HOME ?? tmp,
    ...inputsEnv(withInputs),
    GITHUB_ACTIONS: 'true',
    GITHUB_EVENT_NAME: opts.eventName ?? 'pull_request',
    GITHUB_EVENT_PATH: event,
    GITHUB_REPOSITORY: 'acme/governance',
    GITHUB_SHA: opts.sha ?? repo.headSha,
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

function pr(change: Record<string, string | null>, opts: { base?: Tree; reviews?: unknown[] } = {}): { repo: Repo; api: FakeGitHub } {
  const repo = makeRepo(opts.base ?? cleanTree(), change);
  repos.push(repo);
  return { repo, api: gh(repo, change, opts.reviews ? { reviews: opts.reviews } : {}) };
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
    const api = withCompare(new FakeGitHub(), repo.dir).reply('GET', '/repos/acme/governance/pulls/7/files', { status: 502, body: {} }).reply('GET', '/repos/acme/governance/pulls/7/reviews', { status: 503, body: {} });
    const r = await runDist(repo, api, { comment: 'never' });
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/^::error::sot-gate: reading the pull request's reviews failed: GitHub returned 503/m);
  });
});

const ISSUES = '.sot/03-PROTOCOLS/CTO-CASE-MODEL-PROVIDER-ADMISSION-ISSUES.md';
const decisionText = () => cleanTree()[DECISION]!;
const PROSE = 'Only JP or a governed Core route may change this record.';
const unapprovedAt = (r: Run) => [...r.stdout.matchAll(/^::error title=decision\/unapproved-change,file=([^,]+),line=(\d+)::(.*)$/gm)].map((m) => ({ file: m[1], line: Number(m[2]), message: m[3] }));

describe('bundled action: change control over the protected surface (no approval)', () => {
  const cases: Array<[string, Tree, Tree | undefined, string[], RegExp]> = [
    ['approval_source rewritten', { [DECISION]: decisionText().replace(/(`approval_source`: ).*/, '$1anyone may approve.') }, undefined, [DECISION], /decision state: approval_source/],
    ['review_trigger set to "never"', { [DECISION]: decisionText().replace(/(`review_trigger`: ).*/, '$1never.') }, undefined, [DECISION], /decision state: review_trigger/],
    [
      'governance prose edited ("Anyone may")',
      { [DECISION]: `${decisionText()}\nAnyone may change this record.\n` },
      { ...cleanTree(), [DECISION]: `${decisionText()}\n${PROSE}\n` },
      [DECISION],
      /outside the state fields/,
    ],
    ['"role": "fallback" added to an admission', { [QWEN]: cleanTree()[QWEN]!.replace('"status": "admitted"', '"status": "admitted",\n  "role": "fallback"') }, undefined, [QWEN], /changes the admission file/],
    ['the decision record and every admission deleted', { [DECISION]: null, [QWEN]: null, [CODEX]: null }, undefined, [CODEX, QWEN, DECISION].sort(), /deletes/],
    ['the Current Decision State heading renamed', { [DECISION]: decisionText().replace('## Current Decision State', '## Decision State (archived)') }, undefined, [DECISION], /no longer has a Current Decision State/],
  ];
  for (const [name, change, base, files, message] of cases) {
    it(`${name}: exit 1, decision/unapproved-change at ${files.length === 1 ? files[0] : 'each file'}; an approval passes it`, async () => {
      const { repo, api } = pr(change, { ...(base ? { base } : {}), reviews: [] });
      const r = await runDist(repo, api, { comment: 'never' });
      expect(r.code).toBe(1);
      const found = unapprovedAt(r);
      expect(found.map((f) => f.file).sort()).toEqual(files);
      expect(found.some((f) => message.test(f.message ?? ""))).toBe(true);
      const ok = await runDist(repo, gh(repo, change, { reviews: [approval(repo)] }), { comment: 'never' });
      expect(unapprovedAt(ok)).toEqual([]);
    }, 120_000);
  }

  it('no new false red: a work-item edit passes without approval; a valid primary admission added passes with one', async () => {
    const work = pr({ [ISSUES]: `${cleanTree()[ISSUES]!}\nA note.\n` }, { reviews: [] });
    const w = await runDist(work.repo, work.api, { comment: 'never' });
    expect(w.code).toBe(0);
    expect(w.outputs.errors).toBe('0');
    const added = pr({ [QWEN]: cleanTree()[QWEN]! }, { base: { ...cleanTree(), [QWEN]: null } });
    const a = await runDist(added.repo, added.api, { comment: 'never' });
    expect(a.code).toBe(0);
    expect(a.summary).toContain('approved by @jp');
  }, 120_000);
});

describe('bundled action: a stale branch, checked out at the head or at the merge ref, gets one verdict', () => {
  const runStale = async (repo: ReturnType<typeof makeStaleRepo>, at: 'head' | 'merge', change: Tree) => {
    const sha = at === 'head' ? repo.headSha : repo.mergeSha;
    repo.checkout(sha);
    const r = await runDist(repo, gh(repo, change), { comment: 'never' }, { sha });
    return { code: r.code, findings: JSON.parse(r.outputs.findings ?? '[]').map((f: { ruleId: string; file: string }) => `${f.ruleId} ${f.file}`), r };
  };
  it("false red: main's approved decision change is not blamed on the branch", async () => {
    const change = { [ISSUES]: `${cleanTree()[ISSUES]!}\nA note.\n` };
    const repo = makeStaleRepo(cleanTree(), { [DECISION]: decisionText().replace(/(`review_trigger`: ).*/, '$1monthly.') }, change);
    repos.push(repo);
    const head = await runStale(repo, 'head', change);
    const merge = await runStale(repo, 'merge', change);
    expect({ code: head.code, findings: head.findings }).toEqual({ code: 0, findings: [] });
    expect({ code: merge.code, findings: merge.findings }).toEqual({ code: head.code, findings: head.findings });
  }, 120_000);
  it('false green: an admission relying on the fallback main replaced fails, at the head and at the merge ref', async () => {
    const change = { [CODEX]: cleanTree()[CODEX]!.replace('21:30:00', '21:35:00') };
    const mainChange = { [DECISION]: decisionText().replace('`fallback_provider`: `openai-codex`', '`fallback_provider`: `vllm`').replace('`fallback_model`: `gpt-5.5`', '`fallback_model`: `qwen3.6-35b-a3b`') };
    const repo = makeStaleRepo(cleanTree(), mainChange, change);
    repos.push(repo);
    const head = await runStale(repo, 'head', change);
    const merge = await runStale(repo, 'merge', change);
    expect(head.code).toBe(1);
    expect(head.findings).toContain(`admission/not-decided-pair ${CODEX}`);
    expect({ code: merge.code, findings: merge.findings }).toEqual({ code: head.code, findings: head.findings });
  }, 120_000);
});

describe('bundled action: suppression needs authority', () => {
  const key = ['sk', 'Zq8Rt2Lm5Np7Vx9Wb3Yc6Hd1Jf4Kg8Ts0Uv2Ew5Fz7Gh9AiX'].join('-');
  const withKey = (directive: string) => ({ [ISSUES]: `${cleanTree()[ISSUES]!}\nkey: ${key} ${directive}\n` });
  const rules = (r: Run) => (JSON.parse(r.outputs.findings ?? '[]') as Array<{ ruleId: string; file: string }>).map((f) => `${f.ruleId} ${f.file}`);

  it('an allow directive the pull request adds hides nothing until an approver approves the head; the key is never printed', async () => {
    const change = withKey('<!-- sot-gate:allow secret/openai -- revoked test key -->');
    const { repo, api } = pr(change, { reviews: [] });
    const r = await runDist(repo, api, { comment: 'never' });
    expect(r.code).toBe(1);
    expect(rules(r)).toEqual(expect.arrayContaining([`suppress/unapproved ${ISSUES}`, `secret/openai ${ISSUES}`]));
    expect(r.stdout + r.stderr + r.summary + JSON.stringify(r.outputs)).not.toContain(key);
    const ok = await runDist(repo, gh(repo, change, { reviews: [approval(repo)] }), { comment: 'never' });
    expect(ok.code).toBe(0);
    expect(rules(ok)).toEqual([]);
    expect(ok.summary).toContain('approved by @jp');
  }, 120_000);

  it('a directive naming a governance rule, or written outside Markdown prose, suppresses nothing even with an approval', async () => {
    const change = { [CODEX]: readTree(EXAMPLE)[CODEX]!.replace('"status": "admitted",', '"status": "admitted", "approval_source": "sot-gate:allow admission/* -- reviewed",').replace(/\n  "approval_source": [^\n]*/, '') };
    const { repo } = pr(change, { reviews: [] });
    const r = await runDist(repo, gh(repo, change, { reviews: [approval(repo)] }), { comment: 'never' });
    expect(r.code).toBe(1);
    expect(rules(r)).toContain(`admission/implicit-fallback ${CODEX}`);
    expect(rules(r)).toContain(`suppress/ignored-directive ${CODEX}`);
    expect(r.outputs['admitted-pairs'] ?? '').not.toContain('gpt-5.5');
  }, 120_000);
});

describe('bundled action: other events and redaction', () => {
  it("workflow_dispatch on an open pull request's head applies its change control", async () => {
    const change = { [QWEN]: cleanTree()[QWEN]!.replace('21:50:00', '21:55:00') };
    const repo = makeRepo(cleanTree(), change);
    repos.push(repo);
    const open = { ...prPayload(repo).pull_request, state: 'open' };
    const r = await runDist(repo, gh(repo, change, { reviews: [], pulls: [open] }), { comment: 'never' }, { eventName: 'workflow_dispatch', payload: { inputs: {} } });
    expect(r.code).toBe(1);
    expect(unapprovedAt(r).map((f) => f.file)).toEqual([QWEN]);
    expect(r.stdout).toContain('is the head of the open pull request #7');
  }, 120_000);

  it('a deleted file named after a token: the warning, the annotation and the summary never print it', async () => {
    const token = 'ghp_x9Kq2LmP7vR4tY8wZ1nB5cD3fG6hJ0sA2eU4';
    const named = `.sot/03-PROTOCOLS/CTO-CASE-MODEL-PROVIDER-ADMISSION.${token}.json`;
    const { repo, api } = pr({ [named]: null }, { base: { ...cleanTree(), [named]: cleanTree()[QWEN]! } });
    const r = await runDist(repo, api, { comment: 'never' });
    expect(r.stdout).toMatch(/^::warning title=sot-gate%3A governance file deleted,file=.*::.*is deleted by this pull request/m);
    expect(r.stdout + r.stderr + r.summary + JSON.stringify(r.outputs)).not.toContain(token);
  }, 120_000);

  it('fail-on: never over errors: the summary does not say passed', async () => {
    const { repo, api } = pr({ [CODEX]: readTree(EXAMPLE)[CODEX]! });
    const r = await runDist(repo, api, { comment: 'never', 'fail-on': 'never' });
    expect(r.code).toBe(0);
    expect(r.summary).toContain('⚠️ sot-gate: 3 errors found (not failing the check)');
    expect(r.summary).not.toContain('passed');
  }, 120_000);
});

describe('@github/local-action', () => {
  it('runs src/main.ts with a dotenv file (the documented local run)', () => {
    const env = path.join(tmp, 'local.env');
    writeFileSync(path.join(tmp, 'local-summary.md'), ''); // the job summary file must exist, as on a runner
    writeFileSync(env, readFileSync('.env.example', 'utf8').replace('INPUT_SARIF-FILE=reports/sot-gate.sarif', 'INPUT_SARIF-FILE=').replace('GITHUB_STEP_SUMMARY=reports/step-summary.md', `GITHUB_STEP_SUMMARY=${path.join(tmp, 'local-summary.md')}`));
    const out = execFileSync(path.resolve('node_modules/.bin/local-action'), ['.', 'src/main.ts', env], { encoding: 'utf8', timeout: 120_000, env: { ...process.env, NO_COLOR: '1' } });
    expect(out).toContain('::set-output name=errors::3');
    expect(out).toContain('::set-output name=stage2-ready::false');
    expect(out).toMatch(/::error title=admission\/implicit-fallback,file=examples\/cto\/\.sot\//);
    expect(readFileSync(path.join(tmp, 'local-summary.md'), 'utf8')).toContain('⚠️ sot-gate: 3 errors found (not failing the check)');
  }, 120_000);
});
