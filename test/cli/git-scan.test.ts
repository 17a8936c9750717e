/**
 * `sot-gate scan --git-range A..B` and `--staged` through the bundled CLI (dist/cli.js) on real temporary git
 * repositories: a secret added in a middle commit and removed later, one in a commit message, one in a non-SOT file,
 * a clean range, the index (not the work tree), the commit cap, a shallow clone, and argument errors.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../../src/cli/main.js';
import { gitRepo } from '../helpers/git-repo.js';

const repo = path.resolve(__dirname, '../..');
const CLI = path.join(repo, 'dist/cli.js');
const SECRET = 'ghp_' + 'Zq8mR2vX7tL4pW9nK3cJ6hF1dS5aG0bY8eUi';
const ENDPOINT = 'CTO_HARNESS_CASE_LOCAL_BASE_URL=http://' + '10.20.30.40:8000/v1';

const cli = (cwd: string, ...args: string[]) => spawnSync(process.execPath, [CLI, 'scan', ...args], { cwd, encoding: 'utf8' });
type Out = { summary: { errors: number }; findings: Array<{ ruleId: string; file: string; line: number; commit?: string; message: string }> };

describe('sot-gate scan --git-range (dist/cli.js, real repository)', () => {
  const { dir, commit } = gitRepo();
  const base = commit({ 'README.md': '# Project\n' }, 'init');
  const c1 = commit({ 'src/app.ts': 'export const a = 1;\n' }, 'feat: app');
  const c2 = commit({ 'tasks/task-1.yml': `name: t\nsteps:\n  - run: deploy\nenv:\n  GH_TOKEN: ${SECRET}\n`, 'harness/run.env': `${ENDPOINT}\n` }, 'feat: task');
  const c3 = commit({ 'tasks/task-1.yml': 'name: t\nsteps:\n  - run: deploy\n' }, 'fix: drop the token');
  const c4 = commit({}, `chore: rotate\n\nold value was ${SECRET}`);
  const clean = commit({ 'docs/a.md': '# Notes\n\nNothing secret.\n' }, 'docs: notes');

  it('finds the token of a middle commit removed later, the endpoint in a non-SOT file and the token in a message; exit 1, no value', () => {
    const r = cli(dir, '--git-range', `${base}..${clean}`, '--format', 'json');
    expect(r.status).toBe(1);
    const out = JSON.parse(r.stdout) as Out;
    const got = out.findings.map((f) => ({ ruleId: f.ruleId, file: f.file, line: f.line, commit: f.commit }));
    expect(got).toEqual(
      expect.arrayContaining([
        { ruleId: 'secret/github', file: 'tasks/task-1.yml', line: 5, commit: c2.slice(0, 12) },
        { ruleId: 'secret/github', file: 'COMMIT_MESSAGE', line: 3, commit: c4.slice(0, 12) },
        expect.objectContaining({ ruleId: expect.stringMatching(/^endpoint\//), file: 'harness/run.env', line: 1, commit: c2.slice(0, 12) }),
      ]),
    );
    expect(out.findings.find((f) => f.file === 'tasks/task-1.yml')!.message).toMatch(/rotate the credential/);
    expect(r.stdout + r.stderr).not.toContain(SECRET);
    expect(r.stdout + r.stderr).not.toContain('10.20.30.40');
    void c1;
    void c3;
  });

  it('text output names the commit too', () => {
    const r = cli(dir, '--git-range', `${c1}..${c3}`);
    expect(r.status).toBe(1);
    expect(r.stdout).toContain(`tasks/task-1.yml:5:`);
    expect(r.stdout).toContain(`in commit ${c2.slice(0, 12)}`);
    expect(r.stdout).not.toContain(SECRET);
  });

  it('a clean range passes (exit 0); the final tree being clean does not hide the history', () => {
    expect(cli(dir, '--git-range', `${c4}..${clean}`).status).toBe(0);
    expect(cli(dir, 'tasks').status).toBe(0); // the task file at the end has no secret …
    expect(cli(dir, '--git-range', `${base}..${clean}`).status).toBe(1); // … its history does
  });

  it('more commits than --max-commits is exit 2 with the reason; the cap itself passes', () => {
    const over = cli(dir, '--git-range', `${base}..${clean}`, '--max-commits', '4');
    expect(over.status).toBe(2);
    expect(over.stderr).toMatch(/more than 4 commits/);
    expect(cli(dir, '--git-range', `${c4}..${clean}`, '--max-commits', '1').status).toBe(0);
  });

  it('an unknown revision or an option-like range is exit 2', () => {
    expect(cli(dir, '--git-range', 'nope..HEAD').status).toBe(2);
    const opt = cli(dir, '--git-range', '--output=/tmp/x');
    expect(opt.status).toBe(2);
  });

  it('a shallow clone whose range is cut short fails closed, naming fetch-depth: 0', () => {
    const shallow = mkdtempSync(path.join(os.tmpdir(), 'sot-gate-shallow-'));
    execFileSync('git', ['clone', '-q', '--depth=2', `file://${dir}`, shallow]);
    const r = cli(shallow, '--git-range', `${base}..HEAD`);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/shallow clone.*fetch-depth: 0/);
    // The base is there (fetched on its own) but the commits between are not: git log would stop silently at the cut.
    execFileSync('git', ['-C', shallow, 'fetch', '-q', '--depth=1', 'origin', base]);
    const cut = cli(shallow, '--git-range', `${base}..HEAD`);
    expect(cut.status).toBe(2);
    expect(cut.stderr).toMatch(/incomplete in this shallow clone.*fetch-depth: 0/);
    // Deepened enough, the same range is complete and scanned.
    execFileSync('git', ['-C', shallow, 'fetch', '-q', '--unshallow']);
    expect(cli(shallow, '--git-range', `${base}..HEAD`).status).toBe(1);
  });
});

describe('sot-gate scan --staged (dist/cli.js)', () => {
  it('scans the index, not the work tree: a staged token fails, the same token only in the work tree does not', () => {
    const { dir, git, commit } = gitRepo();
    commit({ 'a.txt': 'hello\n' }, 'init');
    writeFileSync(path.join(dir, 'b.env'), `TOKEN=${SECRET}\n`);
    expect(cli(dir, '--staged').status).toBe(0); // not staged
    git('add', 'b.env');
    const r = cli(dir, '--staged', '--format', 'json');
    expect(r.status).toBe(1);
    expect((JSON.parse(r.stdout) as Out).findings.map((f) => [f.ruleId, f.file, f.line])).toEqual([['secret/github', 'b.env', 1]]);
    expect(r.stdout).not.toContain(SECRET);
    // staged clean, work tree dirty: the index is what is committed
    writeFileSync(path.join(dir, 'b.env'), 'TOKEN=\n');
    git('add', 'b.env');
    writeFileSync(path.join(dir, 'b.env'), `TOKEN=${SECRET}\n`);
    expect(cli(dir, '--staged').status).toBe(0);
  });

  it('works before the first commit', () => {
    const { dir, git } = gitRepo();
    writeFileSync(path.join(dir, 'x.yml'), `k: ${SECRET}\n`);
    git('add', 'x.yml');
    expect(cli(dir, '--staged').status).toBe(1);
  });
});

describe('scan --staged / --git-range arguments (in-process)', () => {
  const run = async (...args: string[]) => {
    let stderr = '';
    const code = await runCli(['scan', ...args], { stdout: () => {}, stderr: (s) => (stderr += s), cwd: repo, env: {} });
    return { code, stderr };
  };
  it('refuses combinations that would be ambiguous (exit 2)', async () => {
    expect(await run('--staged', '--git-range', 'HEAD~1..HEAD')).toMatchObject({ code: 2, stderr: expect.stringMatching(/cannot be used together/) });
    expect(await run('--staged', 'src')).toMatchObject({ code: 2, stderr: expect.stringMatching(/give no PATH/) });
    expect(await run('--max-commits', '5', '.')).toMatchObject({ code: 2, stderr: expect.stringMatching(/goes with --git-range/) });
    for (const bad of ['0', '-1', '1.5', 'x']) expect((await run('--git-range', 'HEAD~1..HEAD', `--max-commits=${bad}`)).code).toBe(2);
  });
});
