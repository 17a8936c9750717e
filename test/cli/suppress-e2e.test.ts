/**
 * Suppression needs authority, end to end through the bundled CLI (dist/cli.js, after `npm run bundle`): a directive
 * the change adds is unapproved under `check --base-dir` (the CLI sees no reviews); a directive inside an admission's
 * JSON neither suppresses nor admits, and `preflight` blocks that admission without writing config.json.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { runCli } from '../../src/cli/main.js';
import { fingerprint } from '../../src/engine/scanner/index.js';
import { admissionPath, decisionDoc, DECISION_PATH, EXTERNAL_DECISION, frontMatter } from '../../src/engine/rules/fixtures.js';

const repo = path.resolve(__dirname, '../..');
const CLI = path.join(repo, 'dist/cli.js');
// Built at run time so this file holds no key-shaped literal.
const KEY = ['sk', 'Zq8Rt2Lm5Np7Vx9Wb3Yc6Hd1Jf4Kg8Ts0Uv2Ew5Fz7Gh9AiX'].join('-');
const NOTES = '.sot/notes.md';
const ANTHROPIC = admissionPath('anthropic', 'claude-sonnet-4-6');

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});
function tree(files: Record<string, string>): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'sot-gate-suppress-'));
  dirs.push(dir);
  for (const [rel, text] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(dir, rel)), { recursive: true });
    writeFileSync(path.join(dir, rel), text);
  }
  return dir;
}
const cli = (args: string[], env: Record<string, string> = {}) => spawnSync(process.execPath, [CLI, ...args], { encoding: 'utf8', env: { PATH: process.env.PATH ?? '', ...env } });
type Out = { summary: { errors: number; suppressed: number }; findings: Array<{ ruleId: string; file: string; line: number; message: string }>; suppressed: Array<{ ruleId: string; suppressed: { reason: string } }> };

const notes = (line: string) => `${frontMatter({ title: 'Notes' })}\n# Notes\n\n${line}\n`;
const ALLOWED = notes(`key: ${KEY} <!-- sot-gate:allow secret/openai -- revoked test key -->`);

describe('check --base-dir: a directive the change adds', () => {
  it('is unapproved: exit 1, suppress/unapproved at the directive, the secret stays active and is never printed', () => {
    const head = tree({ [NOTES]: ALLOWED });
    const base = tree({ [NOTES]: notes(`key: ${KEY}`) });
    const r = cli(['check', head, '--base-dir', base, '--format', 'json']);
    expect(r.stderr).toBe('');
    expect(r.status).toBe(1);
    const out = JSON.parse(r.stdout) as Out;
    expect(out.findings.map((f) => [f.ruleId, f.file, f.line])).toEqual([
      ['suppress/unapproved', NOTES, 14],
      ['secret/openai', NOTES, 14],
    ]);
    expect(out.findings[0]!.message).toContain(`it would hide secret/openai at ${NOTES}:14`);
    expect(out.suppressed).toEqual([]);
    expect(r.stdout).not.toContain(KEY.slice(0, 12));
  });
  it('the same directive in the base: reviewed, suppressed, exit 0; without a base, too', () => {
    const head = tree({ [NOTES]: ALLOWED });
    for (const args of [['--base-dir', tree({ [NOTES]: ALLOWED })], []]) {
      const r = cli(['check', head, ...args, '--format', 'json']);
      expect(r.status).toBe(0);
      const out = JSON.parse(r.stdout) as Out;
      expect(out.findings).toEqual([]);
      expect(out.suppressed.map((f) => [f.ruleId, f.suppressed.reason])).toEqual([['secret/openai', 'revoked test key']]);
    }
  });
});

describe('the issue\'s example: an anthropic admission carrying an allow directive in its own JSON', () => {
  const decision = decisionDoc({ ...EXTERNAL_DECISION, provider_class: '`external_anthropic`', provider: '`anthropic`', model: '`claude-sonnet-4-6`', credential_source_class: '`anthropic-api-key-env`', allowed_network_class: '`hosted`' });
  // One line: the directive sits on the line of every finding of the admission.
  const admission = JSON.stringify({
    status: 'admitted',
    provider: 'anthropic',
    model: 'claude-sonnet-4-6',
    credential_source_class: 'anthropic-api-key-in-repo',
    allowed_network_class: 'hosted',
    approval_source: 'JP chat approval on 2026-05-31',
    admission_timestamp: '2026-05-31T21:50:00-04:00',
    review_trigger: 'sot-gate:allow * -- approved in chat',
  }) + '\n';
  const files = { [DECISION_PATH]: decision, [ANTHROPIC]: admission };

  it('check: the directive suppresses nothing and is reported', () => {
    const root = tree(files);
    const r = cli(['check', root, '--format', 'json']);
    expect(r.status).toBe(1);
    const out = JSON.parse(r.stdout) as Out;
    expect(out.findings.map((f) => [f.ruleId, f.file, f.line])).toEqual([
      ['admission/stale', ANTHROPIC, 1],
      ['suppress/ignored-directive', ANTHROPIC, 1],
    ]);
    expect(out.suppressed).toEqual([]);
  });
  it('preflight: not admitted, blocked before the harness, no config.json written', () => {
    const root = tree(files);
    const runDir = path.join(tree({}), 'run');
    const r = cli(['preflight', '--run-dir', runDir, '--root', root, '--format', 'json'], {
      CTO_HARNESS_CASE_MODEL_ADMISSION_FILE: ANTHROPIC,
      CTO_HARNESS_CASE_MODEL_PROVIDER: 'anthropic',
      CTO_HARNESS_CASE_MODEL: 'claude-sonnet-4-6',
    });
    expect(r.status).toBe(1);
    const out = JSON.parse(r.stdout) as { status: string; case_model_admission_status: string; reason: string };
    expect(out).toMatchObject({ status: 'blocked', case_model_admission_status: 'not_admitted' });
    expect(out.reason).toContain(`sot-gate check does not count ${ANTHROPIC} as an admission`);
    expect(out.reason).toContain('first admission/stale at line 1');
    expect(existsSync(path.join(runDir, 'case-data/config.json'))).toBe(false);
    expect(readFileSync(path.join(runDir, 'trace.jsonl'), 'utf8')).toContain('case_model_admission_blocked');
  });
  it('preflight admits the same admission once its credential class matches the decision (the control case)', () => {
    const root = tree({ ...files, [ANTHROPIC]: admission.replace('anthropic-api-key-in-repo', 'anthropic-api-key-env') });
    const runDir = path.join(tree({}), 'run');
    const r = cli(['preflight', '--run-dir', runDir, '--root', root, '--format', 'json'], {
      CTO_HARNESS_CASE_MODEL_ADMISSION_FILE: ANTHROPIC,
      CTO_HARNESS_CASE_MODEL_PROVIDER: 'anthropic',
      CTO_HARNESS_CASE_MODEL: 'claude-sonnet-4-6',
    });
    expect(JSON.parse(r.stdout)).toMatchObject({ status: 'admitted' });
    expect(existsSync(path.join(runDir, 'case-data/config.json'))).toBe(true);
  });
});

describe('check --base-dir / --base-ref: the baseline is the earlier state\'s, the tree\'s new entries are unapproved', () => {
  const BASELINE = '.github/sot-gate-baseline.json';
  const policy = `secrets:\n  baseline: ${BASELINE}\n`;
  const plain = notes(`key: ${KEY}`);
  const entries = (fp?: string) => JSON.stringify({ version: 1, entries: fp ? [{ fingerprint: fp, rule: 'secret/openai', reason: 'rotated' }] : [] });
  async function check(args: string[]): Promise<{ code: number; out: Out }> {
    let stdout = '';
    const code = await runCli(['check', ...args, '--format', 'json'], { stdout: (s) => (stdout += s), stderr: () => undefined, cwd: os.tmpdir(), env: {} });
    return { code, out: JSON.parse(stdout) as Out };
  }
  const fp = fingerprint('secret/openai', NOTES, KEY);

  it('--base-dir: an entry the tree adds is unapproved; one the base has is reviewed; a base without a baseline file has none', async () => {
    const head = tree({ '.github/sot-gate.yml': policy, [BASELINE]: entries(fp), [NOTES]: plain });
    const added = await check([head, '--base-dir', tree({ '.github/sot-gate.yml': policy, [BASELINE]: entries(), [NOTES]: plain })]);
    expect(added.code).toBe(1);
    expect(added.out.findings.map((f) => [f.ruleId, f.file])).toEqual([['suppress/unapproved', BASELINE], ['secret/openai', NOTES]]);
    const missing = await check([head, '--base-dir', tree({ [NOTES]: plain })]);
    expect(missing.out.findings.map((f) => f.ruleId)).toEqual(['suppress/unapproved', 'secret/openai']);
    const reviewed = await check([head, '--base-dir', tree({ '.github/sot-gate.yml': policy, [BASELINE]: entries(fp), [NOTES]: plain })]);
    expect(reviewed.code).toBe(0);
    expect(reviewed.out.suppressed.map((f) => f.suppressed.reason)).toEqual(['rotated']);
  });
  it('--base-ref: the baseline is read from that revision', async () => {
    const dir = tree({ '.github/sot-gate.yml': policy, [BASELINE]: entries(), [NOTES]: plain });
    const git = (...a: string[]) => spawnSync('git', ['-C', dir, ...a], { encoding: 'utf8', env: { ...process.env, GIT_AUTHOR_NAME: 't', GIT_AUTHOR_EMAIL: 't@e', GIT_COMMITTER_NAME: 't', GIT_COMMITTER_EMAIL: 't@e' } });
    git('init', '-q');
    git('add', '-A');
    git('commit', '-qm', 'base');
    writeFileSync(path.join(dir, BASELINE), entries(fp));
    const added = await check([dir, '--base-ref', 'HEAD']);
    expect(added.out.findings.map((f) => [f.ruleId, f.file])).toEqual([['suppress/unapproved', BASELINE], ['secret/openai', NOTES]]);
    git('commit', '-qam', 'entry');
    const reviewed = await check([dir, '--base-ref', 'HEAD']);
    expect(reviewed.code).toBe(0);
    expect(reviewed.out.suppressed).toHaveLength(1);
  });
});
