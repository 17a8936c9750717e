/**
 * verify-evidence hardening: redacted rule messages, symbolic links, preflight's governance bar for a pass, a bounded
 * trace reader, endpoint needles (host alone, any case, URL-encoded), the Case data directory.
 */
import { mkdir, readFile, rm, symlink, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { fingerprintOf } from '../../src/engine/check.js';
import { configSchema } from '../../src/engine/config.js';
import { loadConfig } from '../../src/engine/load.js';
import { TRACE_LIMITS, contextFromMemory, parseTrace, type TraceLimits } from '../../src/engine/stage2/context.js';
import { admissionFromText } from '../../src/engine/stage2/admission-file.js';
import { ev, PASS_TRACE, passRun, report, trace, ADMISSION_FILE, validAdmission } from '../../src/engine/stage2/rules/fixtures.js';
import { traceInvalid } from '../../src/engine/stage2/rules/trace-invalid.js';
import { boundedLines, endpointNeedles, readTrace, runEvidenceRules, verifyEvidence, type VerifyOptions } from '../../src/engine/stage2/verify.js';
import type { CheckResult } from '../../src/engine/types.js';
import { cleanup, cli, DECISION, makeRepo, QWEN_ADMISSION, tempDir } from './helpers.js';

afterEach(cleanup);

const HOST = 'gpu-box.acme-internal.com';
const EP = `http://${HOST}:8000/v1`;
const TOKEN = 'ghp_' + 'Zq8mR2vX7tL4pW9nK3cJ6hF1dS5aG0bY8eUi';
const ENDPOINT_VAR = 'CTO_HARNESS_CASE_LOCAL_BASE_URL';

async function writeRun(dir: string, files: Record<string, string>): Promise<void> {
  for (const [rel, text] of Object.entries(files)) {
    await mkdir(path.dirname(path.join(dir, rel)), { recursive: true });
    await writeFile(path.join(dir, rel), text);
  }
}

/** A repository (examples/cto, both pairs admitted) and a run directory holding `files` (default: a valid pass). */
async function setup(files: Record<string, string> = passRun()) {
  const root = await makeRepo();
  const runDir = path.join(await tempDir('sot-gate-runs-'), 'run');
  await writeRun(runDir, files);
  const { config } = await loadConfig(root);
  const opts = (o: Partial<VerifyOptions> = {}): VerifyOptions => ({
    runDir,
    display: 'run',
    root,
    config,
    ...o,
    env: { CTO_HARNESS_CASE_MODEL_ADMISSION_FILE: QWEN_ADMISSION, ...o.env },
  });
  return { root, runDir, config, opts, verify: (o: Partial<VerifyOptions> = {}) => verifyEvidence(opts(o)) };
}

const ids = (r: CheckResult) => [...new Set(r.findings.map((f) => f.ruleId))].sort();
const of = (r: CheckResult, id: string) => r.findings.filter((f) => f.ruleId === id);

describe('evidence rule messages are redacted at the source (secrets, the endpoint value)', () => {
  const leaky = (status: 'pass' | 'fail') =>
    passRun({
      'report.json': report({ status, case_model_provider: TOKEN, case_model: EP, ...(status === 'fail' ? { failure_reason: 'x' } : {}) }),
      'trace.jsonl': trace([...PASS_TRACE, ev('llm_request', { model: EP }), ev('llm_request', { provider: TOKEN }), ev('llm_request', { model_name: `${HOST.toUpperCase()}:8000` })]),
      'case-data/config.json': JSON.stringify({ models: { default: EP, provider: TOKEN } }) + '\n',
    });

  for (const status of ['pass', 'fail'] as const) {
    it(`a ${status} run quoting a token and the endpoint in report.json, trace.jsonl and config.json`, async () => {
      const s = await setup(leaky(status));
      const result = await s.verify({ env: { [ENDPOINT_VAR]: EP } });
      const expected = ['evidence/config-model', 'evidence/model-outside-pair', status === 'pass' ? 'evidence/pass-not-admitted' : 'evidence/unadmitted-pair'];
      expect(ids(result)).toEqual(expect.arrayContaining([...expected, 'evidence/endpoint-value', 'secret/github']));
      const all = JSON.stringify(result);
      expect(all).not.toContain(TOKEN);
      expect(all.toLowerCase()).not.toContain(HOST);
      for (const id of expected) expect(of(result, id).some((f) => f.message.includes('<endpoint>'))).toBe(true);
      expect(of(result, 'evidence/config-model').some((f) => f.message.includes('ghp_'))).toBe(true); // redacted form, e.g. ghp_Zq…(40 chars)
      // The fingerprint is taken from the redacted message (never from the value).
      for (const f of result.findings.filter((x) => x.ruleId.startsWith('evidence/'))) expect(f.fingerprint).toBe(fingerprintOf(f.ruleId, f.file, f.message));
      // ... and the CLI prints none of it either.
      const out = await cli(['verify-evidence', s.runDir, '--root', s.root, '--format', 'json'], s.root, { CTO_HARNESS_CASE_MODEL_ADMISSION_FILE: QWEN_ADMISSION, [ENDPOINT_VAR]: EP });
      expect(out.stdout).not.toContain(TOKEN);
      expect(out.stdout.toLowerCase()).not.toContain(HOST);
    });
  }

  it('plain values are still quoted as they are', async () => {
    const s = await setup(passRun({ 'report.json': report({ case_model: 'qwen3-coder-30b' }) }));
    const [f] = of(await s.verify({ env: { [ENDPOINT_VAR]: EP } }), 'evidence/pass-not-admitted');
    expect(f!.message).toContain('qwen-local / qwen3-coder-30b does not count');
  });
});

describe('symbolic links in the run directory are errors (an upload would follow them)', () => {
  it('each link is an evidence/symlink error with its path; the target is never read', async () => {
    const s = await setup();
    const outside = await tempDir('sot-gate-outside-');
    await writeFile(path.join(outside, 'leak.log'), `token ${TOKEN}\n`);
    await symlink(path.join(outside, 'leak.log'), path.join(s.runDir, 'backend/case-debug.log'));
    await symlink(outside, path.join(s.runDir, 'node_modules'));
    const result = await s.verify();
    expect(of(result, 'evidence/symlink').map((f) => [f.file, f.severity])).toEqual([
      ['run/backend/case-debug.log', 'error'],
      ['run/node_modules', 'error'],
    ]);
    expect(result.summary.errors).toBe(2);
    expect(JSON.stringify(result)).not.toContain(TOKEN);
    expect(JSON.stringify(result)).not.toContain(outside);
    const out = await cli(['verify-evidence', s.runDir, '--root', s.root], s.root, { CTO_HARNESS_CASE_MODEL_ADMISSION_FILE: QWEN_ADMISSION });
    expect(out.code).toBe(1);
  });

  it('a run directory of regular files has no symlink finding', async () => {
    const s = await setup();
    expect((await s.verify()).findings).toEqual([]);
  });
});

describe('a pass counts only under the governance bar preflight applies', () => {
  it('an admission file outside --root', async () => {
    const s = await setup();
    const outside = path.join(await tempDir('sot-gate-outside-'), 'admission.json');
    await writeFile(outside, await readFile(path.join(s.root, QWEN_ADMISSION)));
    const result = await s.verify({ admissionFile: outside });
    expect(ids(result)).toEqual(['evidence/pass-not-admitted']);
    expect(result.findings[0]!.message).toContain('preflight would not admit qwen-local / qwen3.6-35b-a3b');
    expect(result.findings[0]!.message).toContain('outside the repository root');
    expect(result.admittedPairs).toEqual([]);
  });

  it('a decision record that says not_decided', async () => {
    const s = await setup();
    const file = path.join(s.root, DECISION);
    await writeFile(file, (await readFile(file, 'utf8')).replace('- `decision_status`: `local_provider_required`.', '- `decision_status`: `not_decided`.'));
    const result = await s.verify();
    expect(ids(result)).toEqual(['evidence/pass-not-admitted']);
    expect(result.findings[0]!.message).toMatch(/preflight would not admit .*(not_decided|sot-gate check does not count)/);
  });

  it('no decision record', async () => {
    const s = await setup();
    await rm(path.join(s.root, DECISION));
    const result = await s.verify();
    expect(ids(result)).toEqual(['evidence/pass-not-admitted']);
    expect(result.findings[0]!.message).toContain('preflight would not admit');
  });

  it('a failing run that started Case under such an admission is an unadmitted-pair error', async () => {
    const s = await setup(passRun({ 'report.json': report({ status: 'fail', failure_reason: 'case agent result protocol failed' }) }));
    await rm(path.join(s.root, DECISION));
    const result = await s.verify();
    expect(ids(result)).toEqual(['evidence/unadmitted-pair']);
    expect(result.findings[0]!.message).toContain('Case started but preflight would not admit');
  });

  it('the governed admission of a decided record still counts', async () => {
    const s = await setup();
    const result = await s.verify();
    expect(result.findings).toEqual([]);
    expect(result.admittedPairs).toEqual([expect.objectContaining({ provider: 'qwen-local', model: 'qwen3.6-35b-a3b' })]);
  });

  it('an in-memory context that never evaluated the repository fails closed', () => {
    const ctx = contextFromMemory({ config: configSchema.parse({}), files: passRun(), admission: admissionFromText(ADMISSION_FILE, validAdmission()) });
    expect(runEvidenceRules({ ...ctx, admissionGate: undefined }).map((f) => f.ruleId)).toEqual(['evidence/pass-not-admitted']);
  });
});

describe('trace.jsonl is read streaming and bounded', () => {
  const config = configSchema.parse({});

  it('boundedLines: the same lines as a split, across chunk boundaries, CRLF and a last line without newline', async () => {
    const dir = await tempDir();
    const lines = Array.from({ length: 3000 }, (_, i) => `{"event":"e${i}","pad":"${'é'.repeat(i % 700)}"}`);
    const file = path.join(dir, 't.jsonl');
    await writeFile(file, lines.join('\r\n') + '\n' + 'last');
    const got: string[] = [];
    for await (const batch of boundedLines(file, 1 << 20)) for (const l of batch) got.push('text' in l ? l.text : `<${l.tooLong}>`);
    expect(got).toEqual([...lines, 'last']);
  });

  it('a line over the cap is a trace-invalid finding at its line, skipped unread; the lines after it are still read', async () => {
    const huge = JSON.stringify({ event: 'llm_response', text: 'x'.repeat(3 * 1024 * 1024) });
    const s = await setup(passRun({ 'trace.jsonl': trace([...PASS_TRACE, huge, ev('llm_request', { provider: 'anthropic', model: 'claude-sonnet-4-6' })]) }));
    const result = await s.verify();
    expect(of(result, 'evidence/trace-invalid')).toEqual([expect.objectContaining({ file: 'run/trace.jsonl', line: 6 })]);
    expect(of(result, 'evidence/trace-invalid')[0]!.message).toContain(`longer than ${TRACE_LIMITS.maxLineBytes} bytes`);
    expect(of(result, 'evidence/model-outside-pair').every((f) => f.line === 7)).toBe(true);
    expect(of(result, 'evidence/model-outside-pair').length).toBeGreaterThan(0);
  });

  it('a line the walk cannot see all of (nested too deep, too many names) is a problem, not a silent pass', () => {
    let deep: unknown = { model: 'claude-sonnet-4-6' };
    for (let i = 0; i < 40; i++) deep = { wrap: deep };
    const many = Object.fromEntries(Array.from({ length: 101 }, (_, i) => [`m${i}_model`, 'qwen3.6-35b-a3b']));
    const ok = Object.fromEntries(Array.from({ length: 100 }, (_, i) => [`m${i}_model`, 'qwen3.6-35b-a3b']));
    const t = parseTrace(trace([...PASS_TRACE, ev('llm_request', { deep }), ev('llm_request', many), ev('llm_request', ok)]), config);
    expect(t.problems).toEqual([
      { line: 6, message: expect.stringContaining('nested deeper than 32 levels') },
      { line: 7, message: expect.stringContaining('names more than 100 providers/models') },
    ]);
  });

  const limits: TraceLimits = { maxLineBytes: 4096, maxEntries: 100, maxEntryBytes: 1 << 20, maxProblems: 10 };

  it('a long trace repeating the same events keeps a few entries and passes', async () => {
    const dir = await tempDir();
    const file = path.join(dir, 'trace.jsonl');
    const same = ev('llm_request', { provider: 'qwen-local', model: 'qwen3.6-35b-a3b' });
    await writeFile(file, [...PASS_TRACE, ...Array.from({ length: 50_000 }, () => same)].join('\n') + '\n');
    const t = await readTrace(file, config, limits);
    expect(t.problems).toEqual([]);
    expect(t.entries.length).toBeLessThanOrEqual(PASS_TRACE.length + 1);
    expect(t.entries.map((e) => e.event)).toEqual(expect.arrayContaining(['case_model_admission_checked', 'case_process_started']));
  });

  it('kept entries and problems are capped, with a summary of how many more (fail closed)', async () => {
    const dir = await tempDir();
    const file = path.join(dir, 'trace.jsonl');
    const distinct = Array.from({ length: 20_000 }, (_, i) => ev('llm_request', { model: `m-${i}` }));
    const bad = Array.from({ length: 5_000 }, () => '{"event": ');
    await writeFile(file, [...PASS_TRACE, ...distinct, ...bad, 'y'.repeat(10_000)].join('\n') + '\n');
    const t = await readTrace(file, config, limits);
    expect(t.entries.length).toBe(limits.maxEntries);
    expect(t.problems.length).toBe(limits.maxProblems);
    // the summary of dropped entries and the overlong line are counted among the problems not kept
    expect(t.moreProblems).toBe(5_000 + 1 + 1 - limits.maxProblems);
    const ctx = { ...contextFromMemory({ config, files: passRun(), admission: admissionFromText(ADMISSION_FILE, validAdmission()) }), trace: t };
    const found = runEvidenceRules(ctx, [traceInvalid]);
    expect(found.length).toBe(limits.maxProblems + 1);
    expect(found.at(-1)!.message).toBe(`and ${5_000 + 2 - limits.maxProblems} more bad lines`);
  });

  it('the dropped-entries summary names the first line not evaluated', async () => {
    const dir = await tempDir();
    const file = path.join(dir, 'trace.jsonl');
    await writeFile(file, [...PASS_TRACE, ...Array.from({ length: 300 }, (_, i) => ev('llm_request', { model: `m-${i}` }))].join('\n') + '\n');
    const t = await readTrace(file, config, limits);
    // PASS_TRACE keeps 2 entries (the admission check and the start): 98 of the 300 distinct lines fit, 202 do not
    expect(t.problems).toEqual([{ line: PASS_TRACE.length + 98 + 1, message: expect.stringContaining('202 more lines from here on') }]);
  });
});

describe('endpoint needles: host name alone, any case, URL-encoded', () => {
  it('endpointNeedles', () => {
    expect(endpointNeedles(EP)).toEqual(expect.arrayContaining([EP, `${HOST}:8000`, HOST, encodeURIComponent(EP)]));
    expect(endpointNeedles('http://spark:8000/v1')).not.toContain('spark');
    expect(endpointNeedles('http://127.0.0.1:8000/v1')).not.toContain('127.0.0.1');
    expect(endpointNeedles('http://10.1.2.3:8000/v1')).toContain('10.1.2.3');
    expect(endpointNeedles('http://[fd7a:115c::1]:8000/v1')).toContain('fd7a:115c::1');
    expect(endpointNeedles('')).toEqual([]);
  });

  it('finds each form in the artifacts and never prints it (file names included)', async () => {
    const s = await setup(
      passRun({
        'backend/a.log': `resolving ${HOST}\n`,
        'backend/b.log': `x\n${HOST.toUpperCase()}:8000/v1/chat/completions\n`,
        'backend/c.log': `x\ny\nurl=${encodeURIComponent(EP)}\n`,
        'backend/d.log': 'the spark node answered\n',
        [`backend/${HOST}/x.log`]: 'ok\n',
      }),
    );
    const result = await s.verify({ env: { [ENDPOINT_VAR]: EP } });
    expect(of(result, 'evidence/endpoint-value').map((f) => [f.file, f.line])).toEqual([
      ['run/backend/<endpoint>/x.log', 1],
      ['run/backend/a.log', 1],
      ['run/backend/b.log', 2],
      ['run/backend/c.log', 3],
    ]);
    expect(JSON.stringify(result).toLowerCase()).not.toContain(HOST);
    const spark = await s.verify({ env: { [ENDPOINT_VAR]: 'http://spark:8000/v1' } });
    expect(of(spark, 'evidence/endpoint-value')).toEqual([]);
  });
});

describe('the Case data directory', () => {
  const wrong = JSON.stringify({ models: { default: 'qwen3-coder-30b' } }) + '\n';

  it('CASE_DATA_DIR (as preflight reads it) or the caseDataDir option, relative to the run directory', async () => {
    const s = await setup(passRun({ 'case-data/config.json': undefined, 'data/case/config.json': wrong }));
    // The default place holds no config: a pass without its config fires there.
    expect(of(await s.verify(), 'evidence/config-model')).toEqual([expect.objectContaining({ file: 'run/case-data/config.json', line: 1, message: expect.stringContaining('no generated Case config') })]);
    const viaEnv = await s.verify({ env: { CASE_DATA_DIR: 'data/case' } });
    expect(of(viaEnv, 'evidence/config-model')).toEqual([expect.objectContaining({ file: 'run/data/case/config.json', message: expect.stringContaining('not the admitted model') })]);
    const viaOption = await s.verify({ caseDataDir: 'data/case', env: { CASE_DATA_DIR: 'elsewhere' } });
    expect(of(viaOption, 'evidence/config-model')).toEqual([expect.objectContaining({ file: 'run/data/case/config.json' })]);
  });

  it('the default case-data is not read when the data directory is elsewhere; outside the run directory is an error for a pass', async () => {
    const s = await setup(passRun({ 'case-data/config.json': wrong }));
    expect(of(await s.verify(), 'evidence/config-model').length).toBe(1);
    expect(of(await s.verify({ caseDataDir: 'other' }), 'evidence/config-model')).toEqual([expect.objectContaining({ file: 'run/other/config.json', message: expect.stringContaining('no generated Case config') })]);
    const outside = await s.verify({ caseDataDir: '../case-data' });
    expect(of(outside, 'evidence/config-model')).toEqual([expect.objectContaining({ file: 'run/report.json', line: 6, message: expect.stringContaining('outside the run directory') })]);
  });
});

describe("the repository's ignore globs do not hide run-directory files from the scan", () => {
  it('scans a log the policy ignores, and still scans it when nothing is ignored', async () => {
    const files = { ...passRun(), 'backend/case-debug.log': `token ${TOKEN}\n` };
    const { verify, config } = await setup(files);
    const ignoring = { ...config, ignore: ['**/*.log'] };
    for (const c of [ignoring, config]) {
      const r = await verify({ config: c });
      expect(r.findings.filter((f) => f.ruleId === 'secret/github').map((f) => f.file)).toEqual(['run/backend/case-debug.log']);
      expect(JSON.stringify(r)).not.toContain(TOKEN);
    }
  });
});

describe('the Stage 2 commands never echo a key given as an argument', () => {
  it('redacts a key in an unexpected argument, an option value and a run directory name', async () => {
    const dir = await tempDir('sot-gate-echo-');
    const key = 'sk-proj-' + 'Qm7vR2xL9pK4wZ8tQm7vR2xL9pK4wZ8tAb3dE5fG';
    const runs = [
      await cli(['preflight', '--run-dir', path.join(dir, 'r'), `x_${key}`], dir),
      await cli(['verify-evidence', path.join(dir, 'r'), '--format', `j${key}`], dir),
      await cli(['verify-evidence', path.join(dir, `run-${TOKEN}`)], dir),
    ];
    for (const r of runs) {
      expect(r.code).toBe(2);
      expect(r.stderr.trim().split('\n')).toHaveLength(1);
      expect(r.stdout + r.stderr).not.toContain(key.slice(8, 30));
      expect(r.stdout + r.stderr).not.toContain(TOKEN.slice(4));
    }
  });
});
