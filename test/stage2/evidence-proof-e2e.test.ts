/**
 * End to end through the bundled CLI (dist/cli.js, `npm run bundle`): `preflight` against a loopback
 * OpenAI-compatible server, the reference harness with an injected fault, `verify-evidence --format json`. Each gap of
 * "Stage 2 evidence that proves what it claims" fails verify-evidence at its file and line, the clean run passes, and
 * preflight leaves files it did not create byte-identical.
 */
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { runHarness, type Scenario } from './harness/harness.js';
import { cleanup, makeRepo, modelServer, qwenEnv, tempDir } from './helpers.js';

const CLI = path.resolve('dist/cli.js');

function cli(args: string[], cwd: string, env: Record<string, string | undefined>): Promise<{ code: number; stdout: string; stderr: string }> {
  const clean = Object.fromEntries(Object.entries({ PATH: process.env.PATH ?? '', ...env }).filter(([, v]) => v !== undefined)) as Record<string, string>;
  return new Promise((resolve) =>
    execFile(process.execPath, [CLI, ...args], { cwd, env: clean, timeout: 120_000 }, (err, stdout, stderr) =>
      resolve({ code: err ? ((err as { code?: number }).code ?? 1) : 0, stdout, stderr }),
    ),
  );
}

let srv: Awaited<ReturnType<typeof modelServer>>;
beforeAll(async () => {
  if (!existsSync(CLI)) throw new Error('dist/cli.js is missing: run npm run bundle');
  srv = await modelServer('list');
});
afterAll(() => srv.close());
afterEach(cleanup);

interface JsonFinding {
  ruleId: string;
  file: string;
  line: number;
  message: string;
}

async function scenario(s: Scenario) {
  const root = await makeRepo();
  const parent = await tempDir('sot-gate-e2e-runs-');
  const runDir = path.join(parent, 'r1');
  const env = qwenEnv(srv.base);
  const pre = await cli(['preflight', '--run-dir', runDir, '--root', root, '--format', 'json'], root, env);
  expect(pre.code, pre.stderr).toBe(0);
  await runHarness({ runDir, env, scenario: s, runId: 'r1' });
  const ver = await cli(['verify-evidence', runDir, '--root', root, '--format', 'json'], parent, env);
  const out = JSON.parse(ver.stdout) as { findings: JsonFinding[]; suppressed: unknown[]; notes?: string[] };
  return { ...ver, ...out, runDir, at: (id: string) => out.findings.filter((f) => f.ruleId === id).map((f) => `${f.file}:${f.line}`) };
}

describe('dist/cli.js: preflight → harness → verify-evidence', () => {
  it('the clean run verifies with no finding (exit 0)', async () => {
    const r = await scenario('pass');
    expect(r.findings).toEqual([]);
    expect(r.code).toBe(0);
  });

  const cases: Array<[Scenario, string, string[]]> = [
    ['baseline-fail', 'evidence/baseline-comparison', ['r1/report.json:11']],
    ['other-fixture', 'evidence/fixture-not-allowed', ['r1/report.json:3', 'r1/report.json:11', 'r1/trace.jsonl:2']],
    ['stdout-switch', 'evidence/model-outside-pair', ['r1/backend/case-stdout.log:2', 'r1/backend/case-stdout.log:2']],
    ['argv-secret', 'secret/key-name', ['r1/backend/case-command.json:2']],
    ['duplicate-model-key', 'evidence/trace-invalid', ['r1/trace.jsonl:5']],
    ['config-fallback', 'evidence/config-model', ['r1/case-data/config.json:2']],
    ['gzip-secret', 'secret/openai', ['r1/backend/case-debug.log.gz!:2']],
    ['allow-in-log', 'secret/openai', ['r1/backend/case-stdout.log:4']],
  ];
  for (const [s, ruleId, where] of cases) {
    it(`${s}: ${ruleId} at ${where.join(', ')}, exit 1`, async () => {
      const r = await scenario(s);
      expect(r.code).toBe(1);
      expect(r.at(ruleId)).toEqual(where);
      expect(r.suppressed).toEqual([]);
      expect(r.stdout).not.toContain('Qm7vR2xL9pK4wZ8tAb3dE5fG1hJ2kL3m');
    });
  }

  it('a binary artifact is evidence/unscannable, not a "skipped" note', async () => {
    const root = await makeRepo();
    const parent = await tempDir('sot-gate-e2e-runs-');
    const runDir = path.join(parent, 'r1');
    const env = qwenEnv(srv.base);
    expect((await cli(['preflight', '--run-dir', runDir, '--root', root], root, env)).code).toBe(0);
    await runHarness({ runDir, env, scenario: 'pass', runId: 'r1' });
    await writeFile(path.join(runDir, 'backend/core'), Buffer.from([0x7f, 0x45, 0x4c, 0x46, 2, 1, 1, 0, 0, 0]));
    const ver = await cli(['verify-evidence', runDir, '--root', root, '--format', 'json'], parent, env);
    const out = JSON.parse(ver.stdout) as { findings: JsonFinding[]; notes?: string[] };
    expect(ver.code).toBe(1);
    expect(out.findings.map((f) => `${f.ruleId} ${f.file}:${f.line}`)).toEqual(['evidence/unscannable r1/backend/core:1']);
    expect((out.notes ?? []).join('\n')).not.toMatch(/binary/);
  });
});

