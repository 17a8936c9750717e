/**
 * The pre-commit hook end to end: the one-line hook the README documents, installed in a temporary repository with
 * `sot-gate` on the PATH running the bundled CLI (dist/cli.js): a commit that adds a token is refused with no value
 * printed, a clean one goes through. And .pre-commit-hooks.yaml gives the pre-commit framework the same command.
 */
import { spawnSync } from 'node:child_process';
import { chmodSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { gitRepo } from '../helpers/git-repo.js';

const repo = path.resolve(__dirname, '../..');
const CLI = path.join(repo, 'dist/cli.js');
const SECRET = 'ghp_' + 'Zq8mR2vX7tL4pW9nK3cJ6hF1dS5aG0bY8eUi';
const README = readFileSync(path.join(repo, 'README.md'), 'utf8');

/** The plain-git one-liner of the README's "Before the push" section, verbatim. */
const plainGitLine = () => {
  const line = README.split('\n').find((l) => l.includes('.git/hooks/pre-commit') && l.startsWith('printf'));
  expect(line).toBeDefined();
  return line!;
};

describe('the documented pre-commit hook (dist/cli.js in a real repository)', () => {
  it('refuses a commit that adds a token (no value printed) and lets a clean one through', () => {
    const { dir, git, commit } = gitRepo();
    commit({ 'README.md': '# x\n' }, 'init');
    // `sot-gate` on the PATH is the bundled CLI, as `npm install -g` would make it.
    const bin = mkdtempSync(path.join(os.tmpdir(), 'sot-gate-bin-'));
    writeFileSync(path.join(bin, 'sot-gate'), `#!/bin/sh\nexec "${process.execPath}" "${CLI}" "$@"\n`);
    chmodSync(path.join(bin, 'sot-gate'), 0o755);
    const env = { ...process.env, PATH: `${bin}${path.delimiter}${process.env.PATH ?? ''}` };
    const sh = spawnSync('sh', ['-c', plainGitLine()], { cwd: dir, env, encoding: 'utf8' });
    expect(sh.status).toBe(0);

    const tryCommit = (file: string, content: string) => {
      writeFileSync(path.join(dir, file), content);
      git('add', file);
      return spawnSync('git', ['-C', dir, '-c', 'user.email=t@example.com', '-c', 'user.name=T', 'commit', '-m', `add ${file}`], { env, encoding: 'utf8' });
    };
    const head = git('rev-parse', 'HEAD');
    const refused = tryCommit('deploy.env', `GH_TOKEN=${SECRET}\n`);
    expect(refused.status).not.toBe(0);
    expect(refused.stdout + refused.stderr).toMatch(/deploy\.env:1:\d+: error secret\/github/);
    expect(refused.stdout + refused.stderr).not.toContain(SECRET);
    expect(git('rev-parse', 'HEAD')).toBe(head); // nothing recorded

    git('rm', '-q', '--cached', 'deploy.env');
    const clean = tryCommit('notes.txt', 'nothing secret here\n');
    expect(clean.status).toBe(0);
    expect(git('rev-parse', 'HEAD')).not.toBe(head);
  });
});

describe('.pre-commit-hooks.yaml and the README agree on the command', () => {
  const hooks = parse(readFileSync(path.join(repo, '.pre-commit-hooks.yaml'), 'utf8')) as Array<{ id: string; entry: string; files?: string; pass_filenames?: boolean; language: string }>;
  it('sot-gate-scan runs `sot-gate scan --staged` once per commit (no file names); sot-gate-check runs check on governance files', () => {
    const scan = hooks.find((h) => h.id === 'sot-gate-scan')!;
    expect(scan).toMatchObject({ entry: 'sot-gate scan --staged', pass_filenames: false, language: 'node' });
    const check = hooks.find((h) => h.id === 'sot-gate-check')!;
    expect(check.entry).toBe('sot-gate check');
    const files = new RegExp(check.files!);
    for (const yes of ['.sot/decision.md', 'docs/.sot/a/b.md', 'cases/PAIR_ADMISSION.json', 'X-ADMISSION-1.json']) expect(files.test(yes)).toBe(true);
    for (const no of ['src/a.ts', 'sot/x.md', '.sot/x.txt', 'admission.json', 'ADMISSION.json.bak']) expect(files.test(no)).toBe(false);
  });
  it('the README shows the same command for plain git, husky and lefthook', () => {
    expect(plainGitLine()).toContain('exec sot-gate scan --staged');
    expect(README).toContain("echo 'sot-gate scan --staged' > .husky/pre-commit");
    expect(README).toMatch(/lefthook\.yml\npre-commit:\n {2}commands:\n {4}sot-gate:\n {6}run: sot-gate scan --staged/);
    expect(README).toMatch(/id: sot-gate-scan\n\s+- id: sot-gate-check/);
  });
});
