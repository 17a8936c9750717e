/**
 * End to end through the bundled CLI (dist/cli.js, `npm run bundle`): nothing governance-shaped is skipped silently,
 * and a token used as a file or directory name is a finding whose token no output format prints.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, symlinkSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { admissionJson, DECISION_PATH, decisionDoc, frontMatter } from '../../src/engine/rules/fixtures.js';

const CLI = path.resolve(__dirname, '../../dist/cli.js');
const GH = 'ghp_' + 'Qm4xT8vR2nL6pW0kJ3cH7fD1sA5gB9eYu2Zi';
const OPENAI = 'sk-proj-' + 'Zx9cVb8nMq7wEr6tYu5iOp4aSd3fGh2jKl1zXc9vBn8mQw7e';

function dir(files: Record<string, string> = {}): string {
  const d = mkdtempSync(path.join(os.tmpdir(), 'sot-gate-shaped-e2e-'));
  for (const [rel, content] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(d, rel)), { recursive: true });
    writeFileSync(path.join(d, rel), content);
  }
  return d;
}
const cli = (...args: string[]) => spawnSync(process.execPath, [CLI, ...args], { encoding: 'utf8' });
interface Out {
  summary: { files: number; errors: number };
  findings: Array<{ ruleId: string; file: string; line: number; message: string }>;
}
function json(...args: string[]): { status: number | null; out: Out; stderr: string } {
  const r = cli(...args, '--format', 'json');
  return { status: r.status, out: JSON.parse(r.stdout) as Out, stderr: r.stderr };
}
const at = (o: Out) => o.findings.map((f) => `${f.ruleId} ${f.file}:${f.line}`);

describe('dist/cli.js check: nothing governance-shaped is skipped silently', () => {
  it('a lower-case .Json admission is checked (exit 1 when it admits another pair than its name; exit 0 when valid)', () => {
    const bad = dir({ [DECISION_PATH]: decisionDoc(), '.sot/03-PROTOCOLS/x-admission.openai-codex-gpt-5.5.Json': admissionJson() });
    const r = json('check', bad);
    expect(r.status).toBe(1);
    expect(at(r.out)).toContain('admission/filename-mismatch .sot/03-PROTOCOLS/x-admission.openai-codex-gpt-5.5.Json:3');
    const good = dir({ [DECISION_PATH]: decisionDoc(), '.sot/03-PROTOCOLS/x-admission.qwen-local-qwen3.6-35b-a3b.Json': admissionJson() });
    const g = json('check', good);
    expect([g.status, g.out.summary.files, g.out.findings]).toEqual([0, 2, []]);
  });
  it('.sot a symbolic link: exit 1 with sot/unreadable on .sot, never "0 files checked" and exit 0', () => {
    const real = dir({ [DECISION_PATH]: decisionDoc() });
    const d = dir();
    symlinkSync(path.join(real, '.sot'), path.join(d, '.sot'));
    const r = json('check', d);
    expect(r.status).toBe(1);
    expect(at(r.out)).toEqual(['sot/unreadable .sot:1']);
    expect(r.out.findings[0]!.message).toContain('symbolic link to a directory');
    expect(r.out.summary.files).toBe(1);
    const text = cli('check', d);
    expect(text.stdout).toContain('.sot:1: error sot/unreadable');
    expect(text.stdout).not.toContain('0 files checked');
  });
  it('a directory link inside the tree is a finding; a tree without one passes', () => {
    const d = dir({ [DECISION_PATH]: decisionDoc(), 'elsewhere/readme.txt': 'x' });
    const clean = json('check', d);
    expect([clean.status, clean.out.findings]).toEqual([0, []]);
    symlinkSync('../elsewhere', path.join(d, '.sot/more'));
    const r = json('check', d);
    expect(r.status).toBe(1);
    expect(at(r.out)).toEqual(['sot/unreadable .sot/more:1']);
  });
  it('a directory whose name is not valid UTF-8: a finding naming it escaped (exit 1, not exit 2); a valid Unicode name is walked', () => {
    const d = dir({ [DECISION_PATH]: decisionDoc(), '.sot/ünï/a.md': frontMatter() + '# A\n' });
    const ok = json('check', d);
    expect([ok.status, ok.out.summary.files, ok.out.findings]).toEqual([0, 2, []]);
    mkdirSync(Buffer.concat([Buffer.from(path.join(d, '.sot') + path.sep), Buffer.from([0x64, 0xfe])]));
    const r = json('check', d);
    expect(r.status).toBe(1);
    expect(at(r.out)).toEqual(['sot/unreadable .sot/d\\xfe:1']);
    expect(r.out.findings[0]!.message).toContain('not valid UTF-8');
  });
});

describe('dist/cli.js: a token used as a file or directory name', () => {
  const tree = () =>
    dir({
      [DECISION_PATH]: decisionDoc(),
      [`.sot/${GH}.md`]: frontMatter() + '# A\n',
      [`.sot/${OPENAI}/n.md`]: frontMatter() + '# B\n',
    });
  for (const cmd of ['check', 'scan']) {
    it(`${cmd}: secret/github and secret/openai at line 1, and neither token in stdout or stderr of text, json or sarif`, () => {
      const d = tree();
      const r = json(cmd, d);
      expect(r.status).toBe(1);
      const names = r.out.findings.filter((f) => f.ruleId.startsWith('secret/'));
      expect(names.map((f) => [f.ruleId, f.line, f.message.split(':')[0]])).toEqual([
        ['secret/github', 1, 'in the file name'],
        ['secret/openai', 1, 'in a directory name of this path'],
      ]);
      for (const format of ['text', 'json', 'sarif']) {
        const o = cli(cmd, d, '--format', format);
        expect(o.status, format).toBe(1);
        const all = o.stdout + o.stderr;
        expect(all, format).toContain('ghp_Qm…(40 chars)');
        for (const secret of [GH, OPENAI, GH.slice(6, 26), OPENAI.slice(8, 28)]) expect(all, format).not.toContain(secret);
      }
    });
  }
  it('quiet: ordinary names give no secret finding', () => {
    const d = dir({ [DECISION_PATH]: decisionDoc(), '.sot/notes-2026-06-01.md': frontMatter() + '# A\n' });
    expect(json('check', d).out.findings).toEqual([]);
    expect(json('scan', d).out.findings).toEqual([]);
  });
});
