/**
 * Stage 2 evidence that proves what it claims (engine level, on disk): compressed artifacts are opened and scanned
 * (bounded against bombs), a file that cannot be scanned is an error, no directive inside a run directory suppresses
 * anything, every artifact is read for models outside the admitted pair, JSON argv arrays are read as command lines,
 * duplicate keys in trace lines, the baseline comparison, the fixture policy and the Case config.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { gzipSync, strToU8, zipSync } from 'fflate';
import { afterEach, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/engine/load.js';
import { ARCHIVE_LIMITS, ArchiveBudget, openArchive } from '../../src/engine/stage2/archive.js';
import { BASELINE, ev, PASS_TRACE, passRun, report, trace } from '../../src/engine/stage2/rules/fixtures.js';
import { verifyEvidence, type VerifyOptions } from '../../src/engine/stage2/verify.js';
import type { CheckResult } from '../../src/engine/types.js';
import { cleanup, makeRepo, QWEN_ADMISSION, tempDir } from './helpers.js';

afterEach(cleanup);

const TOKEN = 'ghp_' + 'Zq8mR2vX7tL4pW9nK3cJ6hF1dS5aG0bY8eUi';
/** A key with no known format: only an option name (`--api-key`) says it is one. */
const OPAQUE = 'Qm7vR2xL9pK4wZ8tAb3dE5fG1hJ2kL3m';
const HOST = 'gpu-box.acme-internal.com';
const EP = `http://${HOST}:8000/v1`;

async function setup(files: Record<string, string | Uint8Array>) {
  const root = await makeRepo();
  const runDir = path.join(await tempDir('sot-gate-runs-'), 'run');
  for (const [rel, data] of Object.entries(files)) {
    await mkdir(path.dirname(path.join(runDir, rel)), { recursive: true });
    await writeFile(path.join(runDir, rel), data);
  }
  const { config } = await loadConfig(root);
  const verify = (o: Partial<VerifyOptions> = {}) =>
    verifyEvidence({ runDir, display: 'run', root, config, ...o, env: { CTO_HARNESS_CASE_MODEL_ADMISSION_FILE: QWEN_ADMISSION, ...o.env } });
  return { root, runDir, config, verify };
}

const of = (r: CheckResult, id: string) => r.findings.filter((f) => f.ruleId === id);
const where = (r: CheckResult, id: string) => of(r, id).map((f) => `${f.file}:${f.line}`);

