import { existsSync } from 'node:fs';
import { mkdir, readdir, readFile, symlink, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { DEFAULT_CONFIG } from '../../src/engine/config.js';
import { decisionDoc, EXTERNAL_DECISION } from '../../src/engine/rules/fixtures.js';
import { runPreflight } from '../../src/engine/stage2/preflight.js';
import { MARKERS } from '../../src/engine/stage2/vocabulary.js';
import { cleanup, cli, closedPort, CODEX_ADMISSION, DECISION, makeRepo, modelServer, patchJson, QWEN_ADMISSION, qwenEnv, readAll, tempDir } from './helpers.js';

afterEach(cleanup);

const CONFIG = 'case-data/config.json';

/** Every entry under dir (links not followed) with its bytes: compared before and after to prove nothing was touched. */
async function snapshot(dir: string): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  for (const e of await readdir(dir, { withFileTypes: true, recursive: true })) {
    const abs = path.join(e.parentPath, e.name);
    const rel = path.relative(dir, abs);
    out[rel] = e.isFile() ? (await readFile(abs)).toString('base64') : e.isSymbolicLink() ? 'link' : 'dir';
  }
  return out;
}

async function setup() {
  const root = await makeRepo();
  const runDir = path.join(await tempDir('sot-gate-run-'), 'run');
  return { root, runDir };
}

/** Runs `sot-gate preflight --format json` and returns exit code, parsed JSON, and the run directory's files. */
async function preflight(root: string, runDir: string, env: Record<string, string | undefined>) {
  const out = await cli(['preflight', '--run-dir', runDir, '--root', root, '--format', 'json'], root, env);
  const files = await readAll(runDir);
  const json = out.stdout ? (JSON.parse(out.stdout) as Record<string, string>) : undefined;
  return { ...out, json, files };
}

function traceEvents(files: Record<string, string>): Array<Record<string, unknown>> {
  return (files['trace.jsonl'] ?? '').trim().split('\n').filter(Boolean).map((l) => JSON.parse(l) as Record<string, unknown>);
}

function expectBlocked(r: Awaited<ReturnType<typeof preflight>>, status: string, marker: string) {
  expect(r.code).toBe(1);
  expect(r.json?.status).toBe('blocked');
  expect(r.json?.case_model_admission_status).toBe(status);
  expect(r.json?.marker).toBe(marker);
  expect(Object.keys(r.files)).toContain(marker);
  expect(r.files[CONFIG]).toBeUndefined();
  const events = traceEvents(r.files);
  expect(events.map((e) => e.event)).toEqual(['case_model_admission_blocked']);
  expect(events[0]).toMatchObject({ case_model_admission_status: status, reason: r.json?.reason, marker });
  const report = JSON.parse(r.files['report.json']!) as Record<string, unknown>;
  expect(report).toMatchObject({ status: 'blocked', case_process_started: false, case_model_admission_status: status, failure_reason: r.json?.reason });
  for (const other of Object.values(MARKERS)) if (other !== marker) expect(r.files[other]).toBeUndefined();
}

