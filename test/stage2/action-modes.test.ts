/** The Stage 2 action modes through run() with a recording core (test/fixtures/core.ts) and real files. */
import { appendFile, mkdir, readFile, rename, stat, symlink, writeFile } from 'node:fs/promises';
import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { run } from '../../src/main.js';
import type { Octokit } from '../../src/action/deps.js';
import { fakeCore, fakeDeps } from '../fixtures/core.js';
import { runHarness, type Scenario } from './harness/harness.js';
import { cleanup, makeRepo, modelServer, QWEN_ADMISSION, qwenEnv, readAll, tempDir } from './helpers.js';

afterEach(cleanup);

// Built at run time so this file itself holds no key-shaped literal.
const KEY = ['sk', 'Zq8Rt2Lm5Np7Vx9Wb3Yc6Hd1Jf4Kg8Ts0Uv2Ew5Fz7Gh9Ai'].join('-');

describe('mode: preflight', () => {
  it('admitted: outputs the pair, masks the endpoint first, fetches with deps.fetch', async () => {
    const root = await makeRepo();
    const runDir = path.join(await tempDir(), 'run');
    const srv = await modelServer('list');
    try {
      const { core, rec } = fakeCore({ mode: 'preflight', 'run-dir': runDir });
      const deps = { ...fakeDeps({ core, cwd: root }), env: qwenEnv(srv.base), fetch: globalThis.fetch };
      await run(deps);
      expect(rec.failed).toBeUndefined();
      expect(rec.outputs).toMatchObject({ status: 'admitted', case_model_provider: 'qwen-local', case_model: 'qwen3.6-35b-a3b', case_model_admission_status: 'admitted' });
      expect(rec.secrets).toEqual(expect.arrayContaining([srv.base, srv.host]));
      expect(rec.summary).toContain('sot-gate preflight: admitted');
      const everything = JSON.stringify(rec) + JSON.stringify(await readAll(runDir));
      // the masked values are recorded in rec.secrets only
      expect(everything.split(srv.host).length - 1).toBe(rec.secrets.filter((s) => s.includes(srv.host)).length);
    } finally {
      await srv.close();
    }
  });

  it('blocked: the step fails naming the status and marker; the endpoint is not probed for a mismatch', async () => {
    const root = await makeRepo();
    const runDir = path.join(await tempDir(), 'run');
    const { core, rec } = fakeCore({ mode: 'preflight', 'run-dir': runDir });
    let fetched = 0;
    const deps = { ...fakeDeps({ core, cwd: root }), env: { ...qwenEnv('http://127.0.0.1:9/v1'), CTO_HARNESS_CASE_MODEL: 'gpt-5.5' }, fetch: (() => (fetched++, Promise.reject(new Error('x')))) as typeof fetch };
    await run(deps);
    expect(rec.failed).toMatch(/blocked before case_process_started \(case_model_admission_status mismatch\).*provider-model-not-admitted\.txt/);
    expect(rec.outputs.case_model_admission_status).toBe('mismatch');
    expect(fetched).toBe(0);
    expect(rec.failed).not.toContain('127.0.0.1');
  });

  it('case-data-dir is relative to the run directory, as CASE_DATA_DIR is (not to the workspace)', async () => {
    const root = await makeRepo();
    const runDir = path.join(await tempDir(), 'run');
    const srv = await modelServer('list');
    try {
      const { core, rec } = fakeCore({ mode: 'preflight', 'run-dir': runDir, 'case-data-dir': 'data' });
      await run({ ...fakeDeps({ core, cwd: root }), env: qwenEnv(srv.base), fetch: globalThis.fetch });
      expect(rec.failed).toBeUndefined();
      expect(JSON.parse(await readFile(path.join(runDir, 'data/config.json'), 'utf8'))).toEqual({ models: { default: 'qwen3.6-35b-a3b', provider: 'qwen-local' } });
      await expect(stat(path.join(root, 'data'))).rejects.toThrow(/ENOENT/);
    } finally {
      await srv.close();
    }
  });

  it('the admission-file input overrides the variable; a missing run-dir input fails clearly', async () => {
    const root = await makeRepo();
    const { core, rec } = fakeCore({ mode: 'preflight' });
    await run({ ...fakeDeps({ core, cwd: root }), env: qwenEnv() });
    expect(rec.failed).toContain('needs the run-dir input');
    const runDir = path.join(await tempDir(), 'run');
    const second = fakeCore({ mode: 'preflight', 'run-dir': runDir, 'admission-file': '.sot/missing.json' });
    await run({ ...fakeDeps({ core: second.core, cwd: root }), env: qwenEnv() });
    expect(second.rec.outputs.case_model_admission_status).toBe('missing_admission');
  });
});