describe('compressed artifacts are opened and scanned', () => {
  it('a secret inside a gzip log, a zip entry and a gzip inside a zip: each found at its entry and line, redacted', async () => {
    const s = await setup(
      passRun({
        'backend/case.log.gz': gzipSync(strToU8(`ok\ntoken ${TOKEN}\n`)) as unknown as string,
        'backend/logs.zip': zipSync({ 'a/stdout.log': strToU8(`one\ntwo\nkey ${TOKEN}\n`), 'inner.gz': gzipSync(strToU8(`${TOKEN}\n`)) }) as unknown as string,
      }),
    );
    const r = await s.verify();
    expect(where(r, 'secret/github').sort()).toEqual(['run/backend/case.log.gz!:2', 'run/backend/logs.zip!/a/stdout.log:3', 'run/backend/logs.zip!/inner.gz!:1']);
    expect(JSON.stringify(r)).not.toContain(TOKEN);
    expect(of(r, 'evidence/unscannable')).toEqual([]);
    expect(r.notes.join('\n')).not.toMatch(/binary/);
  });

  it('the endpoint value and a model outside the pair inside an archive are found too', async () => {
    const s = await setup(passRun({ 'backend/case.log.gz': gzipSync(strToU8(`connecting to ${EP}\nusing model claude-sonnet-4-6 via anthropic\n`)) as unknown as string }));
    const r = await s.verify({ env: { CTO_HARNESS_CASE_LOCAL_BASE_URL: EP } });
    expect(where(r, 'evidence/endpoint-value')).toEqual(['run/backend/case.log.gz!:1']);
    expect(where(r, 'evidence/model-outside-pair')).toContain('run/backend/case.log.gz!:2');
    expect(JSON.stringify(r).toLowerCase()).not.toContain(HOST);
  });

  it('a clean archive is quiet', async () => {
    const s = await setup(passRun({ 'backend/case.log.gz': gzipSync(strToU8('AGENT_RESULT start\nok\n')) as unknown as string, 'backend/all.zip': zipSync({ 'x.log': strToU8('fine\n') }) as unknown as string }));
    expect((await s.verify()).findings).toEqual([]);
  });

  it('bombs: past the inflated-bytes cap, the entry cap and the nesting cap, the archive is unscannable (an error, never a skip)', async () => {
    const limits = { maxBytes: 1024 * 1024, maxEntries: 10, maxDepth: 3 };
    let nested = strToU8('deep\n');
    for (let i = 0; i < 4; i++) nested = gzipSync(nested);
    const many: Record<string, Uint8Array> = {};
    for (let i = 0; i < 12; i++) many[`f${i}.log`] = strToU8('x\n');
    const cases: Array<[string, Uint8Array, string, string]> = [
      ['backend/big.gz', gzipSync(new Uint8Array(2 * 1024 * 1024)), 'run/backend/big.gz', 'decompression bomb limit'],
      ['backend/big.zip', zipSync({ 'a.log': strToU8('x'.repeat(2 * 1024 * 1024)) }), 'run/backend/big.zip', 'decompression bomb limit'],
      ['backend/many.zip', zipSync(many), 'run/backend/many.zip', 'more than 10 entries'],
      ['backend/deep.gz', nested, 'run/backend/deep.gz!!!', 'nested deeper than 3'],
    ];
    for (const [rel, data, file, why] of cases) {
      const s = await setup(passRun({ [rel]: data as unknown as string }));
      const u = of(await s.verify({ archiveLimits: limits }), 'evidence/unscannable');
      expect(u, rel).toEqual([expect.objectContaining({ file, line: 1, severity: 'error', message: expect.stringContaining(why) })]);
    }
    // The caps are over the whole run directory: two archives of 600 KiB each pass one at a time, not together.
    const half = gzipSync(strToU8('x'.repeat(600 * 1024)));
    const one = await setup(passRun({ 'backend/a.gz': half as unknown as string }));
    expect(of(await one.verify({ archiveLimits: limits }), 'evidence/unscannable')).toEqual([]);
    const two = await setup(passRun({ 'backend/a.gz': half as unknown as string, 'backend/b.gz': half as unknown as string }));
    expect(of(await two.verify({ archiveLimits: limits }), 'evidence/unscannable').map((f) => f.file)).toEqual(['run/backend/b.gz']);
  });

  it('the default caps: 256 MiB inflated, 10,000 entries, 3 levels', () => {
    expect(ARCHIVE_LIMITS).toEqual({ maxBytes: 256 * 1024 * 1024, maxEntries: 10_000, maxDepth: 3 });
  });

  it('a truncated gzip and a gzip whose length field disagrees are unscannable', () => {
    const good = gzipSync(strToU8('hello world\n'));
    const forged = Uint8Array.from(good);
    forged[forged.length - 4] = (forged[forged.length - 4]! + 1) & 0xff;
    for (const data of [good.subarray(0, 12), good.subarray(0, good.length - 6), forged]) {
      expect(openArchive(data, 'gzip', 'x.gz', new ArchiveBudget())).toEqual([{ path: 'x.gz', problem: expect.stringContaining('cannot be opened as gzip') }]);
    }
    expect(openArchive(good, 'gzip', 'x.gz', new ArchiveBudget())).toEqual([{ path: 'x.gz!', data: strToU8('hello world\n') }]);
  });

  it('a corrupt archive, a binary file and a binary entry are unscannable; UTF-16 text is decoded and scanned', async () => {
    const utf16 = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(`line one\ntoken ${TOKEN}\n`, 'utf16le')]);
    const s = await setup(
      passRun({
        'backend/broken.gz': Buffer.from([0x1f, 0x8b, 0x08, 0x00, 1, 2, 3]) as unknown as string,
        'backend/core.bin': Buffer.from([0x7f, 0x45, 0x4c, 0x46, 0, 0, 0, 0]) as unknown as string,
        'backend/img.zip': zipSync({ 'shot.png': new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0, 0, 0, 0, 1, 2]) }) as unknown as string,
        'backend/win.log': utf16 as unknown as string,
      }),
    );
    const r = await s.verify();
    expect(of(r, 'evidence/unscannable').map((f) => f.file).sort()).toEqual(['run/backend/broken.gz', 'run/backend/core.bin', 'run/backend/img.zip!/shot.png']);
    expect(where(r, 'secret/github')).toEqual(['run/backend/win.log:2']);
  });
});

