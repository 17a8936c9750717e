/** Shared helpers of the Stage 2 tests: a temporary SOT repository, a local OpenAI-compatible server, a captured CLI. */
import { cp, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { runCli, type CliIO } from '../../src/cli/main.js';

export const REPO_ROOT = path.resolve(import.meta.dirname, '../..');
export const QWEN_ADMISSION = '.sot/03-PROTOCOLS/CTO-CASE-MODEL-PROVIDER-ADMISSION.qwen-local-qwen3.6-35b-a3b.json';
export const CODEX_ADMISSION = '.sot/03-PROTOCOLS/CTO-CASE-MODEL-PROVIDER-ADMISSION.openai-codex-gpt-5.5.json';
export const DECISION = '.sot/03-PROTOCOLS/CTO-CASE-PROVIDER-DECISION-RECORD.md';

const temps: string[] = [];

export async function tempDir(prefix = 'sot-gate-stage2-'): Promise<string> {
  const d = await mkdtemp(path.join(os.tmpdir(), prefix));
  temps.push(d);
  return d;
}

export async function cleanup(): Promise<void> {
  await Promise.all(temps.splice(0).map((d) => rm(d, { recursive: true, force: true })));
}

/**
 * A copy of examples/cto (decision local_provider_required, qwen-local primary, openai-codex fallback) where the
 * codex admission is made engine-clean (explicit fallback role, the decision's classes), so both pairs are admitted.
 */
export async function makeRepo(): Promise<string> {
  const root = await tempDir('sot-gate-repo-');
  await cp(path.join(REPO_ROOT, 'examples/cto'), root, { recursive: true });
  const codex = JSON.parse(await readFile(path.join(root, CODEX_ADMISSION), 'utf8')) as Record<string, unknown>;
  codex.role = 'fallback';
  codex.credential_source_class = 'pi-models-json-local-provider-no-secret-plus-codex-oauth-fallback';
  codex.allowed_network_class = 'local-tailscale-vllm-spark1-plus-codex-oauth-fallback';
  await writeFile(path.join(root, CODEX_ADMISSION), JSON.stringify(codex, null, 2) + '\n');
  return root;
}

export async function patchJson(file: string, patch: Record<string, unknown>): Promise<void> {
  const v = JSON.parse(await readFile(file, 'utf8')) as Record<string, unknown>;
  await writeFile(file, JSON.stringify({ ...v, ...patch }, null, 2) + '\n');
}

export type ServerMode = 'list' | 'missing' | 'slow' | 'error' | 'not-json' | 'no-data';

/** An OpenAI-compatible model server on 127.0.0.1 (GET /v1/models). */
export async function modelServer(mode: ServerMode, models = ['qwen3.6-35b-a3b']): Promise<{ base: string; host: string; hits: () => number; close: () => Promise<void> }> {
  let hits = 0;
  const server: Server = createServer((req, res) => {
    hits++;
    if (req.url !== '/v1/models') {
      res.writeHead(404).end();
      return;
    }
    if (mode === 'slow') {
      const t = setTimeout(() => res.writeHead(200, { 'content-type': 'application/json' }).end('{"data":[]}'), 3_000);
      res.on('close', () => clearTimeout(t));
      return;
    }
    if (mode === 'error') return void res.writeHead(500).end('boom');
    if (mode === 'not-json') return void res.writeHead(200).end('<html>');
    if (mode === 'no-data') return void res.writeHead(200, { 'content-type': 'application/json' }).end('{"models":[]}');
    const ids = mode === 'missing' ? ['qwen3-coder-30b', 'llama-4'] : models;
    res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ object: 'list', data: ids.map((id) => ({ id, object: 'model' })) }));
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as AddressInfo;
  return {
    base: `http://127.0.0.1:${port}/v1`,
    host: `127.0.0.1:${port}`,
    hits: () => hits,
    close: () =>
      new Promise<void>((r) => {
        server.closeAllConnections();
        server.close(() => r());
      }),
  };
}

/** A port nothing listens on. */
export async function closedPort(): Promise<number> {
  const s = createServer();
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', r));
  const { port } = s.address() as AddressInfo;
  await new Promise<void>((r) => s.close(() => r()));
  return port;
}

export interface Captured {
  code: number;
  stdout: string;
  stderr: string;
}

export async function cli(argv: string[], cwd: string, env: Record<string, string | undefined> = {}): Promise<Captured> {
  let stdout = '';
  let stderr = '';
  const io: CliIO = { stdout: (s) => void (stdout += s), stderr: (s) => void (stderr += s), cwd, env };
  const code = await runCli(argv, io);
  return { code, stdout, stderr };
}

/** Every file under dir, relative, with its content. */
export async function readAll(dir: string): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  const walk = async (d: string) => {
    for (const e of await readdir(d, { withFileTypes: true })) {
      const abs = path.join(d, e.name);
      if (e.isDirectory()) await walk(abs);
      else out[path.relative(dir, abs).split(path.sep).join('/')] = await readFile(abs, 'utf8');
    }
  };
  await walk(dir).catch(() => undefined);
  return out;
}

export const qwenEnv = (base?: string): Record<string, string | undefined> => ({
  CTO_HARNESS_CASE_MODEL_ADMISSION_FILE: QWEN_ADMISSION,
  CTO_HARNESS_CASE_MODEL_PROVIDER: 'qwen-local',
  CTO_HARNESS_CASE_MODEL: 'qwen3.6-35b-a3b',
  ...(base ? { CTO_HARNESS_CASE_LOCAL_BASE_URL: base } : {}),
});
