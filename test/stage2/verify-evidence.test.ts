import { readFile, symlink, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, afterEach, describe, expect, it } from 'vitest';
import { runHarness, type Scenario } from './harness/harness.js';
import { cleanup, cli, makeRepo, modelServer, QWEN_ADMISSION, qwenEnv, readAll, tempDir } from './helpers.js';

let srv: Awaited<ReturnType<typeof modelServer>>;
beforeAll(async () => {
  srv = await modelServer('list');
});
afterAll(() => srv.close());
afterEach(cleanup);

interface JsonFinding {
  ruleId: string;
  severity: string;
  file: string;
  line: number;
  message: string;
}

/** preflight (real, against the local server) -> reference harness -> verify-evidence --format json. */
async function scenarioRun(scenario: Scenario, envOverrides: Record<string, string | undefined> = {}) {
  const root = await makeRepo();
  const parent = await tempDir('sot-gate-runs-');
  const runDir = path.join(parent, '20260601T020117Z-r1-string-slugify-1');
  const env = { ...qwenEnv(srv.base), ...envOverrides };
  const pf = await cli(['preflight', '--run-dir', runDir, '--root', root, '--format', 'json'], root, env);
  expect(pf.code).toBe(0);
  await runHarness({ runDir, env, scenario });
  const out = await cli(['verify-evidence', runDir, '--root', root, '--format', 'json'], parent, env);
  const parsed = JSON.parse(out.stdout) as { summary: { errors: number }; findings: JsonFinding[] };
  return { root, runDir, parent, env, out, findings: parsed.findings, summary: parsed.summary };
}

const ids = (fs: JsonFinding[]) => [...new Set(fs.map((f) => f.ruleId))].sort();