describe('no suppression directive inside a run directory', () => {
  it('sot-gate:allow in a log and sot-gate:example in report.md hide nothing: the findings stay active', async () => {
    const s = await setup(
      passRun({
        'backend/case-stderr.log': `token ${TOKEN} # sot-gate:allow secret/github -- a test token\n`,
        'report.md': `# Stage 2 run\n\n<!-- sot-gate:example -->\ntoken ${TOKEN} sot-gate:example\n`,
        'backend/above.log': `// sot-gate:allow secret/github -- harness says so\ntoken ${TOKEN}\n`,
      }),
    );
    const r = await s.verify();
    expect(where(r, 'secret/github').sort()).toEqual(['run/backend/above.log:2', 'run/backend/case-stderr.log:1', 'run/report.md:4']);
    expect(r.suppressed).toEqual([]);
    expect(r.summary.suppressed).toBe(0);
  });
});

describe('silent model switches, in every artifact', () => {
  it('Case stdout announcing another model, at its line', async () => {
    const s = await setup(passRun({ 'backend/case-stdout.log': 'AGENT_RESULT start\nusing model claude-sonnet-4-6 via anthropic\nAGENT_RESULT end\n' }));
    const r = await s.verify();
    expect(where(r, 'evidence/model-outside-pair')).toEqual(['run/backend/case-stdout.log:2', 'run/backend/case-stdout.log:2']);
    const messages = of(r, 'evidence/model-outside-pair').map((f) => f.message).join('\n');
    expect(messages).toContain('claude-sonnet-4-6 appears in backend/case-stdout.log');
    expect(messages).toContain('anthropic appears in backend/case-stdout.log');
  });

  it('the same log naming only the admitted pair (in another letter case) is quiet', async () => {
    const s = await setup(passRun({ 'backend/case-stdout.log': 'using model Qwen3.6-35B-A3B via qwen-local\nmodel: qwen-local/qwen3.6-35b-a3b\n' }));
    expect(of(await s.verify(), 'evidence/model-outside-pair')).toEqual([]);
  });

  it('a model in a pretty-printed JSON artifact is reported at its own line', async () => {
    const s = await setup(passRun({ 'backend/request.json': JSON.stringify({ id: 1, request: { messages: [], model: 'gpt-4o' } }, null, 2) + '\n' }));
    const r = await s.verify();
    expect(where(r, 'evidence/model-outside-pair')).toEqual(['run/backend/request.json:5']);
  });

  it('a trace line with two "model" keys is evidence/trace-invalid at that line (not read as its last one)', async () => {
    const lines = [...PASS_TRACE, '{"event":"llm_request","model":"claude-sonnet-4-6","model":"qwen3.6-35b-a3b"}'];
    const s = await setup(passRun({ 'trace.jsonl': trace(lines) }));
    const r = await s.verify();
    expect(of(r, 'evidence/trace-invalid')).toEqual([expect.objectContaining({ line: 6, message: expect.stringContaining('duplicate key "model"') })]);
    const clean = await setup(passRun({ 'trace.jsonl': trace([...PASS_TRACE, '{"event":"llm_request","model":"qwen3.6-35b-a3b","request":{"model":"qwen3.6-35b-a3b"}}']) }));
    expect(of(await clean.verify(), 'evidence/trace-invalid')).toEqual([]);
  });
});