describe('preflight against a local OpenAI-compatible server', () => {
  it('admits the pair when the endpoint lists the model, writes models.default and the check event, never the endpoint', async () => {
    const { root, runDir } = await setup();
    const srv = await modelServer('list');
    try {
      const r = await preflight(root, runDir, qwenEnv(srv.base));
      expect(r.stderr).toBe('');
      expect(r.code).toBe(0);
      expect(r.json).toMatchObject({ status: 'admitted', case_model_admission_status: 'admitted', case_model_provider: 'qwen-local', case_model: 'qwen3.6-35b-a3b' });
      expect(srv.hits()).toBe(1);
      expect(JSON.parse(r.files[CONFIG]!)).toEqual({ models: { default: 'qwen3.6-35b-a3b', provider: 'qwen-local' } });
      expect(traceEvents(r.files)).toEqual([expect.objectContaining({ event: 'case_model_admission_checked', case_model_admission_status: 'admitted', case_model: 'qwen3.6-35b-a3b' })]);
      expect(Object.keys(r.files).filter((f) => f.startsWith('backend/'))).toEqual([]);
      expect(r.files['report.json']).toBeUndefined();
      for (const text of [...Object.values(r.files), r.stdout, r.stderr]) {
        expect(text).not.toContain(srv.host);
        expect(text).not.toContain('127.0.0.1');
      }
    } finally {
      await srv.close();
    }
  });

  it('blocks when the endpoint does not list the admitted model (its own marker provider-model-not-served, admission stays admitted)', async () => {
    const { root, runDir } = await setup();
    const srv = await modelServer('missing');
    try {
      const r = await preflight(root, runDir, qwenEnv(srv.base));
      expectBlocked(r, 'admitted', MARKERS.modelNotServed);
      expect(r.json?.reason).toContain('does not include the admitted model qwen3.6-35b-a3b');
      expect(r.json?.reason).toContain('qwen3-coder-30b');
      for (const text of [...Object.values(r.files), r.stdout]) expect(text).not.toContain(srv.host);
    } finally {
      await srv.close();
    }
  });

  it('blocks on a slow endpoint after the timeout, leaving no config.json', async () => {
    const { root, runDir } = await setup();
    const srv = await modelServer('slow');
    try {
      const started = Date.now();
      const out = await runPreflight({ runDir, root, config: DEFAULT_CONFIG, env: qwenEnv(srv.base), fetch, now: () => new Date(), timeoutMs: 300 });
      expect(Date.now() - started).toBeLessThan(2_500);
      expect(out).toMatchObject({ status: 'blocked', case_model_admission_status: 'admitted', marker: MARKERS.localEndpointUnavailable });
      expect(out.reason).toBe('CTO_HARNESS_CASE_LOCAL_BASE_URL did not answer GET /models within 0.3 s');
      expect(existsSync(path.join(runDir, CONFIG))).toBe(false);
    } finally {
      await srv.close();
    }
  });

  it('blocks on an unreachable port with the error code only', async () => {
    const { root, runDir } = await setup();
    const port = await closedPort();
    const r = await preflight(root, runDir, qwenEnv(`http://127.0.0.1:${port}/v1`));
    expectBlocked(r, 'admitted', MARKERS.localEndpointUnavailable);
    expect(r.json?.reason).toBe('CTO_HARNESS_CASE_LOCAL_BASE_URL did not answer GET /models (ECONNREFUSED)');
    for (const text of [...Object.values(r.files), r.stdout, r.stderr]) expect(text).not.toContain(String(port));
  });

  it.each([
    ['error', 'answered HTTP 500'],
    ['not-json', 'did not answer JSON'],
    ['no-data', 'did not answer an OpenAI-compatible model list'],
  ] as const)('blocks when the endpoint answers %s', async (mode, reason) => {
    const { root, runDir } = await setup();
    const srv = await modelServer(mode);
    try {
      const r = await preflight(root, runDir, qwenEnv(srv.base));
      expectBlocked(r, 'admitted', MARKERS.localEndpointUnavailable);
      expect(r.json?.reason).toContain(reason);
    } finally {
      await srv.close();
    }
  });

  it('blocks a local provider without CTO_HARNESS_CASE_LOCAL_BASE_URL (local config marker), and with a value that is not a URL', async () => {
    const { root, runDir } = await setup();
    const r = await preflight(root, runDir, qwenEnv());
    expectBlocked(r, 'admitted', MARKERS.localConfigMissing);
    expect(r.json?.reason).toContain('CTO_HARNESS_CASE_LOCAL_BASE_URL is not set');

    const run2 = path.join(path.dirname(runDir), 'run2');
    const r2 = await preflight(root, run2, qwenEnv('spark1 port 8000 secretish'));
    expectBlocked(r2, 'admitted', MARKERS.localConfigMissing);
    expect(r2.json?.reason).toBe('CTO_HARNESS_CASE_LOCAL_BASE_URL is not a URL');
    for (const text of [...Object.values(r2.files), r2.stdout]) expect(text).not.toContain('secretish');
  });
});

