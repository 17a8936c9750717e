/** The Stage 2 action modes through run() with a recording core (test/fixtures/core.ts) and real files. */
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { run } from '../../src/main.js';
import type { Octokit } from '../../src/action/deps.js';
import { fakeCore, fakeDeps } from '../fixtures/core.js';
import { runHarness } from './harness/harness.js';
import { cleanup, makeRepo, modelServer, QWEN_ADMISSION, qwenEnv, readAll, tempDir } from './helpers.js';

afterEach(cleanup);

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
  async function harnessRun(scenario: 'pass' | 'pass-other-model') {
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
      rest: {
        actions: {
          createWorkflowDispatch: async (p: Record<string, unknown>) => handler(p),
          listWorkflowRuns: async () => ({ data: { workflow_runs: [] } }),
          getWorkflowRun: async () => ({ data: {} }),
        },
      },
    })) as unknown as () => Octokit;

  it('stage2-ready: dispatches on the PR head branch, outputs run-id and run-url', async () => {
    const root = await makeRepo();
    const sent: Array<Record<string, unknown>> = [];
    const { core, rec } = fakeCore({ mode: 'dispatch', workflow: 'sot-gate-stage2.yml', 'admission-file': QWEN_ADMISSION });
    const deps = fakeDeps({
      core,
      cwd: root,
      eventName: 'pull_request',
      payload: { pull_request: { number: 7, head: { sha: 'a'.repeat(40), ref: 'feature/x' }, base: { sha: 'b'.repeat(40) } } },
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