describe('argv arrays in JSON are read as the command line they are', () => {
  it('["case","--api-key","…"] in a JSON artifact, a JSON line and a trace event: found like the plain-text form', async () => {
    const s = await setup(
      passRun({
        'backend/plain.log': `case run --api-key ${OPAQUE}\n`,
        'backend/cmd.json': JSON.stringify({ argv: ['case', 'run', '--api-key', OPAQUE] }, null, 2) + '\n',
        'backend/cmds.jsonl': `{"n":1}\n${JSON.stringify(['case', `--token=${OPAQUE}`])}\n`,
        'trace.jsonl': trace([...PASS_TRACE, ev('case_argv', { argv: ['case', '--api-key', OPAQUE] })]),
      }),
    );
    const r = await s.verify();
    const secrets = r.findings.filter((f) => f.ruleId.startsWith('secret/'));
    expect(secrets.map((f) => `${f.ruleId} ${f.file}:${f.line}`).sort()).toEqual([
      'secret/key-name run/backend/cmd.json:2',
      'secret/key-name run/backend/cmds.jsonl:2',
      'secret/key-name run/backend/plain.log:1',
      'secret/key-name run/trace.jsonl:6',
    ]);
    expect(JSON.stringify(r)).not.toContain(OPAQUE);
  });

  it('an argv array without a secret option, or with a placeholder, is quiet', async () => {
    const s = await setup(passRun({ 'backend/cmd.json': JSON.stringify({ argv: ['case', '--model', 'qwen3.6-35b-a3b', '--api-key', '$OPENAI_API_KEY'] }) + '\n' }));
    expect((await s.verify()).findings).toEqual([]);
  });
});

describe('the baseline, the fixture and the Case config, on disk', () => {
  it('a failed baseline next to a Case pass fires evidence/baseline-comparison at the baseline line', async () => {
    const s = await setup(passRun({ 'report.json': report({ baseline: { ...BASELINE, status: 'fail', failure_reason: 'x' } }) }));
    const r = await s.verify();
    expect(of(r, 'evidence/baseline-comparison')).toEqual([expect.objectContaining({ line: 11, message: expect.stringContaining("baseline's status is fail") })]);
  });

  it('a case naming a real repository fires evidence/fixture-not-allowed; a policy can allow another fixture', async () => {
    const files = passRun({ 'report.json': report({ case: 'owned-repo:acme/payments', baseline: { ...BASELINE, case: 'owned-repo:acme/payments' } }) });
    const s = await setup(files);
    const r = await s.verify();
    expect(where(r, 'evidence/fixture-not-allowed')).toEqual(['run/report.json:3', 'run/report.json:11']);
    const allowing = { ...s.config, stage2: { ...s.config.stage2, 'allowed-fixtures': ['owned-repo:acme/payments'] } };
    expect(of(await s.verify({ config: allowing }), 'evidence/fixture-not-allowed')).toEqual([]);
  });

  it('a generated config with a fallback for an unadmitted pair fires evidence/config-model', async () => {
    const s = await setup(passRun({ 'case-data/config.json': JSON.stringify({ models: { default: 'qwen3.6-35b-a3b', provider: 'qwen-local', fallback: { provider: 'anthropic', model: 'claude-sonnet-4-6' } } }, null, 2) + '\n' }));
    const r = await s.verify();
    expect(of(r, 'evidence/config-model')).toEqual([expect.objectContaining({ file: 'run/case-data/config.json', line: 2, message: expect.stringContaining('models.fallback is set') })]);
  });
});

describe('every Stage 2 command prints its own usage', () => {
  it('preflight, verify-evidence, evidence and dispatch --help', async () => {
    const { cli } = await import('./helpers.js');
    for (const c of ['preflight', 'verify-evidence', 'evidence', 'dispatch']) {
      const r = await cli([c, '--help'], process.cwd());
      expect(r.code).toBe(0);
      expect(r.stdout.startsWith(`Usage: sot-gate ${c} `), c).toBe(true);
      expect(r.stdout).not.toContain('sot-gate check [PATH');
    }
  });
});

