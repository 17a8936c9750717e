/**
 * Identities in Stage 2: preflight and verify-evidence compare providers and models on the normalised form
 * (src/engine/identity.ts) and look provider classes up in a Map. In process (runCli) and through the bundled CLI.
 */
import { spawnSync } from 'node:child_process';
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { admissionJson, admissionPath, DECISION_PATH, decisionDoc, EXTERNAL_DECISION } from '../../src/engine/rules/fixtures.js';
import { ev, PASS_TRACE, passRun, trace } from '../../src/engine/stage2/rules/fixtures.js';
import { cleanup, cli, REPO_ROOT, tempDir } from './helpers.js';

afterEach(cleanup);

const DIST = path.join(REPO_ROOT, 'dist/cli.js');

/** A repository whose decision record approves `provider` / `model` under external_openai_codex, admitted by one file. */
async function repo(provider: string, model: string, config?: string): Promise<{ root: string; admission: string }> {
  const root = await tempDir('sot-gate-identity-');
  const admission = admissionPath(provider, model);
  const files: Record<string, string> = {
    [DECISION_PATH]: decisionDoc({ ...EXTERNAL_DECISION, provider: `\`${provider}\``, model: `\`${model}\`` }),
    [admission]: admissionJson({
      provider,
      model,
      credential_source_class: 'hermes-openai-codex-oauth-and-local-vllm-config',
      allowed_network_class: 'codex-oauth-hosted-model-plus-local-vllm-fallback',
    }),
    ...(config ? { '.github/sot-gate.yml': config } : {}),
  };
  for (const [rel, text] of Object.entries(files)) {
    await mkdir(path.dirname(path.join(root, rel)), { recursive: true });
    await writeFile(path.join(root, rel), text);
  }
  return { root, admission };
}

const env = (admission: string, provider: string, model: string) => ({
  CTO_HARNESS_CASE_MODEL_ADMISSION_FILE: admission,
  CTO_HARNESS_CASE_MODEL_PROVIDER: provider,
  CTO_HARNESS_CASE_MODEL: model,
});

async function preflight(root: string, e: Record<string, string>) {
  const runDir = path.join(await tempDir('sot-gate-run-'), 'run');
  const out = await cli(['preflight', '--run-dir', runDir, '--root', root, '--format', 'json'], root, e);
  return { ...out, json: JSON.parse(out.stdout) as Record<string, string> };
}

describe('preflight: identities', () => {
  it('blocks a case variant of the deny-listed pair (the check finds the deny list, the class and the form)', async () => {
    const { root, admission } = await repo('anthropic', 'Claude-Sonnet-4-6');
    const r = await preflight(root, env(admission, 'anthropic', 'Claude-Sonnet-4-6'));
    expect(r.code).toBe(1);
    expect(r.json).toMatchObject({ status: 'blocked', case_model_admission_status: 'not_admitted' });
    expect(r.json.reason).toMatch(/sot-gate check does not count .* as an admission: \d+ error findings?, first admission\/(forbidden-provider|identifier-form)/);
  });

  it('blocks a provider named constructor (check: no provider class; preflight: Map lookup)', async () => {
    const { root, admission } = await repo('constructor', 'gpt-5.5');
    const r = await preflight(root, env(admission, 'constructor', 'gpt-5.5'));
    expect(r.code).toBe(1);
    expect(r.json).toMatchObject({ status: 'blocked', case_model_admission_status: 'not_admitted' });
    expect(r.json.reason).toMatch(/decision\/class-mismatch at line 18/);
  });

  it('blocks a provider named constructor even with decision/class-mismatch turned off', async () => {
    const { root, admission } = await repo('constructor', 'gpt-5.5', 'rules:\n  decision/class-mismatch: off\n');
    const r = await preflight(root, env(admission, 'constructor', 'gpt-5.5'));
    expect(r.code).toBe(1);
    expect(r.json.reason).toBe('provider constructor has no provider class (vocabularies.provider-class-of): its route cannot be decided');
  });

  it('still admits the approved external pair (control)', async () => {
    const { root, admission } = await repo('openai-codex', 'gpt-5.5');
    const r = await preflight(root, { ...env(admission, 'openai-codex', 'gpt-5.5'), CTO_HARNESS_CASE_OPENAI_CODEX_AUTH_BRIDGE: '1' });
    expect(r.json).toMatchObject({ status: 'admitted', case_model_provider: 'openai-codex', case_model: 'gpt-5.5' });
    expect(r.code).toBe(0);
  });
});

