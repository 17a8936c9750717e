/**
 * Preflight hardening: the endpoint's model list can never carry the endpoint's address into the evidence, a redirect
 * and a URL with credentials block with their own reason, and evidence/model-outside-pair reads camelCase and
 * kebab-case keys.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { configSchema } from '../../src/engine/config.js';
import { admissionFromText } from '../../src/engine/stage2/admission-file.js';
import { contextFromMemory } from '../../src/engine/stage2/context.js';
import { probeEndpoint, showableId } from '../../src/engine/stage2/endpoint.js';
import { ADMISSION_FILE, ADMITTED, ev, PASS_TRACE, passRun, trace, validAdmission } from '../../src/engine/stage2/rules/fixtures.js';
import { modelOutsidePair } from '../../src/engine/stage2/rules/model-outside-pair.js';
import { MARKERS } from '../../src/engine/stage2/vocabulary.js';
import { runEvidenceRules } from '../../src/engine/stage2/verify.js';
import { cleanup, cli, makeRepo, qwenEnv, readAll, tempDir } from './helpers.js';

afterEach(cleanup);

/** A loopback server with a handler of its own; counts requests. */
async function server(handler: (req: IncomingMessage, res: ServerResponse) => void) {
  let hits = 0;
  const s = createServer((req, res) => {
    hits++;
    handler(req, res);
  });
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', r));
  const { port } = s.address() as AddressInfo;
  return {
    port,
    base: `http://127.0.0.1:${port}/v1`,
    hits: () => hits,
    close: () =>
      new Promise<void>((r) => {
        s.closeAllConnections();
        s.close(() => r());
      }),
  };
}

const modelList = (res: ServerResponse, ids: string[]) =>
  void res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ object: 'list', data: ids.map((id) => ({ id, object: 'model' })) }));

async function preflight(base: string) {
  const root = await makeRepo();
  const runDir = path.join(await tempDir('sot-gate-run-'), 'run');
  const out = await cli(['preflight', '--run-dir', runDir, '--root', root, '--format', 'json'], root, qwenEnv(base));
  const text = await cli(['preflight', '--run-dir', `${runDir}-text`, '--root', root], root, qwenEnv(base));
  const files = { ...(await readAll(runDir)), ...(await readAll(`${runDir}-text`)) };
  return { ...out, json: JSON.parse(out.stdout) as Record<string, string>, textOut: text.stdout + text.stderr, files, all: [out.stdout, out.stderr, text.stdout, text.stderr, ...Object.values(files)] };
}

describe('the model list never carries the endpoint address into the evidence', () => {
  it('withholds ids naming the endpoint host (its Host header, host:port/v1), other addresses, and says how many', async () => {
    const srv = await server((req, res) =>
      modelList(res, [req.headers.host!, `${req.headers.host!}/v1`, `HTTP://${req.headers.host!}/v1`, 'spark.internal', '10.1.2.3', 'qwen3-coder-30b', 'openai/gpt-oss-120b']),
    );
    try {
      const r = await preflight(srv.base);
      expect(r.code).toBe(1);
      expect(r.json).toMatchObject({ status: 'blocked', case_model_admission_status: 'admitted', marker: MARKERS.modelNotServed });
      expect(r.json.reason).toBe(
        'the model list at CTO_HARNESS_CASE_LOCAL_BASE_URL/models does not include the admitted model qwen3.6-35b-a3b (it lists 7 models: qwen3-coder-30b, openai/gpt-oss-120b; 5 not shown (not a plain model id, or it names a host, address or URL))',
      );
      expect(Object.keys(r.files)).toContain(MARKERS.modelNotServed);
      expect(r.textOut).toContain('5 not shown');
      for (const text of r.all) {
        for (const needle of ['127.0.0.1', String(srv.port), 'spark.internal', '10.1.2.3']) expect(text.toLowerCase()).not.toContain(needle);
      }
      expect(srv.hits()).toBe(2);
    } finally {
      await srv.close();
    }
  });

  it('shows plain ids (the first five, then …) and withholds none of them', async () => {
    const ids = ['qwen3-coder-30b', 'openai/gpt-oss-120b', 'llama3:8b', 'Qwen/Qwen2.5-Coder-32B-Instruct', 'gpt-4.1', 'qwen3.6-35b-a3b-fp8'];
    const srv = await server((_req, res) => modelList(res, ids));
    try {
      const r = await preflight(srv.base);
      expect(r.json.reason).toContain(`(it lists 6 models: ${ids.slice(0, 5).join(', ')}, …)`);
      expect(r.json.reason).not.toContain('not shown');
    } finally {
      await srv.close();
    }
  });

  it('showableId: the endpoint host in any case, host:port, URLs and IP addresses are withheld; model ids are shown', () => {
    const host = 'spark1.tailnet.example';
    for (const id of [
      'SPARK1.Tailnet.Example',
      'spark1.tailnet.example:8000',
      'Spark1:8000/v1',
      'spark1',
      'proxy:8080',
      'gateway/proxy:8080',
      '127.0.0.1',
      'ip-10.0.0.5-model',
      'fe80::1',
      'localhost',
      'spark.internal',
      'http://spark1:8000/v1',
      '/srv/models/qwen',
      'x'.repeat(129),
    ]) {
      expect(showableId(id, host), id).toBe(false);
    }
    for (const id of ['qwen3-coder-30b', 'openai/gpt-oss-120b', 'llama3:8b', 'qwen2.5:72b-instruct', 'Qwen/Qwen2.5-Coder-32B-Instruct', 'gpt-4.1', 'mistral-7b-instruct-v0.2']) {
      expect(showableId(id, host), id).toBe(true);
    }
  });

  it('probeEndpoint matches the host case-insensitively against an upper-case base URL', async () => {
    const fake = (async () => new Response(JSON.stringify({ data: [{ id: 'spark1.TAILNET.example:8000' }, { id: 'SPARK1' }, { id: 'qwen3-coder-30b' }] }), { status: 200 })) as typeof fetch;
    const probe = await probeEndpoint('http://Spark1.Tailnet.Example:8000/v1', 'qwen3.6-35b-a3b', fake, 1_000);
    expect(probe).toMatchObject({ ok: false, kind: 'model-missing' });
    const reason = (probe as { reason: string }).reason;
    expect(reason).toContain('it lists 3 models: qwen3-coder-30b; 2 not shown');
    expect(reason.toLowerCase()).not.toContain('spark1');
    expect(reason.toLowerCase()).not.toContain('tailnet');
  });
});