describe('mode: verify-evidence', () => {
  async function harnessRun(scenario: Scenario) {
    const root = await makeRepo();
    const runDir = path.join(root, 'runs', 'r1');
    const srv = await modelServer('list');
    const env = qwenEnv(srv.base);
    try {
      const { core } = fakeCore({ mode: 'preflight', 'run-dir': runDir });
      await run({ ...fakeDeps({ core, cwd: root }), env, fetch: globalThis.fetch });
    } finally {
      await srv.close();
    }
    await runHarness({ runDir, env, scenario });
    return { root, runDir, env };
  }

  it('a good run: success, summary with the evidence block', async () => {
    const { root, env } = await harnessRun('pass');
    const { core, rec } = fakeCore({ mode: 'verify-evidence', 'run-dir': 'runs/r1', 'sarif-file': 'out/evidence.sarif' });
    await run({ ...fakeDeps({ core, cwd: root }), env });
    expect(rec.failed).toBeUndefined();
    expect(rec.outputs).toMatchObject({ errors: '0', conclusion: 'success' });
    expect(rec.summary).toContain('- Run artifact directory: `runs/r1`.');
    expect(rec.summary).toContain('- Report status: `pass`.');
    expect((await readAll(path.join(root, 'out')))['evidence.sarif']).toContain('"version": "2.1.0"');
  });

  it('a pass with another model: failure, annotations at the artifacts (workspace-relative)', async () => {
    const { root, env } = await harnessRun('pass-other-model');
    const { core, rec } = fakeCore({ mode: 'verify-evidence', 'run-dir': 'runs/r1' });
    await run({ ...fakeDeps({ core, cwd: root }), env });
    expect(rec.failed).toMatch(/does not verify/);
    expect(rec.outputs.conclusion).toBe('failure');
    const errs = rec.annotations.filter((a) => a.level === 'error');
    expect(errs.map((a) => a.props?.title)).toEqual(expect.arrayContaining(['evidence/pass-not-admitted', 'evidence/model-outside-pair']));
    expect(errs.find((a) => a.props?.title === 'evidence/pass-not-admitted')?.props?.file).toBe('runs/r1/report.json');
  });

  it('case-data-dir points verify-evidence at the Case config, relative to the run directory', async () => {
    const { root, runDir, env } = await harnessRun('pass');
    await mkdir(path.join(runDir, 'data'), { recursive: true });
    await rename(path.join(runDir, 'case-data/config.json'), path.join(runDir, 'data/config.json'));
    await writeFile(path.join(runDir, 'data/config.json'), JSON.stringify({ models: { default: 'gpt-4o', provider: 'qwen-local' } }) + '\n');
    const without = fakeCore({ mode: 'verify-evidence', 'run-dir': 'runs/r1', 'fail-on': 'never' });
    await run({ ...fakeDeps({ core: without.core, cwd: root }), env });
    // Without it, the default place holds no config: a pass without its Case config does not verify.
    expect(JSON.parse(without.rec.outputs.findings!).map((f: { ruleId: string; file: string }) => `${f.ruleId} ${f.file}`)).toEqual(['evidence/config-model runs/r1/case-data/config.json']);
    const withDir = fakeCore({ mode: 'verify-evidence', 'run-dir': 'runs/r1', 'case-data-dir': 'data', 'fail-on': 'never' });
    await run({ ...fakeDeps({ core: withDir.core, cwd: root }), env });
    expect(JSON.parse(withDir.rec.outputs.findings!).map((f: { ruleId: string; file: string }) => `${f.ruleId} ${f.file}`)).toContain('evidence/config-model runs/r1/data/config.json');
  });

  it('a good run: exposures 0, the findings whole, no warning', async () => {
    const { root, env } = await harnessRun('pass');
    const { core, rec } = fakeCore({ mode: 'verify-evidence', 'run-dir': 'runs/r1' });
    await run({ ...fakeDeps({ core, cwd: root }), env });
    expect(rec.outputs).toMatchObject({ errors: '0', exposures: '0', findings: '[]' });
    expect(rec.annotations.filter((a) => a.level === 'warning')).toEqual([]);
  });

  it('3,000 earlier findings and one secret: findings is cut with a warning, exposures says 1', async () => {
    const { root, runDir, env } = await harnessRun('pass');
    // 3,000 silent-fallback lines, each another model (evidence/model-outside-pair), then a line with a key: sorted by
    // file and line, the secret comes last and falls out of the cut findings output.
    const lines = Array.from({ length: 3000 }, (_, i) => JSON.stringify({ event: 'llm_request', ts: '2026-06-01T02:01:18Z', model: `qwen3-coder-30b-${i}` }));
    await appendFile(path.join(runDir, 'trace.jsonl'), lines.join('\n') + '\n');
    await appendFile(path.join(runDir, 'trace.jsonl'), JSON.stringify({ event: 'llm_request', ts: '2026-06-01T02:01:19Z', headers: { authorization: `Bearer ${KEY}` } }) + '\n');
    const { core, rec } = fakeCore({ mode: 'verify-evidence', 'run-dir': 'runs/r1', 'sarif-file': 'out/evidence.sarif' });
    await run({ ...fakeDeps({ core, cwd: root }), env });
    expect(Number(rec.outputs.errors)).toBeGreaterThan(3000);
    const listed = JSON.parse(rec.outputs.findings!) as Array<{ ruleId: string }>;
    expect(listed.length).toBeLessThan(Number(rec.outputs.errors));
    expect(listed.some((f) => f.ruleId.startsWith('secret/'))).toBe(false);
    expect(rec.outputs.exposures).toBe('1');
    expect(rec.outputs.conclusion).toBe('failure');
    const warnings = rec.annotations.filter((a) => a.level === 'warning' && !a.props?.title).map((a) => a.message);
    expect(warnings).toEqual([expect.stringMatching(new RegExp(`the \`findings\` output lists the first ${listed.length} of ${rec.outputs.errors} findings.*the SARIF file has them all.*\`exposures\` output \\(1\\)`))]);
    const sarif = JSON.parse(await readFile(path.join(root, 'out/evidence.sarif'), 'utf8')) as { runs: Array<{ results: Array<{ ruleId: string }> }> };
    expect(sarif.runs[0]!.results.filter((r) => r.ruleId.startsWith('secret/'))).toHaveLength(1);
    expect(JSON.stringify(rec)).not.toContain(KEY);
  }, 30_000);

  it('exposures counts a secret and the endpoint value, and a secret the run directory itself marked allowed', async () => {
    for (const scenario of ['secret-in-log', 'endpoint-in-log'] as const) {
      const { root, env } = await harnessRun(scenario);
      const { core, rec } = fakeCore({ mode: 'verify-evidence', 'run-dir': 'runs/r1', 'fail-on': 'never' });
      await run({ ...fakeDeps({ core, cwd: root }), env });
      expect(Number(rec.outputs.exposures), scenario).toBeGreaterThanOrEqual(1);
    }
    // An allow comment in an artifact was written by the harness (or the agent), not accepted by a reviewer.
    const { root, runDir, env } = await harnessRun('pass');
    await writeFile(path.join(runDir, 'backend/case-stdout.log'), `debug: key: ${KEY} sot-gate:allow secret/* -- fine\n`);
    const { core, rec } = fakeCore({ mode: 'verify-evidence', 'run-dir': 'runs/r1', 'fail-on': 'never' });
    await run({ ...fakeDeps({ core, cwd: root }), env });
    expect(rec.outputs.errors).toBe('0');
    expect(rec.outputs.exposures).toBe('1');
  });

  it('exposures counts a symbolic link in the run directory: the scan never reads through it, an upload would', async () => {
    const { root, runDir, env } = await harnessRun('pass');
    const outside = path.join(await tempDir(), 'credentials');
    await writeFile(outside, `key: ${KEY}\n`);
    await symlink(outside, path.join(runDir, 'backend/credentials.log'));
    const { core, rec } = fakeCore({ mode: 'verify-evidence', 'run-dir': 'runs/r1', 'fail-on': 'never' });
    await run({ ...fakeDeps({ core, cwd: root }), env });
    expect(rec.outputs.exposures).toBe('1');
    expect(JSON.stringify(rec)).not.toContain(KEY);
  });

  it('a SARIF file that cannot be written: outputs and summary first, then a failure naming the input, not the absolute path', async () => {
    const { root, env } = await harnessRun('pass');
    await writeFile(path.join(root, 'out'), 'a file where the SARIF directory should be\n');
    const { core, rec } = fakeCore({ mode: 'verify-evidence', 'run-dir': 'runs/r1', 'sarif-file': 'out/evidence.sarif' });
    await run({ ...fakeDeps({ core, cwd: root }), env });
    expect(rec.failed).toBe('sot-gate: cannot write the SARIF file (input sarif-file: out/evidence.sarif): EEXIST');
    expect(rec.failed).not.toContain(root);
    expect(rec.outputs).toMatchObject({ errors: '0', exposures: '0', conclusion: 'success', findings: '[]' });
    expect(rec.summary).toContain('sot-gate verify-evidence: 0 errors');
    expect((await stat(path.join(root, 'out'))).isFile()).toBe(true);
  });

  it('a SARIF problem and failing evidence: both in the failure', async () => {
    const { root, env } = await harnessRun('pass-other-model');
    await writeFile(path.join(root, 'out'), 'x\n');
    const { core, rec } = fakeCore({ mode: 'verify-evidence', 'run-dir': 'runs/r1', 'sarif-file': 'out/evidence.sarif' });
    await run({ ...fakeDeps({ core, cwd: root }), env });
    expect(rec.failed).toMatch(/does not verify: .*; cannot write the SARIF file \(input sarif-file: out\/evidence\.sarif\): EEXIST$/);
    expect(rec.outputs.conclusion).toBe('failure');
  });

  it('fail-on never reports without failing', async () => {
    const { root, env } = await harnessRun('pass-other-model');
    const { core, rec } = fakeCore({ mode: 'verify-evidence', 'run-dir': 'runs/r1', 'fail-on': 'never' });
    await run({ ...fakeDeps({ core, cwd: root }), env });
    expect(rec.failed).toBeUndefined();
    expect(Number(rec.outputs.errors)).toBeGreaterThan(0);
  });
});

