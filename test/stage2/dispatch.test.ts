import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createStage2Commands } from '../../src/cli/stage2.js';
import { dispatchStage2, type DispatchClient, type DispatchOptions, type WorkflowRun } from '../../src/engine/stage2/dispatch.js';
import { cleanup, cli, makeRepo, QWEN_ADMISSION } from './helpers.js';

afterEach(cleanup);

/** An Octokit RequestError look-alike, as recorded from the API. */
const apiError = (status: number, message: string) => Object.assign(new Error(message), { status, response: { status, data: { message } } });

const RUN: WorkflowRun = { id: 4242, html_url: 'https://github.com/o/r/actions/runs/4242', status: 'queued', conclusion: null, created_at: '2026-06-01T02:00:05Z', event: 'workflow_dispatch', head_branch: 'main' };

interface Recorded {
  calls: Array<{ method: string; params: Record<string, unknown> }>;
}

function fakeClient(script: {
  dispatch?: Array<() => { status: number; data: unknown }>;
  list?: Array<() => WorkflowRun[]>;
  get?: Array<() => WorkflowRun>;
}): DispatchClient & Recorded {
  const calls: Recorded['calls'] = [];
  const take = <T>(q: Array<() => T> | undefined, name: string): T => {
    const f = q?.length ? (q.length > 1 ? q.shift()! : q[0]!) : undefined;
    if (!f) throw new Error(`unexpected ${name}`);
    return f();
  };
  return {
    calls,
    rest: {
      actions: {
        createWorkflowDispatch: async (params) => (calls.push({ method: 'dispatch', params }), take(script.dispatch, 'dispatch')),
        listWorkflowRuns: async (params) => (calls.push({ method: 'list', params }), { data: { total_count: 0, workflow_runs: take(script.list, 'list') } }),
        getWorkflowRun: async (params) => (calls.push({ method: 'get', params }), { data: take(script.get, 'get') }),
      },
    },
  };
}

function opts(client: DispatchClient, over: Partial<DispatchOptions> = {}): DispatchOptions & { slept: number[] } {
  let t = Date.parse('2026-06-01T02:00:00Z');
  const slept: number[] = [];
  return {
    client,
    owner: 'o',
    repo: 'r',
    workflow: 'sot-gate-stage2.yml',
    ref: 'main',
    inputs: { 'admission-file': QWEN_ADMISSION, provider: 'qwen-local', model: 'qwen3.6-35b-a3b' },
    wait: false,
    timeoutMs: 60_000,
    now: () => new Date(t),
    sleep: async (ms) => {
      slept.push(ms);
      t += ms;
    },
    log: () => undefined,
    slept,
    ...over,
  };
}

describe('dispatchStage2 with recorded API responses', () => {
  it('200 with run details: uses them, no polling; sends return_run_details and the inputs on the ref', async () => {
    const c = fakeClient({ dispatch: [() => ({ status: 200, data: { workflow_run_id: 4242, run_url: 'https://api.github.com/repos/o/r/actions/runs/4242', html_url: RUN.html_url } })] });
    const out = await dispatchStage2(opts(c));
    expect(out).toMatchObject({ runId: 4242, runUrl: RUN.html_url, found: 'details' });
    expect(c.calls).toEqual([
      { method: 'dispatch', params: { owner: 'o', repo: 'r', workflow_id: 'sot-gate-stage2.yml', ref: 'main', return_run_details: true, inputs: { 'admission-file': QWEN_ADMISSION, provider: 'qwen-local', model: 'qwen3.6-35b-a3b' } } },
    ]);
  });

  it('204 without details: polls listWorkflowRuns (workflow_dispatch, branch, created since dispatch) until the run appears', async () => {
    const c = fakeClient({ dispatch: [() => ({ status: 204, data: undefined })], list: [() => [], () => [], () => [RUN]] });
    const o = opts(c, { ref: 'refs/heads/main' });
    const out = await dispatchStage2(o);
    expect(out).toMatchObject({ runId: 4242, runUrl: RUN.html_url, found: 'polling' });
    const lists = c.calls.filter((x) => x.method === 'list');
    expect(lists).toHaveLength(3);
    expect(lists[0]!.params).toMatchObject({ event: 'workflow_dispatch', branch: 'main', workflow_id: 'sot-gate-stage2.yml', created: '>=2026-06-01T01:59:50Z' });
    expect(o.slept.length).toBe(2);
  });

  it('204: an older run created before the dispatch is not taken; bounded tries end in not-found', async () => {
    const old = { ...RUN, id: 1, created_at: '2026-06-01T01:00:00Z' };
    const c = fakeClient({ dispatch: [() => ({ status: 204, data: undefined })], list: [() => [old]] });
    const out = await dispatchStage2(opts(c, { findTries: 4 }));
    expect(out.found).toBe('not-found');
    expect(out.runId).toBeUndefined();
    expect(c.calls.filter((x) => x.method === 'list')).toHaveLength(4);
  });

  it('404: the message names the missing workflow', async () => {
    const c = fakeClient({ dispatch: [() => { throw apiError(404, 'Not Found'); }] });
    await expect(dispatchStage2(opts(c))).rejects.toThrow(/workflow sot-gate-stage2\.yml not found in o\/r \(HTTP 404\)/);
  });

  it('403: the message names the missing actions: write permission', async () => {
    const c = fakeClient({ dispatch: [() => { throw apiError(403, 'Resource not accessible by integration'); }] });
    await expect(dispatchStage2(opts(c))).rejects.toThrow(/actions: write/);
  });

  it('a GHES that rejects return_run_details: retried once without it', async () => {
    const c = fakeClient({ dispatch: [() => { throw apiError(422, 'Invalid request. "return_run_details" is not a permitted key.'); }, () => ({ status: 204, data: undefined })], list: [() => [RUN]] });
    const out = await dispatchStage2(opts(c));
    expect(out.runId).toBe(4242);
    const d = c.calls.filter((x) => x.method === 'dispatch');
    expect(d[1]!.params.return_run_details).toBeUndefined();
  });

  it('wait: polls getWorkflowRun with backoff until completed and returns the conclusion', async () => {
    const c = fakeClient({
      dispatch: [() => ({ status: 200, data: { workflow_run_id: 4242, html_url: RUN.html_url } })],
      get: [() => ({ ...RUN, status: 'in_progress' }), () => ({ ...RUN, status: 'in_progress' }), () => ({ ...RUN, status: 'completed', conclusion: 'failure' })],
    });
    const o = opts(c, { wait: true });
    const out = await dispatchStage2(o);
    expect(out).toMatchObject({ runId: 4242, conclusion: 'failure' });
    expect(o.slept).toEqual([5_000, 10_000]);
  });

  it('wait with a time limit: fails with a clear message naming the run and its last status', async () => {
    const c = fakeClient({ dispatch: [() => ({ status: 200, data: { workflow_run_id: 4242, html_url: RUN.html_url } })], get: [() => ({ ...RUN, status: 'in_progress' })] });
    const o = opts(c, { wait: true, timeoutMs: 60_000 });
    await expect(dispatchStage2(o)).rejects.toThrow(`run 4242 did not complete within 1 minute (last status: in_progress): it keeps running; see ${RUN.html_url}`);
    expect(o.slept.reduce((a, b) => a + b, 0)).toBe(60_000);
  });
});