describe('verify-evidence: a deny-listed pair in any spelling', () => {
  async function runDir(traceText: string): Promise<{ dir: string; root: string }> {
    const root = await tempDir('sot-gate-ve-root-');
    const dir = await tempDir('sot-gate-ve-run-');
    for (const [rel, text] of Object.entries(passRun({ 'trace.jsonl': traceText }))) {
      await mkdir(path.dirname(path.join(dir, rel)), { recursive: true });
      await writeFile(path.join(dir, rel), text);
    }
    return { dir, root };
  }
  for (const value of ['anthropic/claude-sonnet-4-6', 'anthropic:Claude-Sonnet-4-6', 'Claude-Sonnet-4-6', 'ANTHROPIC']) {
    it(`reports "fallback_to": "${value}" at its line`, async () => {
      const { dir } = await runDir(trace([...PASS_TRACE, ev('retry', { fallback_to: value })]));
      const r = await cli(['verify-evidence', dir, '--format', 'json'], dir, {});
      const out = JSON.parse(r.stdout) as { findings: Array<{ ruleId: string; line: number; message: string }> };
      const hits = out.findings.filter((f) => f.ruleId === 'evidence/model-outside-pair' && /deny-list/.test(f.message));
      expect(hits.map((h) => h.line)).toContain(PASS_TRACE.length + 1);
    });
  }
});

describe('through the bundled CLI (dist/cli.js)', () => {
  const node = (cwd: string, args: string[], e: Record<string, string> = {}) =>
    spawnSync(process.execPath, [DIST, ...args], { cwd, encoding: 'utf8', env: { PATH: process.env.PATH ?? '', ...e } });

  it('check: a case variant of the deny-listed pair and a constructor provider fail with their rules and lines', async () => {
    const a = await repo('anthropic', 'Claude-Sonnet-4-6');
    const ra = node(a.root, ['check', '.', '--format', 'json']);
    expect(ra.status).toBe(1);
    const fa = (JSON.parse(ra.stdout) as { findings: Array<{ ruleId: string; file: string; line: number }> }).findings;
    expect(fa).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ ruleId: 'admission/forbidden-provider', file: a.admission, line: 3 }),
        expect.objectContaining({ ruleId: 'admission/identifier-form', file: a.admission, line: 4 }),
        expect.objectContaining({ ruleId: 'decision/class-mismatch', file: DECISION_PATH, line: 18 }),
        expect.objectContaining({ ruleId: 'decision/identifier-form', file: DECISION_PATH, line: 19 }),
      ]),
    );
    const c = await repo('constructor', 'gpt-5.5');
    const rc = node(c.root, ['check', '.', '--format', 'json']);
    expect(rc.status).toBe(1);
    expect((JSON.parse(rc.stdout) as { findings: unknown[] }).findings).toEqual([expect.objectContaining({ ruleId: 'decision/class-mismatch', file: DECISION_PATH, line: 18 })]);
  });

  it('preflight: both are blocked, no config.json', async () => {
    for (const [provider, model] of [
      ['anthropic', 'Claude-Sonnet-4-6'],
      ['constructor', 'gpt-5.5'],
    ] as const) {
      const { root, admission } = await repo(provider, model);
      const run = path.join(await tempDir('sot-gate-run-'), 'run');
      const r = node(root, ['preflight', '--run-dir', run, '--root', root, '--format', 'json'], env(admission, provider, model));
      expect(r.status, r.stderr).toBe(1);
      expect(JSON.parse(r.stdout)).toMatchObject({ status: 'blocked', case_model_admission_status: 'not_admitted' });
      expect(spawnSync('ls', [path.join(run, 'case-data')]).status).not.toBe(0);
    }
  });
});