describe('dist/cli.js: a block a reader can follow back to the run and the exact files', () => {
  it('verify-evidence writes manifest.json, evidence cites its digest, a changed artifact fails --manifest', async () => {
    const { createHash } = await import('node:crypto');
    const root = await makeRepo();
    const parent = await tempDir('sot-gate-e2e-runs-');
    const runDir = path.join(parent, 'r1');
    const env = { ...qwenEnv(srv.base), GITHUB_REPOSITORY: 'acme/governance', GITHUB_RUN_ID: '7', GITHUB_SHA: 'b'.repeat(40) };
    expect((await cli(['preflight', '--run-dir', runDir, '--root', root], root, env)).code).toBe(0);
    await runHarness({ runDir, env, scenario: 'pass', runId: 'r1' });
    expect((await cli(['verify-evidence', 'r1', '--root', root], parent, env)).code).toBe(0);
    const manifest = await readFile(path.join(runDir, 'manifest.json'));
    const block = await cli(['evidence', 'r1', '--root', root, '--artifact-name', 'stage2-r1'], parent, env);
    expect(block.code).toBe(0);
    expect(block.stdout).toContain(`SHA-256: \`${createHash('sha256').update(manifest).digest('hex')}\``);
    expect(block.stdout).toContain('- Run: https://github.com/acme/governance/actions/runs/7.');
    expect(block.stdout).not.toContain(parent);
    const kept = path.join(await tempDir('sot-gate-e2e-kept-'), 'manifest.json');
    await writeFile(kept, manifest);
    expect((await cli(['verify-evidence', 'r1', '--root', root, '--manifest', kept], parent, env)).code).toBe(0);
    await writeFile(path.join(runDir, 'backend/case-stdout.log'), 'AGENT_RESULT start\nrewritten\n');
    const again = await cli(['verify-evidence', 'r1', '--root', root, '--manifest', kept, '--format', 'json'], parent, env);
    expect(again.code).toBe(1);
    expect((JSON.parse(again.stdout) as { findings: JsonFinding[] }).findings.map((f) => `${f.ruleId} ${f.file}:${f.line}`)).toEqual(['evidence/manifest-mismatch r1/backend/case-stdout.log:1']);
  });
});

/** Every entry under dir (links not followed) with its bytes. */
async function snapshot(dir: string): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  for (const e of await readdir(dir, { withFileTypes: true, recursive: true })) {
    const abs = path.join(e.parentPath, e.name);
    out[path.relative(dir, abs)] = e.isFile() ? (await readFile(abs)).toString('base64') : 'dir';
  }
  return out;
}

describe('dist/cli.js preflight touches only what it creates', () => {
  it('on a completed run: exit 2, every file byte-identical (its config.json too)', async () => {
    const root = await makeRepo();
    const runDir = path.join(await tempDir('sot-gate-e2e-runs-'), 'r1');
    const env = qwenEnv(srv.base);
    expect((await cli(['preflight', '--run-dir', runDir, '--root', root], root, env)).code).toBe(0);
    await runHarness({ runDir, env, scenario: 'pass', runId: 'r1' });
    const before = await snapshot(runDir);
    const again = await cli(['preflight', '--run-dir', runDir, '--root', root], root, env);
    expect(again.code).toBe(2);
    expect(again.stderr).toContain('not fresh');
    expect(await snapshot(runDir)).toEqual(before);
  });

  it('a shared CASE_DATA_DIR holding a config: blocked with its own marker, the shared directory byte-identical', async () => {
    const root = await makeRepo();
    const runDir = path.join(await tempDir('sot-gate-e2e-runs-'), 'r1');
    const shared = await tempDir('sot-gate-e2e-shared-');
    await mkdir(path.join(shared, 'sub'));
    await writeFile(path.join(shared, 'config.json'), '{"models":{"default":"claude-sonnet-4-6"}}\n');
    const before = await snapshot(shared);
    const r = await cli(['preflight', '--run-dir', runDir, '--root', root, '--format', 'json'], root, { ...qwenEnv(srv.base), CASE_DATA_DIR: shared });
    expect(r.code).toBe(1);
    expect(JSON.parse(r.stdout)).toMatchObject({ status: 'blocked', marker: 'backend/provider-case-data-not-isolated.txt' });
    expect(await snapshot(shared)).toEqual(before);
  });
});