describe('tamper-evident evidence: manifest.json and the evidence block', () => {
  it('verify-evidence writes the manifest; --manifest re-checks an artifact: changed, missing and added files fire', async () => {
    const { cli } = await import('./helpers.js');
    const { createHash } = await import('node:crypto');
    const { readFile: rf, rm, symlink } = await import('node:fs/promises');
    const s = await setup(passRun());
    const env = { CTO_HARNESS_CASE_MODEL_ADMISSION_FILE: QWEN_ADMISSION };
    const first = await cli(['verify-evidence', s.runDir, '--root', s.root, '--format', 'json'], s.root, env);
    expect(first.code).toBe(0);
    const manifestPath = path.join(s.runDir, 'manifest.json');
    const manifest = JSON.parse(await rf(manifestPath, 'utf8')) as { files: Array<{ path: string; sha256: string }> };
    expect(manifest.files.map((f) => f.path)).toEqual(['backend/case-stdout.log', 'case-data/config.json', 'report.json', 'report.md', 'trace.jsonl']);
    expect(manifest.files.find((f) => f.path === 'report.md')!.sha256).toBe(createHash('sha256').update(await rf(path.join(s.runDir, 'report.md'))).digest('hex'));

    // A copy of the manifest outside the run (what the workflow attests), then the artifact as downloaded.
    const kept = path.join(await tempDir('sot-gate-manifest-'), 'manifest.json');
    await writeFile(kept, await rf(manifestPath));
    const same = await cli(['verify-evidence', s.runDir, '--root', s.root, '--format', 'json', '--manifest', kept], s.root, env);
    expect(same.code).toBe(0);
    await writeFile(path.join(s.runDir, 'report.md'), '# Stage 2 run\n\n- Report status: `pass` (edited).\n');
    await rm(path.join(s.runDir, 'backend/case-stdout.log'));
    await writeFile(path.join(s.runDir, 'backend/late.log'), 'added later\n');
    const changed = await cli(['verify-evidence', s.runDir, '--root', s.root, '--format', 'json', '--manifest', kept], s.root, env);
    expect(changed.code).toBe(1);
    const fs = (JSON.parse(changed.stdout) as { findings: Array<{ ruleId: string; file: string; line: number; message: string }> }).findings.filter((f) => f.ruleId === 'evidence/manifest-mismatch');
    expect(fs.map((f) => [path.basename(f.file), f.line, f.message.split(':')[0]])).toEqual([
      ['case-stdout.log', 1, 'listed in the manifest but missing'],
      ['late.log', 1, 'not in the manifest'],
      ['report.md', 1, expect.stringContaining('changed since it was verified')],
    ]);

    // A manifest.json planted as a link is never written through.
    const s2 = await setup(passRun());
    const target = path.join(await tempDir('sot-gate-outside-'), 'victim.txt');
    await writeFile(target, 'untouched\n');
    await symlink(target, path.join(s2.runDir, 'manifest.json'));
    const linked = await cli(['verify-evidence', s2.runDir, '--root', s2.root], s2.root, env);
    expect(linked.code).toBe(2);
    expect(await rf(target, 'utf8')).toBe('untouched\n');
  });

  it('the evidence block cites the run, the commit, the admission SHA-256, the artifact and the manifest digest, never an absolute path', async () => {
    const { cli } = await import('./helpers.js');
    const { createHash } = await import('node:crypto');
    const { readFile: rf } = await import('node:fs/promises');
    const s = await setup(passRun());
    const env = { CTO_HARNESS_CASE_MODEL_ADMISSION_FILE: QWEN_ADMISSION, GITHUB_SERVER_URL: 'https://github.com', GITHUB_REPOSITORY: 'acme/governance', GITHUB_RUN_ID: '42', GITHUB_SHA: 'a'.repeat(40) };
    expect((await cli(['verify-evidence', s.runDir, '--root', s.root], s.root, env)).code).toBe(0);
    const out = await cli(['evidence', s.runDir, '--root', s.root, '--artifact-name', 'stage2-run-42'], s.root, env);
    expect(out.code).toBe(0);
    const digest = (b: Buffer) => createHash('sha256').update(b).digest('hex');
    expect(out.stdout).toContain('- Run artifact directory: `run`.');
    expect(out.stdout).toContain('- Run: https://github.com/acme/governance/actions/runs/42.');
    expect(out.stdout).toContain(`- Commit: \`${'a'.repeat(40)}\`.`);
    expect(out.stdout).toContain(`- Admission file: \`${QWEN_ADMISSION}\` (SHA-256 \`${digest(await rf(path.join(s.root, QWEN_ADMISSION)))}\`).`);
    expect(out.stdout).toContain('- Artifact: `stage2-run-42`.');
    expect(out.stdout).toContain(`SHA-256: \`${digest(await rf(path.join(s.runDir, 'manifest.json')))}\`.`);
    expect(out.stdout).not.toContain(s.runDir);
  });
});