describe('preflight admission statuses', () => {
  it('missing_admission: variable unset', async () => {
    const { root, runDir } = await setup();
    const r = await preflight(root, runDir, { ...qwenEnv(), CTO_HARNESS_CASE_MODEL_ADMISSION_FILE: undefined });
    expectBlocked(r, 'missing_admission', MARKERS.notAdmitted);
    expect(r.json?.reason).toContain('CTO_HARNESS_CASE_MODEL_ADMISSION_FILE is not set');
  });

  it('missing_admission: file absent (relative to the root)', async () => {
    const { root, runDir } = await setup();
    const r = await preflight(root, runDir, { ...qwenEnv(), CTO_HARNESS_CASE_MODEL_ADMISSION_FILE: '.sot/nope.json' });
    expectBlocked(r, 'missing_admission', MARKERS.notAdmitted);
    expect(r.json?.reason).toBe('admission file .sot/nope.json does not exist');
  });

  it('invalid_admission: duplicate keys', async () => {
    const { root, runDir } = await setup();
    const file = path.join(root, QWEN_ADMISSION);
    const text = await readFile(file, 'utf8');
    await writeFile(file, text.replace('"status": "admitted",', '"status": "revoked",\n  "status": "admitted",'));
    const r = await preflight(root, runDir, qwenEnv());
    expectBlocked(r, 'invalid_admission', MARKERS.notAdmitted);
    expect(r.json?.reason).toContain('duplicate key "status"');
  });

  it('invalid_admission: not JSON, and a schema violation', async () => {
    const { root, runDir } = await setup();
    const file = path.join(root, QWEN_ADMISSION);
    await writeFile(file, '{"status": "admitted",}');
    expectBlocked(await preflight(root, runDir, qwenEnv()), 'invalid_admission', MARKERS.notAdmitted);
    await writeFile(file, JSON.stringify({ status: 'admitted', provider: 'qwen-local', model: 'qwen3.6-35b-a3b' }));
    const r = await preflight(root, path.join(runDir, 'b'), qwenEnv());
    expectBlocked(r, 'invalid_admission', MARKERS.notAdmitted);
    expect(r.json?.reason).toContain('credential_source_class');
  });

  it('not_admitted: status revoked', async () => {
    const { root, runDir } = await setup();
    await patchJson(path.join(root, QWEN_ADMISSION), { status: 'revoked' });
    const r = await preflight(root, runDir, qwenEnv());
    expectBlocked(r, 'not_admitted', MARKERS.notAdmitted);
    expect(r.json?.reason).toContain('has status revoked');
  });

  it('mismatch: the requested model differs from the admitted one', async () => {
    const { root, runDir } = await setup();
    const r = await preflight(root, runDir, { ...qwenEnv(), CTO_HARNESS_CASE_MODEL: 'claude-sonnet-4-6', CTO_HARNESS_CASE_MODEL_PROVIDER: 'anthropic' });
    expectBlocked(r, 'mismatch', MARKERS.notAdmitted);
    expect(r.json).toMatchObject({ case_model_provider: 'anthropic', case_model: 'claude-sonnet-4-6' });
  });

  it.each([['CTO_HARNESS_CASE_MODEL_PROVIDER'], ['CTO_HARNESS_CASE_MODEL']])('mismatch: %s unset (the negative gate for a missing provider/model)', async (name) => {
    const { root, runDir } = await setup();
    const r = await preflight(root, runDir, { ...qwenEnv(), [name]: undefined });
    expectBlocked(r, 'mismatch', MARKERS.notAdmitted);
    expect(r.json?.reason).toContain(`${name} is not set`);
  });

  it('not_admitted: the pair is not the decision\'s primary or fallback pair', async () => {
    const { root, runDir } = await setup();
    const other = '.sot/03-PROTOCOLS/CTO-CASE-MODEL-PROVIDER-ADMISSION.vllm-llama-4.json';
    await writeFile(path.join(root, other), (await readFile(path.join(root, QWEN_ADMISSION), 'utf8')).replace('"qwen-local"', '"vllm"').replace('"qwen3.6-35b-a3b"', '"llama-4"'));
    const r = await preflight(root, runDir, { CTO_HARNESS_CASE_MODEL_ADMISSION_FILE: other, CTO_HARNESS_CASE_MODEL_PROVIDER: 'vllm', CTO_HARNESS_CASE_MODEL: 'llama-4', CTO_HARNESS_CASE_LOCAL_BASE_URL: 'http://127.0.0.1:9/v1' });
    expectBlocked(r, 'not_admitted', MARKERS.notAdmitted);
    expect(r.json?.reason).toContain('does not count');
  });

  it('not_admitted: an admission outside the repository root', async () => {
    const { root, runDir } = await setup();
    const outside = path.join(await tempDir(), 'adm.json');
    await writeFile(outside, await readFile(path.join(root, QWEN_ADMISSION), 'utf8'));
    const r = await preflight(root, runDir, { ...qwenEnv('http://127.0.0.1:9/v1'), CTO_HARNESS_CASE_MODEL_ADMISSION_FILE: outside });
    expectBlocked(r, 'not_admitted', MARKERS.notAdmitted);
    expect(r.json?.reason).toContain('outside the repository root');
  });

  it('not_admitted: decision not_decided', async () => {
    const { root, runDir } = await setup();
    const file = path.join(root, DECISION);
    await writeFile(file, (await readFile(file, 'utf8')).replace('- `decision_status`: `local_provider_required`.', '- `decision_status`: `not_decided`.'));
    const r = await preflight(root, runDir, qwenEnv('http://127.0.0.1:9/v1'));
    expectBlocked(r, 'not_admitted', MARKERS.notAdmitted);
  });

  it('blocks the local route when decision_status is not local_provider_required (admission stays admitted)', async () => {
    const { root, runDir } = await setup();
    // external decision whose explicit fallback is the local qwen pair
    await writeFile(
      path.join(root, DECISION),
      decisionDoc({ ...EXTERNAL_DECISION, fallback_provider: '`qwen-local`', fallback_model: '`qwen3.6-35b-a3b`', credential_source_class: '`pi-models-json-local-provider-no-secret`', allowed_network_class: '`local-tailscale-vllm-spark1`' }, ['not_decided']),
    );
    await patchJson(path.join(root, QWEN_ADMISSION), { role: 'fallback' });
    await patchJson(path.join(root, CODEX_ADMISSION), { status: 'revoked' });
    const r = await preflight(root, runDir, qwenEnv('http://127.0.0.1:9/v1'));
    expectBlocked(r, 'admitted', MARKERS.notAdmitted);
    expect(r.json?.reason).toContain('needs decision_status local_provider_required');
  });

  it('openai-codex: blocked by the auth gap unless CTO_HARNESS_CASE_OPENAI_CODEX_AUTH_BRIDGE=1', async () => {
    const { root, runDir } = await setup();
    const env = { CTO_HARNESS_CASE_MODEL_ADMISSION_FILE: CODEX_ADMISSION, CTO_HARNESS_CASE_MODEL_PROVIDER: 'openai-codex', CTO_HARNESS_CASE_MODEL: 'gpt-5.5' };
    const r = await preflight(root, runDir, env);
    expectBlocked(r, 'admitted', MARKERS.authUnavailable);
    expect(r.json?.reason).toContain('streamSimple');
    const ok = await preflight(root, path.join(runDir, 'bridged'), { ...env, CTO_HARNESS_CASE_OPENAI_CODEX_AUTH_BRIDGE: '1' });
    expect(ok.code).toBe(0);
    expect(JSON.parse(ok.files[CONFIG]!)).toEqual({ models: { default: 'gpt-5.5', provider: 'openai-codex' } });
    const bad = await preflight(root, path.join(runDir, 'true'), { ...env, CTO_HARNESS_CASE_OPENAI_CODEX_AUTH_BRIDGE: 'true' });
    expect(bad.code).toBe(1);
  });
});