describe('mode: dispatch', () => {
  const octokitWith = (handler: (params: Record<string, unknown>) => { status: number; data: unknown }) =>
    (() => ({
      paginate: async () => [], // repos.listPullRequestsAssociatedWithCommit: the commit heads no open pull request
      rest: {
        repos: {
          listPullRequestsAssociatedWithCommit: async () => ({ data: [] }),
          compareCommitsWithBasehead: async (p: { basehead: string }) => ({ data: { merge_base_commit: { sha: p.basehead.split('...')[0] } } }),
        },
        actions: {
          createWorkflowDispatch: async (p: Record<string, unknown>) => handler(p),
          listWorkflowRuns: async () => ({ data: { workflow_runs: [] } }),
          getWorkflowRun: async () => ({ data: {} }),
        },
      },
    })) as unknown as () => Octokit;

  /** The example repository as a git checkout; returns its HEAD commit. */
  const commitRepo = (root: string): string => {
    const g = (...args: string[]) => execFileSync('git', ['-c', 'user.name=t', '-c', 'user.email=t@example.invalid', ...args], { cwd: root, encoding: 'utf8' }).trim();
    g('init', '-q');
    g('add', '-A');
    g('commit', '-qm', 'tree');
    return g('rev-parse', 'HEAD');
  };

  it('on a pull request, a checkout that is not the pull request fails before any API call', async () => {
    const root = await makeRepo();
    commitRepo(root);
    const { core, rec } = fakeCore({ mode: 'dispatch', workflow: 'sot-gate-stage2.yml', 'admission-file': QWEN_ADMISSION });
    let called = false;
    await run(
      fakeDeps({
        core,
        cwd: root,
        eventName: 'pull_request',
        payload: { pull_request: { number: 7, head: { sha: 'a'.repeat(40), ref: 'feature/x' }, base: { sha: 'b'.repeat(40) } } },
        octokit: () => ((called = true), ({} as Octokit)),
      }),
    );
    expect(rec.failed).toMatch(/the checkout is not the pull request's tree/);
    expect(called).toBe(false);
  });

  it('stage2-ready: dispatches on the PR head branch, outputs run-id and run-url', async () => {
    const root = await makeRepo();
    const head = commitRepo(root);
    const sent: Array<Record<string, unknown>> = [];
    const { core, rec } = fakeCore({ mode: 'dispatch', workflow: 'sot-gate-stage2.yml', 'admission-file': QWEN_ADMISSION });
    const deps = fakeDeps({
      core,
      cwd: root,
      eventName: 'pull_request',
      payload: { pull_request: { number: 7, head: { sha: head, ref: 'feature/x' }, base: { sha: head } } },
      octokit: octokitWith((p) => (sent.push(p), { status: 200, data: { workflow_run_id: 99, html_url: 'https://github.com/acme/governance/actions/runs/99' } })),
    });
    await run(deps);
    expect(rec.failed).toBeUndefined();
    expect(sent[0]).toMatchObject({ owner: 'acme', repo: 'governance', ref: 'feature/x', inputs: { 'admission-file': QWEN_ADMISSION, provider: 'qwen-local', model: 'qwen3.6-35b-a3b' } });
    expect(rec.outputs).toMatchObject({ 'run-id': '99', 'run-url': 'https://github.com/acme/governance/actions/runs/99', 'stage2-ready': 'true' });
  });

  it('403 from the API: the step fails naming actions: write', async () => {
    const root = await makeRepo();
    const { core, rec } = fakeCore({ mode: 'dispatch', workflow: 'sot-gate-stage2.yml', 'admission-file': QWEN_ADMISSION });
    const deps = fakeDeps({
      core,
      cwd: root,
      octokit: octokitWith(() => {
        throw Object.assign(new Error('Resource not accessible by integration'), { status: 403 });
      }),
    });
    await run(deps);
    expect(rec.failed).toContain('actions: write');
  });

  it('not stage2-ready: fails before any API call', async () => {
    const root = await makeRepo();
    const { core, rec } = fakeCore({ mode: 'dispatch', workflow: 'sot-gate-stage2.yml', 'admission-file': '.sot/none.json' });
    let called = false;
    await run(fakeDeps({ core, cwd: root, octokit: () => ((called = true), ({} as Octokit)) }));
    expect(rec.failed).toContain('not stage2-ready');
    expect(rec.outputs['stage2-ready']).toBe('false');
    expect(called).toBe(false);
  });
});