describe('sot-gate dispatch (CLI)', () => {
  const env = { GITHUB_TOKEN: 'test-token', GITHUB_REPOSITORY: 'o/r' };

  it('not stage2-ready: exit 1, no API call', async () => {
    const root = await makeRepo();
    const file = path.join(root, QWEN_ADMISSION);
    await writeFile(file, (await readFile(file, 'utf8')).replace('"admitted"', '"revoked"'));
    const c = fakeClient({});
    const cmd = createStage2Commands({ octokit: () => c }).dispatch!;
    let stdout = '';
    const code = await cmd(['--workflow', 'sot-gate-stage2.yml', '--ref', 'main', '--admission-file', QWEN_ADMISSION], { cwd: root, env, stdout: (s) => void (stdout += s), stderr: () => undefined });
    expect(code).toBe(1);
    expect(stdout).toContain('not stage2-ready');
    expect(stdout).toContain('does not admit a pair');
    expect(c.calls).toEqual([]);
  });

  it('stage2-ready: dispatches with the pair read from the admission file, waits, prints run id, url, conclusion', async () => {
    const root = await makeRepo();
    const c = fakeClient({ dispatch: [() => ({ status: 200, data: { workflow_run_id: 4242, html_url: RUN.html_url } })], get: [() => ({ ...RUN, status: 'completed', conclusion: 'success' })] });
    const cmd = createStage2Commands({ octokit: () => c, sleep: async () => undefined }).dispatch!;
    let stdout = '';
    const code = await cmd(['--workflow', 'sot-gate-stage2.yml', '--ref', 'main', '--admission-file', QWEN_ADMISSION, '--wait', '--format', 'json'], { cwd: root, env, stdout: (s) => void (stdout += s), stderr: () => undefined });
    expect(code).toBe(0);
    expect(JSON.parse(stdout)).toMatchObject({ status: 'dispatched', run_id: 4242, run_url: RUN.html_url, conclusion: 'success' });
    expect(c.calls[0]!.params.inputs).toEqual({ 'admission-file': QWEN_ADMISSION, provider: 'qwen-local', model: 'qwen3.6-35b-a3b' });
  });

  it('through runCli and the real Octokit against a recorded API on 127.0.0.1 (GITHUB_API_URL): 403 -> exit 2 naming actions: write', async () => {
    const root = await makeRepo();
    const seen: string[] = [];
    const server = createServer((req, res) => {
      seen.push(`${req.method} ${req.url} ${req.headers.authorization ?? ''}`);
      res.writeHead(403, { 'content-type': 'application/json' }).end(JSON.stringify({ message: 'Resource not accessible by integration', status: '403' }));
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const { port } = server.address() as AddressInfo;
    try {
      const r = await cli(['dispatch', '--workflow', 'sot-gate-stage2.yml', '--ref', 'main', '--admission-file', QWEN_ADMISSION], root, { ...env, GITHUB_API_URL: `http://127.0.0.1:${port}` });
      expect(seen).toEqual(['POST /repos/o/r/actions/workflows/sot-gate-stage2.yml/dispatches token test-token']);
      expect(r.code).toBe(2);
      expect(r.stderr).toContain('actions: write');
      expect(r.stderr).not.toContain('test-token');
    } finally {
      server.close();
    }
  });

  it('argument errors: exit 2', async () => {
    const root = await makeRepo();
    expect((await cli(['dispatch', '--ref', 'main', '--admission-file', QWEN_ADMISSION], root, env)).code).toBe(2);
    expect((await cli(['dispatch', '--workflow', 'w.yml', '--ref', 'main', '--admission-file', QWEN_ADMISSION], root, { GITHUB_REPOSITORY: 'o/r' })).stderr).toContain('GITHUB_TOKEN');
    expect((await cli(['dispatch', '--workflow', 'w.yml', '--ref', 'main', '--admission-file', QWEN_ADMISSION, '--timeout-minutes', '-1'], root, env)).code).toBe(2);
    expect((await cli(['dispatch', '--workflow', 'w.yml', '--ref', 'main', '--admission-file', QWEN_ADMISSION, '--repo', 'nope'], root, env)).code).toBe(2);
  });
});