describe('preflight run directory guarantees', () => {
  it('a completed run: exit 2 "not fresh", and every file in it (its config.json too) is byte-identical afterwards', async () => {
    const { root, runDir } = await setup();
    await mkdir(path.join(runDir, 'case-data'), { recursive: true });
    await writeFile(path.join(runDir, 'trace.jsonl'), '{"event":"case_model_admission_checked"}\n{"event":"case_process_started"}\n');
    await writeFile(path.join(runDir, CONFIG), '{"models":{"default":"qwen3.6-35b-a3b","provider":"qwen-local"}}\n');
    await writeFile(path.join(runDir, 'report.json'), '{"status":"pass"}\n');
    const before = await snapshot(runDir);
    const srv = await modelServer('list');
    try {
      const r = await preflight(root, runDir, qwenEnv(srv.base));
      expect(r.code).toBe(2);
      expect(r.stderr).toContain('not fresh');
      expect(await snapshot(runDir)).toEqual(before);
      expect(srv.hits()).toBe(0);
    } finally {
      await srv.close();
    }
  });

  it('a run directory holding only report.md from elsewhere is not fresh either (never overwritten)', async () => {
    const { root, runDir } = await setup();
    await mkdir(runDir, { recursive: true });
    await writeFile(path.join(runDir, 'report.md'), '# notes of someone else\n');
    const before = await snapshot(runDir);
    const r = await preflight(root, runDir, { ...qwenEnv(), CTO_HARNESS_CASE_MODEL: 'x' });
    expect(r.code).toBe(2);
    expect(await snapshot(runDir)).toEqual(before);
  });

  it('a Case data directory that already holds config.json blocks with its own marker and reason; the config is byte-identical', async () => {
    const { root, runDir } = await setup();
    await mkdir(path.join(runDir, 'data'), { recursive: true });
    const stale = '{"models":{"default":"claude-sonnet-4-6"}}';
    await writeFile(path.join(runDir, 'data/config.json'), stale);
    const srv = await modelServer('list');
    try {
      const r = await preflight(root, runDir, { ...qwenEnv(srv.base), CASE_DATA_DIR: 'data' });
      expect(r.code).toBe(1);
      expect(r.json?.status).toBe('blocked');
      expect(r.json?.marker).toBe(MARKERS.caseDataNotIsolated);
      expect(r.json?.reason).toMatch(/already holds config\.json.*never deleted or overwritten/);
      expect(await readFile(path.join(runDir, 'data/config.json'), 'utf8')).toBe(stale);
      expect(Object.keys(r.files)).toContain(MARKERS.caseDataNotIsolated);
    } finally {
      await srv.close();
    }
  });

  it('a blocked preflight leaves a config.json it did not write alone (CASE_DATA_DIR honoured)', async () => {
    const { root, runDir } = await setup();
    await mkdir(path.join(runDir, 'data'), { recursive: true });
    await writeFile(path.join(runDir, 'data/config.json'), '{"models":{"default":"claude-sonnet-4-6"}}');
    const r = await preflight(root, runDir, { ...qwenEnv(), CASE_DATA_DIR: 'data', CTO_HARNESS_CASE_MODEL: 'x' });
    expect(r.code).toBe(1);
    expect(await readFile(path.join(runDir, 'data/config.json'), 'utf8')).toBe('{"models":{"default":"claude-sonnet-4-6"}}');
  });

  it('a shared CASE_DATA_DIR outside the run directory (or reached through a link) blocks; its config.json is byte-identical, none is written there', async () => {
    const { root, runDir } = await setup();
    const shared = await tempDir('sot-gate-shared-');
    await writeFile(path.join(shared, 'config.json'), '{"models":{"default":"claude-sonnet-4-6"}}\n');
    await writeFile(path.join(shared, 'other.txt'), 'x');
    const before = await snapshot(shared);
    const srv = await modelServer('list');
    try {
      const r = await preflight(root, runDir, { ...qwenEnv(srv.base), CASE_DATA_DIR: shared });
      expect(r.code).toBe(1);
      expect(r.json?.marker).toBe(MARKERS.caseDataNotIsolated);
      expect(r.json?.reason).toContain('inside the run directory');
      expect(await snapshot(shared)).toEqual(before);
      const empty = await tempDir('sot-gate-shared-empty-');
      const r2 = await preflight(root, path.join(runDir, 'second'), { ...qwenEnv(srv.base), CASE_DATA_DIR: empty });
      expect(r2.code).toBe(1);
      expect(await snapshot(empty)).toEqual({});
      const linked = path.join(runDir, 'third');
      await mkdir(linked, { recursive: true });
      await symlink(empty, path.join(linked, 'case-data'));
      const r3 = await preflight(root, linked, qwenEnv(srv.base));
      expect(r3.code).toBe(1);
      expect(r3.json?.reason).toContain('symbolic link');
      expect(await snapshot(empty)).toEqual({});
    } finally {
      await srv.close();
    }
  });

  it('an admitted preflight creates config.json and the trace line, and nothing it found there changes', async () => {
    const { root, runDir } = await setup();
    await mkdir(path.join(runDir, 'backend'), { recursive: true });
    await writeFile(path.join(runDir, 'backend/baseline.log'), 'fake lane ok\n');
    await writeFile(path.join(runDir, 'trace.jsonl'), '{"event":"baseline_started","backend":"fake"}\n');
    const srv = await modelServer('list');
    try {
      const r = await preflight(root, runDir, qwenEnv(srv.base));
      expect(r.code).toBe(0);
      expect(r.files['backend/baseline.log']).toBe('fake lane ok\n');
      expect(r.files['trace.jsonl']!.startsWith('{"event":"baseline_started","backend":"fake"}\n')).toBe(true);
      expect(traceEvents(r.files).map((e) => e.event)).toEqual(['baseline_started', 'case_model_admission_checked']);
    } finally {
      await srv.close();
    }
  });

  it('exit 2 on bad arguments and on a run directory that cannot be created', async () => {
    const { root } = await setup();
    expect((await cli(['preflight', '--root', root], root, qwenEnv())).code).toBe(2);
    expect((await cli(['preflight', '--run-dir', 'x', '--format', 'yaml'], root, qwenEnv())).code).toBe(2);
    const file = path.join(root, 'a-file');
    await writeFile(file, 'x');
    const r = await cli(['preflight', '--run-dir', path.join(file, 'run')], root, qwenEnv());
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/cannot create the run directory/);
  });

  it('text output names the status and the marker', async () => {
    const { root, runDir } = await setup();
    const r = await cli(['preflight', '--run-dir', runDir, '--root', root], root, { ...qwenEnv(), CTO_HARNESS_CASE_MODEL_ADMISSION_FILE: undefined });
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('blocked (case_model_admission_status missing_admission)');
    expect(r.stdout).toContain('marker: backend/provider-model-not-admitted.txt');
  });
});
