/**
 * End to end on the runner's side: the bundled action (dist/index.js) run as a node24 action is run — INPUT_* from
 * action.yml's defaults, GITHUB_OUTPUT / GITHUB_STEP_SUMMARY files — in `mode: preflight` against a loopback
 * OpenAI-compatible server, then the reference harness, then `mode: verify-evidence` over what it wrote.
 */
import { execFile, execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import YAML from 'yaml';
import { runHarness } from './harness/harness.js';
import { cleanup, makeRepo, modelServer, qwenEnv, readAll, tempDir } from './helpers.js';

const DIST = path.resolve('dist/index.js');
beforeAll(() => {
  if (!existsSync(DIST)) execFileSync(process.execPath, ['scripts/bundle.mjs'], { stdio: 'inherit' });
}, 300_000);
afterEach(cleanup);

function inputs(withInputs: Record<string, string>): Record<string, string> {
  const action = YAML.parse(readFileSync('action.yml', 'utf8')) as { inputs: Record<string, { default?: string }> };
  const env: Record<string, string> = {};
  for (const [name, spec] of Object.entries(action.inputs)) env[`INPUT_${name.toUpperCase()}`] = name === 'token' ? '' : String(spec.default ?? '');
  for (const [k, v] of Object.entries(withInputs)) env[`INPUT_${k.toUpperCase()}`] = v;
  return env;
}

async function action(repo: string, withInputs: Record<string, string>, extraEnv: Record<string, string | undefined>) {
  const dir = await tempDir('sot-gate-e2e-step-');
  const files = { output: path.join(dir, 'output'), summary: path.join(dir, 'summary.md') };
  writeFileSync(files.output, '');
  writeFileSync(files.summary, '');
  const env = {
    PATH: process.env.PATH ?? '',
    ...inputs(withInputs),
    ...Object.fromEntries(Object.entries(extraEnv).filter(([, v]) => v !== undefined)),
    GITHUB_ACTIONS: 'true',
    GITHUB_EVENT_NAME: 'workflow_dispatch',
    GITHUB_REPOSITORY: 'acme/governance',
    GITHUB_WORKSPACE: repo,
    GITHUB_OUTPUT: files.output,
    GITHUB_STEP_SUMMARY: files.summary,
    RUNNER_TEMP: dir,
  } as Record<string, string>;
  const r = await new Promise<{ code: number; stdout: string; stderr: string }>((resolve) =>
    execFile(process.execPath, [DIST], { cwd: repo, env, timeout: 60_000 }, (err, stdout, stderr) => resolve({ code: err ? ((err as { code?: number }).code ?? 1) : 0, stdout, stderr })),
  );
  const outputs: Record<string, string> = {};
  for (const m of readFileSync(files.output, 'utf8').matchAll(/^([^\n<]+)<<(\S+)\n([\s\S]*?)\n\2$/gm)) outputs[m[1]!] = m[3]!;
  return { ...r, outputs, summary: readFileSync(files.summary, 'utf8') };
}

describe('bundled action: preflight → harness → verify-evidence', () => {
  it('admitted: config.json with the admitted model, a passing run verified, the endpoint never written', async () => {
    const repo = await makeRepo();
    const server = await modelServer('list');
    try {
      const runDir = path.join(repo, 'runs', 'r1');
      const env = qwenEnv(server.base);
      const pre = await action(repo, { mode: 'preflight', 'run-dir': 'runs/r1' }, env);
      expect(pre.code, pre.stdout).toBe(0);
      expect(pre.outputs).toMatchObject({ case_model_provider: 'qwen-local', case_model: 'qwen3.6-35b-a3b', case_model_admission_status: 'admitted' });
      expect(JSON.parse(readFileSync(path.join(runDir, 'case-data', 'config.json'), 'utf8')).models.default).toBe('qwen3.6-35b-a3b');
      expect(server.hits()).toBe(1);

      await runHarness({ runDir, env, scenario: 'pass' });
      const ver = await action(repo, { mode: 'verify-evidence', 'run-dir': 'runs/r1' }, env);
      expect(ver.code, ver.stdout).toBe(0);
      expect(ver.outputs.errors).toBe('0');

      const stdoutWithoutMasks = [pre.stdout, ver.stdout].join('\n').split('\n').filter((l) => !l.startsWith('::add-mask::')).join('\n');
      expect(stdoutWithoutMasks).not.toContain(server.host);
      expect(pre.stdout).toContain(`::add-mask::${server.base}`);
      for (const [file, text] of Object.entries(await readAll(runDir))) expect(text, file).not.toContain(server.host);
    } finally {
      await server.close();
    }
  });

  it('blocked: the endpoint does not serve the admitted model → exit 1, marker, trace event, no config.json; verify-evidence accepts the blocked run', async () => {
    const repo = await makeRepo();
    const server = await modelServer('missing');
    try {
      const runDir = path.join(repo, 'runs', 'r2');
      const env = qwenEnv(server.base);
      const pre = await action(repo, { mode: 'preflight', 'run-dir': 'runs/r2' }, env);
      expect(pre.code).toBe(1);
      expect(pre.stdout).toMatch(/^::error::sot-gate: .*qwen3\.6-35b-a3b/m);
      expect(existsSync(path.join(runDir, 'backend', 'provider-model-not-served.txt'))).toBe(true);
      expect(existsSync(path.join(runDir, 'case-data', 'config.json'))).toBe(false);
      expect(readFileSync(path.join(runDir, 'trace.jsonl'), 'utf8')).toContain('"case_model_admission_blocked"');
      const ver = await action(repo, { mode: 'verify-evidence', 'run-dir': 'runs/r2' }, env);
      expect(ver.code, ver.stdout).toBe(0);
    } finally {
      await server.close();
    }
  });

  it('a run that claims a pass with another model fails verify-evidence with annotations', async () => {
    const repo = await makeRepo();
    const server = await modelServer('list');
    try {
      const runDir = path.join(repo, 'runs', 'r3');
      const env = qwenEnv(server.base);
      expect((await action(repo, { mode: 'preflight', 'run-dir': 'runs/r3' }, env)).code).toBe(0);
      await runHarness({ runDir, env, scenario: 'pass-other-model' });
      const ver = await action(repo, { mode: 'verify-evidence', 'run-dir': 'runs/r3' }, env);
      expect(ver.code).toBe(1);
      expect(ver.stdout).toMatch(/^::error title=evidence\//m);
      expect(Number(ver.outputs.errors)).toBeGreaterThan(0);
    } finally {
      await server.close();
    }
  });
});
