import { execFileSync } from 'node:child_process';
import { mkdtempSync, mkdirSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../../src/cli/main.js';
import { admissionJson, admissionPath, DECISION_PATH, decisionDoc, EXTERNAL_DECISION } from '../../src/engine/rules/fixtures.js';

const repo = path.resolve(__dirname, '../..');

async function cli(args: string[], cwd = repo) {
  let stdout = '';
  let stderr = '';
  const code = await runCli(args, { stdout: (s) => (stdout += s), stderr: (s) => (stderr += s), cwd, env: {} });
  return { code, stdout, stderr };
}

function tree(files: Record<string, string>): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'sot-gate-cli-'));
  for (const [rel, content] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(dir, rel)), { recursive: true });
    writeFileSync(path.join(dir, rel), content);
  }
  return dir;
}

describe('sot-gate check', () => {
  it('exit 1 and the public JSON shape on the example tree', async () => {
    const r = await cli(['check', 'examples/cto', '--format', 'json']);
    expect(r.code).toBe(1);
    const out = JSON.parse(r.stdout);
    expect(out.version).toBe(1);
    expect(out.summary).toEqual({ files: 5, errors: 3, warnings: 0, suppressed: 0 });
    expect(out.findings[0]).toEqual({
      ruleId: 'admission/implicit-fallback',
      severity: 'error',
      file: '.sot/03-PROTOCOLS/CTO-CASE-MODEL-PROVIDER-ADMISSION.openai-codex-gpt-5.5.json',
      line: 3,
      message: expect.stringContaining('role'),
      fingerprint: expect.stringMatching(/^[0-9a-f]{32}$/),
    });
  });
  it('exit 0 on a clean tree; text output counts', async () => {
    const dir = tree({ [DECISION_PATH]: decisionDoc(), [admissionPath('qwen-local', 'qwen3.6-35b-a3b')]: admissionJson() });
    const r = await cli(['check', dir]);
    expect(r.code).toBe(0);
    expect(r.stdout).toBe('2 files checked: 0 errors, 0 warnings, 0 suppressed\n');
  });
  it('--exit-zero prints findings but exits 0', async () => {
    const r = await cli(['check', 'examples/cto', '--exit-zero']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('admission/stale');
  });
  it('a file PATH narrows the report to that file', async () => {
    const dir = tree({
      [DECISION_PATH]: decisionDoc({ decision_status: '`bogus`' }),
      '.sot/notes.md': '# no front matter\n',
    });
    const all = await cli(['check', dir, '--format', 'json']);
    expect(JSON.parse(all.stdout).findings.map((f: { ruleId: string }) => f.ruleId).sort()).toEqual(['decision/invalid-status', 'sot/frontmatter-missing']);
    const one = await cli(['check', '.sot/notes.md', '--format', 'json'], dir);
    expect(JSON.parse(one.stdout).findings.map((f: { ruleId: string }) => f.ruleId)).toEqual(['sot/frontmatter-missing']);
  });
  it('--base-ref compares with a git revision', async () => {
    const dir = tree({ [DECISION_PATH]: decisionDoc(EXTERNAL_DECISION) });
    const git = (...a: string[]) => execFileSync('git', ['-C', dir, '-c', 'user.name=t', '-c', 'user.email=t@t', ...a], { stdio: 'pipe' });
    git('init', '-q');
    git('add', '-A');
    git('commit', '-qm', 'base');
    writeFileSync(path.join(dir, DECISION_PATH), decisionDoc({}, ['not_decided']));
    const r = await cli(['check', dir, '--base-ref', 'HEAD', '--format', 'json']);
    expect(JSON.parse(r.stdout).findings.map((f: { ruleId: string }) => f.ruleId)).toEqual(['decision/history-not-updated']);
    const bad = await cli(['check', dir, '--base-ref', 'no-such-ref']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/^sot-gate: git revision no-such-ref not found/);
  });
  it('exit 2 with one clear line: bad config, missing path, bad format, unknown option', async () => {
    const dir = tree({ '.github/sot-gate.yml': 'rules:\n  decision/invalid-status: loud\n' });
    const bad = await cli(['check', dir]);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/^sot-gate: \.github\/sot-gate\.yml: invalid configuration: rules\.decision\/invalid-status/);
    expect(bad.stderr.trim().split('\n')).toHaveLength(1);
    expect((await cli(['check', '/nonexistent/x'])).code).toBe(2);
    expect((await cli(['check', '--format', 'xml'])).stderr).toContain('--format must be one of');
    expect((await cli(['check', '--nope'])).code).toBe(2);
    expect((await cli(['frobnicate'])).code).toBe(2);
  });
  it('sarif format is SARIF 2.1.0 with relative URIs', async () => {
    const r = await cli(['check', 'examples/cto', '--format', 'sarif']);
    const log = JSON.parse(r.stdout);
    expect(log.version).toBe('2.1.0');
    expect(log.runs[0].results[0].locations[0].physicalLocation.artifactLocation.uri).toMatch(/^\.sot\//);
  });
});