describe('redirects and credentials block with their own reason', () => {
  it.each([301, 302, 307, 308])('a base URL answering %i blocks as a redirect, not followed, without naming the target', async (status) => {
    const target = await server((_req, res) => modelList(res, ['qwen3.6-35b-a3b']));
    const srv = await server((_req, res) => void res.writeHead(status, { location: `http://127.0.0.1:${target.port}/v1/models` }).end());
    try {
      const r = await preflight(srv.base);
      expect(r.code).toBe(1);
      expect(r.json).toMatchObject({ status: 'blocked', case_model_admission_status: 'admitted', marker: MARKERS.localEndpointUnavailable });
      expect(r.json.reason).toBe(
        `CTO_HARNESS_CASE_LOCAL_BASE_URL/models answered with a redirect (HTTP ${status}): redirects are not followed, set CTO_HARNESS_CASE_LOCAL_BASE_URL to the endpoint's own base URL`,
      );
      expect(r.files['case-data/config.json']).toBeUndefined();
      expect(target.hits()).toBe(0);
      for (const text of r.all) for (const needle of ['127.0.0.1', String(srv.port), String(target.port)]) expect(text).not.toContain(needle);
    } finally {
      await srv.close();
      await target.close();
    }
  });

  it.each([
    ['user and password', (port: number) => `http://operator:s3cretpw@127.0.0.1:${port}/v1`],
    ['a token as user name', (port: number) => `http://s3cretpw@127.0.0.1:${port}/v1`],
  ])('a base URL with %s is a configuration block, makes no request and never prints the credentials', async (_name, url) => {
    const srv = await server((_req, res) => modelList(res, ['qwen3.6-35b-a3b']));
    try {
      const r = await preflight(url(srv.port));
      expect(r.code).toBe(1);
      expect(r.json).toMatchObject({ status: 'blocked', case_model_admission_status: 'admitted', marker: MARKERS.localConfigMissing });
      expect(r.json.reason).toBe('CTO_HARNESS_CASE_LOCAL_BASE_URL contains credentials (user:password@): credentials in the endpoint URL are not allowed');
      expect(Object.keys(r.files)).toContain(MARKERS.localConfigMissing);
      expect(srv.hits()).toBe(0);
      for (const text of r.all) for (const needle of ['s3cretpw', 'operator', '127.0.0.1', String(srv.port)]) expect(text).not.toContain(needle);
    } finally {
      await srv.close();
    }
  });

  it('a plain base URL still reaches the server (the redirect and credential checks do not block it)', async () => {
    const srv = await server((_req, res) => modelList(res, ['qwen3.6-35b-a3b']));
    try {
      const r = await preflight(srv.base);
      expect(r.code).toBe(0);
      expect(r.json.status).toBe('admitted');
    } finally {
      await srv.close();
    }
  });
});

describe('evidence/model-outside-pair reads keys in any case', () => {
  const config = configSchema.parse({});
  const findings = (extra: Record<string, unknown>) =>
    runEvidenceRules(
      contextFromMemory({ config, files: passRun({ 'trace.jsonl': trace([...PASS_TRACE, ev('llm_request', extra)]) }), admission: admissionFromText(ADMISSION_FILE, validAdmission()) }),
      [modelOutsidePair],
    ).map((f) => f.message);

  it.each([
    ['llmProvider', 'openai'],
    ['LLMProvider', 'openai'],
    ['LLM_PROVIDER', 'openai'],
    ['modelName', 'gpt-4o'],
    ['fallbackModel', 'qwen3-coder-30b'],
    ['fallback-model', 'qwen3-coder-30b'],
    ['modelId', 'gpt-4o'],
    ['model-name', 'gpt-4o'],
    ['Model_ID', 'gpt-4o'],
  ])('fires on %s: %s', (key, value) => {
    expect(findings({ [key]: value })).toEqual([`${key} ${value} is outside the admitted pair ${ADMITTED.provider} / ${ADMITTED.model}`]);
    expect(findings({ nested: [{ [key]: value }] })).toHaveLength(1);
  });

  it('stays quiet on the admitted pair under camelCase keys, and on keys that only contain the word', () => {
    expect(findings({ llmProvider: ADMITTED.provider, modelName: ADMITTED.model, fallbackModelId: ADMITTED.model, 'case-model': ADMITTED.model })).toEqual([]);
    expect(findings({ modelling_notes: 'gpt-4o', provider_count: 'two', modelsLoaded: 'gpt-4o', providerUrl: 'openai', modelNames: 'gpt-4o', remodel: 'x' })).toEqual([]);
  });

  it('still skips the fake baseline under camelCase keys', () => {
    expect(findings({ baseline: { backend: 'fake', llmProvider: 'openai', modelName: 'gpt-4o' } })).toEqual([]);
  });
});
