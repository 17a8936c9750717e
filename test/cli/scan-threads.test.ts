/**
 * `sot-gate scan --threads N`: the bundled CLI (dist/cli.js, the file the worker threads run) gives the same output on
 * one thread and on several; a worker that dies fails the scan instead of dropping its files.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../../src/cli/main.js';
import { createScanPool, MAX_THREADS } from '../../src/cli/scan-pool.js';
import { EvaluationError } from '../../src/engine/types.js';

const repo = path.resolve(__dirname, '../..');
const CLI = path.join(repo, 'dist/cli.js');
const SECRET = 'ghp_' + 'Zq8mR2vX7tL4pW9nK3cJ6hF1dS5aG0bY8eUi';

/** 6 MiB in 2 logs and 40 small files, a secret planted in some of each. */
function corpus(): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'sot-gate-threads-'));
  mkdirSync(path.join(dir, 'runs'));
  mkdirSync(path.join(dir, '.sot'));
  const line = (i: number) => (i % 5000 === 17 ? `{"i":${i},"out":"export GH_TOKEN=${SECRET}"}\n` : `{"i":${i},"event":"tool_call","cmd":"python3 run.py --json"}\n`);
  for (const f of ['a', 'b']) writeFileSync(path.join(dir, 'runs', `${f}.jsonl`), Array.from({ length: 60_000 }, (_, i) => line(i)).join(''));
  for (let i = 0; i < 40; i++) writeFileSync(path.join(dir, '.sot', `n${i}.md`), `# Note ${i}\n\n${i % 7 === 0 ? `token: ${SECRET}\n` : 'nothing here\n'}`);
  return dir;
}

const run = (cwd: string, ...args: string[]) => spawnSync(process.execPath, [CLI, 'scan', '.', '--format', 'json', ...args], { cwd, encoding: 'utf8' });

describe('sot-gate scan --threads', () => {
  it('one thread and three threads give byte-identical JSON, with every planted secret found and none printed', () => {
    const dir = corpus();
    const one = run(dir, '--threads', '1');
    const three = run(dir, '--threads', '3');
    expect(one.status).toBe(1);
    expect(three.status).toBe(1);
    expect(three.stdout).toBe(one.stdout);
    const out = JSON.parse(one.stdout) as { summary: { files: number }; findings: Array<{ ruleId: string; file: string }> };
    expect(out.summary.files).toBe(42);
    // 2 logs x 12 lines + 6 notes (0, 7, …, 35)
    expect(out.findings.filter((f) => f.ruleId === 'secret/github').length).toBe(2 * 12 + 6);
    expect(one.stdout + three.stdout + one.stderr + three.stderr).not.toContain(SECRET);
  });
  it('--threads must be a whole number from 1 to 8, the most scanPaths keeps busy (exit 2)', async () => {
    expect(MAX_THREADS).toBe(8);
    for (const bad of ['0', '9', '1.5', 'many']) {
      let stderr = '';
      const code = await runCli(['scan', '.', '--threads', bad], { stdout: () => {}, stderr: (s) => (stderr += s), cwd: repo, env: {} });
      expect(code).toBe(2);
      expect(stderr).toContain('--threads must be a whole number from 1 to 8');
    }
  });
  it('a file a worker cannot read rejects with the reason (no partial result), and the pool keeps working', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'sot-gate-pool-'));
    writeFileSync(path.join(dir, 'ok.txt'), `token: ${SECRET}\n`);
    const pool = createScanPool(path.join(repo, 'dist/scan-worker.js'), 2);
    const opts = { endpointVariables: [], targetRepositoryPatterns: [], kind: 'artifact' as const };
    try {
      await expect(pool.scanFile(path.join(dir, 'missing.txt'), 'missing.txt', opts)).rejects.toThrow(/ENOENT/);
      const ok = await pool.scanFile(path.join(dir, 'ok.txt'), 'ok.txt', opts);
      expect(ok.findings.map((f) => f.ruleId)).toEqual(['secret/github']);
      expect(JSON.stringify(ok)).not.toContain(SECRET);
    } finally {
      await pool.close();
    }
  });
  it('a worker that dies fails the scan (EvaluationError), it does not drop files', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'sot-gate-deadworker-'));
    const script = path.join(dir, 'die.mjs');
    writeFileSync(script, 'process.exit(3);\n');
    const pool = createScanPool(script, 2);
    await new Promise((r) => setTimeout(r, 300));
    writeFileSync(path.join(dir, 'x.txt'), 'hello\n');
    const opts = { endpointVariables: [], targetRepositoryPatterns: [], kind: 'artifact' as const };
    await expect(pool.scanFile(path.join(dir, 'x.txt'), 'x.txt', opts)).rejects.toThrow(EvaluationError);
    await expect(pool.scanFile(path.join(dir, 'x.txt'), 'x.txt', opts)).rejects.toThrow(/scan worker failed: exit code 3/);
    await pool.close();
  });
});