describe('verify-evidence over reference-harness run directories', () => {
  it('a pass with the admitted pair: no findings, exit 0', async () => {
    const r = await scenarioRun('pass');
    expect(r.findings).toEqual([]);
    expect(r.out.code).toBe(0);
  });

  it('a fail of the admitted pair (the seeds\' protocol error) is valid evidence: exit 0', async () => {
    const r = await scenarioRun('fail-protocol');
    expect(r.findings).toEqual([]);
    expect(r.out.code).toBe(0);
  });

  it('a pass with a different model does not count, and the trace shows the fallback', async () => {
    const r = await scenarioRun('pass-other-model');
    expect(r.out.code).toBe(1);
    expect(ids(r.findings)).toEqual(['evidence/model-outside-pair', 'evidence/pass-not-admitted']);
    const pass = r.findings.find((f) => f.ruleId === 'evidence/pass-not-admitted')!;
    expect(pass.file).toBe('20260601T020117Z-r1-string-slugify-1/report.json');
    expect(pass.message).toContain('anthropic / claude-sonnet-4-6 does not count');
    const outside = r.findings.filter((f) => f.ruleId === 'evidence/model-outside-pair');
    // The trace's start event, and the model named in report.md (every artifact is read).
    expect([...new Set(outside.map((f) => `${f.file.split('/').slice(1).join('/')}:${f.line}`))]).toEqual(['report.md:5', 'trace.jsonl:4']);
  });

  it('a blocked run that still says case_process_started', async () => {
    const r = await scenarioRun('blocked-but-started');
    expect(r.out.code).toBe(1);
    expect(ids(r.findings)).toContain('evidence/blocked-but-started');
    const f = r.findings.find((x) => x.ruleId === 'evidence/blocked-but-started' && x.file.endsWith('report.json'))!;
    const report = await readFile(path.join(r.runDir, 'report.json'), 'utf8');
    expect(report.split('\n')[f.line - 1]).toContain('case_process_started');
  });

  it('a missing baseline', async () => {
    const r = await scenarioRun('missing-baseline');
    expect(ids(r.findings)).toEqual(['evidence/baseline-missing']);
    expect(r.out.code).toBe(1);
  });

  it('a secret in a backend log is found by the scanner, at its line, redacted', async () => {
    const r = await scenarioRun('secret-in-log');
    expect(r.out.code).toBe(1);
    const s = r.findings.filter((f) => f.ruleId.startsWith('secret/'));
    expect(s.length).toBeGreaterThan(0);
    expect(s[0]!.file).toBe('20260601T020117Z-r1-string-slugify-1/backend/case-stdout.log');
    expect(s[0]!.line).toBe(4);
    const log = await readFile(path.join(r.runDir, 'backend/case-stdout.log'), 'utf8');
    const key = /sk-\S+/.exec(log)![0];
    expect(r.out.stdout).not.toContain(key);
  });

  it('the endpoint value in a backend log is found (even on 127.0.0.1) and never printed', async () => {
    const r = await scenarioRun('endpoint-in-log');
    expect(r.out.code).toBe(1);
    const f = r.findings.find((x) => x.ruleId === 'evidence/endpoint-value')!;
    expect(f).toMatchObject({ file: '20260601T020117Z-r1-string-slugify-1/backend/case-stdout.log', line: 4 });
    expect(f.message).toContain('CTO_HARNESS_CASE_LOCAL_BASE_URL');
    expect(r.out.stdout).not.toContain(srv.host);
    for (const fmt of ['text', 'sarif']) {
      const o = await cli(['verify-evidence', r.runDir, '--root', r.root, '--format', fmt], r.parent, r.env);
      expect(o.stdout).toContain('evidence/endpoint-value');
      expect(o.stdout).not.toContain(srv.host);
    }
  });

  it('a pass verified without any admission file does not count', async () => {
    const r = await scenarioRun('pass');
    const out = await cli(['verify-evidence', r.runDir, '--root', r.root, '--format', 'json'], r.parent, { ...r.env, CTO_HARNESS_CASE_MODEL_ADMISSION_FILE: undefined });
    const findings = (JSON.parse(out.stdout) as { findings: JsonFinding[] }).findings;
    expect(ids(findings)).toEqual(['evidence/pass-not-admitted']);
    expect(findings[0]!.message).toContain('no admission file was given');
    const withFlag = await cli(['verify-evidence', r.runDir, '--root', r.root, '--admission-file', QWEN_ADMISSION], r.parent, {});
    expect(withFlag.code).toBe(0);
  });

  it('a pass whose admission has been revoked since does not count', async () => {
    const r = await scenarioRun('pass');
    const file = path.join(r.root, QWEN_ADMISSION);
    await writeFile(file, (await readFile(file, 'utf8')).replace('"admitted"', '"revoked"'));
    const out = await cli(['verify-evidence', r.runDir, '--root', r.root], r.parent, r.env);
    expect(out.code).toBe(1);
    expect(out.stdout).toContain('has status revoked');
  });

  it('a bad trace line is reported at that line', async () => {
    const r = await scenarioRun('pass');
    const t = path.join(r.runDir, 'trace.jsonl');
    const lines = (await readFile(t, 'utf8')).trimEnd().split('\n');
    lines.splice(2, 0, '{"event": "oops"');
    await writeFile(t, lines.join('\n') + '\n');
    const out = await cli(['verify-evidence', r.runDir, '--root', r.root, '--format', 'json'], r.parent, r.env);
    const findings = (JSON.parse(out.stdout) as { findings: JsonFinding[] }).findings;
    expect(findings).toEqual([expect.objectContaining({ ruleId: 'evidence/trace-invalid', line: 3 })]);
  });

  it('a blocked preflight run directory verifies clean (the negative gate is valid evidence)', async () => {
    const root = await makeRepo();
    const runDir = path.join(await tempDir(), 'run');
    const env = { ...qwenEnv(srv.base), CTO_HARNESS_CASE_MODEL: 'claude-sonnet-4-6', CTO_HARNESS_CASE_MODEL_PROVIDER: 'anthropic' };
    expect((await cli(['preflight', '--run-dir', runDir, '--root', root], root, env)).code).toBe(1);
    const out = await cli(['verify-evidence', runDir, '--root', root], root, env);
    expect(out.stdout).toContain('0 errors');
    expect(out.code).toBe(0);
    // ... and a harness that ran Case anyway is caught
    await runHarness({ runDir, env, scenario: 'blocked-but-started' });
    const after = await cli(['verify-evidence', runDir, '--root', root, '--format', 'json'], root, env);
    expect(ids((JSON.parse(after.stdout) as { findings: JsonFinding[] }).findings)).toEqual(
      expect.arrayContaining(['evidence/blocked-but-started', 'evidence/model-outside-pair', 'evidence/unadmitted-pair']),
    );
  });

  it('missing report, missing dir, symlinked report', async () => {
    const root = await makeRepo();
    const dir = await tempDir();
    const out = await cli(['verify-evidence', dir, '--root', root, '--format', 'json'], root, qwenEnv());
    expect(ids((JSON.parse(out.stdout) as { findings: JsonFinding[] }).findings)).toEqual(['evidence/report-missing']);
    expect(out.code).toBe(1);
    expect((await cli(['verify-evidence', path.join(dir, 'nope'), '--root', root], root, qwenEnv())).code).toBe(2);
    expect((await cli(['verify-evidence', '--root', root], root, qwenEnv())).code).toBe(2);
    const other = path.join(await tempDir(), 'report.json');
    await writeFile(other, '{}');
    await symlink(other, path.join(dir, 'report.json'));
    const linked = await cli(['verify-evidence', dir, '--root', root], root, qwenEnv());
    expect(linked.stdout).toContain('symbolic link');
    expect(linked.code).toBe(1);
  });

  it('sarif carries the evidence rules\' help', async () => {
    const r = await scenarioRun('missing-baseline');
    const out = await cli(['verify-evidence', r.runDir, '--root', r.root, '--format', 'sarif'], r.parent, r.env);
    const sarif = JSON.parse(out.stdout) as { runs: Array<{ tool: { driver: { rules: Array<{ id: string; helpUri: string; shortDescription: { text: string } }> } } }> };
    const rule = sarif.runs[0]!.tool.driver.rules.find((x) => x.id === 'evidence/baseline-missing')!;
    expect(rule.helpUri).toMatch(/docs\/rules\/evidence-baseline-missing\.md$/);
    expect(rule.shortDescription.text).toContain('same-run fake baseline');
  });

  it('never writes outside the run directory and leaves the endpoint out of every artifact of a good run', async () => {
    const r = await scenarioRun('pass');
    const files = await readAll(r.runDir);
    for (const text of Object.values(files)) expect(text).not.toContain(srv.host);
  });
});
