/**
 * The CLI's arguments, hardened (audit items 3, 4, 5, 6, 10, 11, 13, 14, 16): which tree a PATH is checked in, what a
 * PATH may be, empty and repeated options, a config that is not a regular file, and every exit-2 message: one line,
 * with any echoed argument redacted (fake tokens generated here, never real ones).
 */
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { cpSync, mkdirSync, mkdtempSync, symlinkSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../../src/cli/main.js';
import { DEFAULT_CONFIG } from '../../src/engine/config.js';
import { scanPaths } from '../../src/engine/scan-paths.js';
import { EvaluationError } from '../../src/engine/types.js';

const repo = path.resolve(__dirname, '../..');
const EXAMPLE_ADMISSION = '.sot/03-PROTOCOLS/CTO-CASE-MODEL-PROVIDER-ADMISSION.openai-codex-gpt-5.5.json';
const posix = process.platform !== 'win32';

async function cli(args: string[], cwd = repo) {
  let stdout = '';
  let stderr = '';
  const code = await runCli(args, { stdout: (s) => (stdout += s), stderr: (s) => (stderr += s), cwd, env: {} });
  return { code, stdout, stderr };
}

/** Exit 2 with exactly one line on stderr, and that line. */
async function fails(args: string[], cwd = repo): Promise<string> {
  const r = await cli(args, cwd);
  expect(r.code, r.stderr).toBe(2);
  expect(r.stderr.endsWith('\n')).toBe(true);
  expect(r.stderr.slice(0, -1)).not.toContain('\n');
  return r.stderr;
}

const json = async (args: string[], cwd = repo) => {
  const r = await cli([...args, '--format', 'json'], cwd);
  return { code: r.code, out: JSON.parse(r.stdout) as { summary: Record<string, number>; findings: Array<{ file: string; line: number; ruleId: string }>; notes: string[] } };
};
const ids = (fs: Array<{ file: string; line: number; ruleId: string }>) => fs.map((f) => `${f.file}:${f.line} ${f.ruleId}`);

function tmp(): string {
  return mkdtempSync(path.join(os.tmpdir(), 'sot-gate-args-'));
}

/** A copy of the example tree (3 error findings) under a fresh directory: returns the parent. */
function exampleCopy(): string {
  const dir = tmp();
  cpSync(path.join(repo, 'examples/cto'), path.join(dir, 'c'), { recursive: true });
  mkdirSync(path.join(dir, 't'));
  writeFileSync(path.join(dir, 't/x.txt'), 'hi\n');
  return dir;
}

function random(alphabet: string, n: number): string {
  return [...randomBytes(n)].map((b) => alphabet[b % alphabet.length]).join('');
}
const ALNUM = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
/** Fake tokens in the shape of real ones; `body` is the random part that must never be echoed. */
function fakes() {
  const gh = random(ALNUM, 36);
  const aws = random('ABCDEFGHIJKLMNOPQRSTUVWXYZ234567', 16);
  const oa = random(ALNUM, 40);
  return [
    { token: `ghp_${gh}`, body: gh },
    { token: `AKIA${aws}`, body: aws },
    { token: `sk-proj-${oa}T3BlbkFJ${random(ALNUM, 40)}`, body: oa },
  ];
}
/** Whether any 8 characters in a row of the random part show in the output. */
const leaks = (out: string, body: string) => Array.from({ length: body.length - 7 }, (_, i) => body.slice(i, i + 8)).some((w) => out.includes(w));

describe('check: which tree a PATH is checked in (items 3, 13, 16)', () => {
  it('a directory keeps all its findings next to an unrelated file; the report is the union', async () => {
    const dir = exampleCopy();
    const whole = await json(['check', 'c'], dir);
    expect(whole.code).toBe(1);
    expect(whole.out.summary.errors).toBe(3);
    const both = await json(['check', 'c', 't/x.txt'], dir);
    expect(both.code).toBe(1);
    expect(ids(both.out.findings)).toEqual(ids(whole.out.findings));
    expect(both.out.notes).toEqual(['t/x.txt is not an SOT or admission file (sot-files, admission-files): not checked']);
    // From inside the tree, a file of the tree next to `.` narrows nothing.
    const inside = await json(['check', '.', 'README.md'], path.join(dir, 'c'));
    expect(inside.code).toBe(1);
    expect(ids(inside.out.findings)).toEqual(ids(whole.out.findings));
  });
  it('file PATHs alone are checked in their SOT tree: the example admission gives what `check examples/cto` gives for it', async () => {
    const tree = await json(['check', 'examples/cto']);
    const file = await json(['check', `examples/cto/${EXAMPLE_ADMISSION}`]);
    expect(file.code).toBe(1);
    const expected = ids(tree.out.findings.filter((f) => f.file === EXAMPLE_ADMISSION));
    expect(expected.length).toBeGreaterThan(0);
    expect(ids(file.out.findings)).toEqual(expected);
    expect(file.out.findings.map((f) => f.ruleId)).not.toContain('decision/record-missing');
  });
  it('without a .sot directory the git work tree is the root; a file outside any tree is checked in its own directory', async () => {
    const dir = tmp();
    mkdirSync(path.join(dir, 'deep/er'), { recursive: true });
    writeFileSync(path.join(dir, 'deep/er/X-ADMISSION.json'), '{}\n');
    const own = await json(['check', 'deep/er/X-ADMISSION.json'], dir);
    expect(new Set(own.out.findings.map((f) => f.file))).toEqual(new Set(['X-ADMISSION.json']));
    execFileSync('git', ['init', '-q', dir]);
    const git = await json(['check', 'deep/er/X-ADMISSION.json'], dir);
    expect(new Set(git.out.findings.map((f) => f.file))).toEqual(new Set(['deep/er/X-ADMISSION.json']));
  });
  it('a file the tree does not check adds a note and no tree-wide finding (no spurious decision/record-missing)', async () => {
    const dir = exampleCopy();
    const r = await json(['check', 't/x.txt'], dir);
    expect(r.code).toBe(0);
    expect(r.out.findings).toEqual([]);
    expect(r.out.notes).toEqual(['t/x.txt is not an SOT or admission file (sot-files, admission-files): not checked']);
  });
  it('the same directory twice counts once (however spelled); two directories are both reported, prefixed', async () => {
    const dir = exampleCopy();
    const once = await json(['check', 'c'], dir);
    for (const args of [['c', 'c'], ['c', './c/'], ['c', path.join(dir, 'c')], ['c', `c/${EXAMPLE_ADMISSION}`]]) {
      const r = await json(['check', ...args], dir);
      expect(r.out.summary).toEqual(once.out.summary);
      expect(ids(r.out.findings)).toEqual(ids(once.out.findings));
    }
    cpSync(path.join(dir, 'c'), path.join(dir, 'd'), { recursive: true });
    const two = await json(['check', 'c', 'd'], dir);
    expect(two.out.summary.errors).toBe(6);
    expect(new Set(two.out.findings.map((f) => f.file.split('/')[0]))).toEqual(new Set(['c', 'd']));
  });
});

describe('what a PATH may be (item 4)', () => {
  it.skipIf(!posix)('an explicit symlink, FIFO or /dev/stdin is exit 2, for scan and check; --base-dir too', async () => {
    const dir = tmp();
    writeFileSync(path.join(dir, 'real.txt'), 'x\n');
    symlinkSync('real.txt', path.join(dir, 'lnk.txt'));
    symlinkSync('.', path.join(dir, 'lnkdir'));
    execFileSync('mkfifo', [path.join(dir, 'pipe')]);
    const msg = (p: string) => `sot-gate: ${p}: not a regular file or directory (symbolic links are never followed)\n`;
    for (const cmd of ['scan', 'check']) {
      expect(await fails([cmd, 'lnk.txt'], dir)).toBe(msg('lnk.txt'));
      expect(await fails([cmd, 'lnkdir'], dir)).toBe(msg('lnkdir'));
      expect(await fails([cmd, 'pipe'], dir)).toBe(msg('pipe'));
      expect(await fails([cmd, '/dev/stdin'], dir)).toBe(msg('/dev/stdin'));
    }
    expect(await fails(['check', '.', '--base-dir', 'lnkdir'], dir)).toBe(msg('lnkdir'));
    expect(await fails(['check', '.', '--base-dir', 'real.txt'], dir)).toBe('sot-gate: --base-dir real.txt: not a directory\n');
    // The regular file next to them is fine.
    expect((await cli(['scan', 'real.txt'], dir)).code).toBe(0);
  });
  it.skipIf(!posix)('symlinks and special files inside a scanned directory are counted in notes, never read', async () => {
    const dir = tmp();
    mkdirSync(path.join(dir, 'd'));
    writeFileSync(path.join(dir, 'd/a.txt'), 'clean\n');
    writeFileSync(path.join(dir, 'outside.txt'), `k ghp_${random(ALNUM, 36)}\n`);
    symlinkSync('../outside.txt', path.join(dir, 'd/l.txt'));
    execFileSync('mkfifo', [path.join(dir, 'd/f')]);
    const r = await json(['scan', 'd'], dir);
    expect(r.code).toBe(0);
    expect(r.out.summary.files).toBe(1);
    expect(r.out.notes).toEqual(['skipped 1 symbolic link(s), never followed: d/l.txt', 'skipped 1 special file(s) (FIFO, socket or device), never read: d/f']);
    const clean = tmp();
    writeFileSync(path.join(clean, 'a.txt'), 'clean\n');
    expect((await json(['scan', '.'], clean)).out.notes ?? []).toEqual([]);
  });
  it('a missing PATH is named the same way by scan and check: relative inside the current directory, else absolute', async () => {
    const dir = tmp();
    for (const cmd of ['scan', 'check']) {
      expect(await fails([cmd, 'nope/x'], dir)).toBe('sot-gate: nope/x: no such file or directory\n');
      expect(await fails([cmd, '/nonexistent/x'], dir)).toBe('sot-gate: /nonexistent/x: no such file or directory\n');
      expect(await fails([cmd, ''], dir)).toBe('sot-gate: a PATH is an empty string\n');
    }
  });
});

describe('options (items 5, 10, 11, 16)', () => {
  it('an empty --base-ref / --base-dir / --config, or both bases, is exit 2 (never the transition rules silently off)', async () => {
    const dir = exampleCopy();
    expect(await fails(['check', 'c', '--base-ref', ''], dir)).toBe('sot-gate: --base-ref is empty: give a value\n');
    expect(await fails(['check', 'c', '--base-ref='], dir)).toBe('sot-gate: --base-ref is empty: give a value\n');
    expect(await fails(['check', 'c', '--base-dir', ''], dir)).toBe('sot-gate: --base-dir is empty: give a value\n');
    expect(await fails(['scan', 'c', '--config', ''], dir)).toBe('sot-gate: --config is empty: give a value\n');
    expect(await fails(['check', 'c', '--base-ref', 'HEAD', '--base-dir', 'c'], dir)).toContain('--base-ref and --base-dir cannot be used together');
    // One base is fine.
    expect((await cli(['check', 'c', '--base-dir', 'c'], dir)).code).toBe(1);
  });
  it('an option given twice is exit 2, not last-wins', async () => {
    expect(await fails(['check', 'examples/cto', '--format', 'json', '--format', 'text'])).toBe('sot-gate: --format given twice\n');
    expect(await fails(['scan', '.sot', '--exit-zero', '--exit-zero'])).toBe('sot-gate: --exit-zero given twice\n');
    expect(await fails(['scan', '.sot', '--threads=1', '--threads', '2'])).toBe('sot-gate: --threads given twice\n');
  });
  it('`check --help` and `scan --help` print that command\'s usage and exit 0; after -- it is a PATH', async () => {
    for (const cmd of ['check', 'scan']) {
      for (const args of [[cmd, '--help'], [cmd, '.', '-h']]) {
        const r = await cli(args);
        expect(r.code).toBe(0);
        expect(r.stdout.startsWith(`Usage: sot-gate ${cmd} [PATH...]`)).toBe(true);
        expect(r.stderr).toBe('');
      }
      expect(await fails([cmd, '--', '--help'])).toBe('sot-gate: --help: no such file or directory\n');
    }
    expect((await cli(['preflight', '--help'])).stdout).toContain('sot-gate preflight');
  });
  it.skipIf(!posix)('--config must be a regular file: a FIFO is exit 2 at once (no hang); a symlink or directory too', async () => {
    const dir = tmp();
    execFileSync('mkfifo', [path.join(dir, 'p.yml')]);
    writeFileSync(path.join(dir, 'real.yml'), 'rules: {}\n');
    symlinkSync('real.yml', path.join(dir, 'l.yml'));
    for (const cmd of ['scan', 'check']) {
      expect(await fails([cmd, '.', '--config', 'p.yml'], dir)).toBe('sot-gate: config p.yml: not a regular file (symbolic links are never followed)\n');
      expect(await fails([cmd, '.', '--config', 'l.yml'], dir)).toBe('sot-gate: config l.yml: not a regular file (symbolic links are never followed)\n');
      expect(await fails([cmd, '.', '--config', '.'], dir)).toBe('sot-gate: config .: not a regular file (symbolic links are never followed)\n');
      expect(await fails([cmd, '.', '--config', 'none.yml'], dir)).toBe('sot-gate: cannot read config none.yml: ENOENT\n');
      expect((await cli([cmd, '.', '--config', 'real.yml'], dir)).stderr).toBe('');
    }
  });
  it.skipIf(!posix)('the tree\'s own config and the baseline are read only when they are regular files (a symlink may point outside)', async () => {
    const dir = tmp();
    const outside = tmp();
    writeFileSync(path.join(outside, 'cfg.yml'), "rules:\n  'secret/*': off\n");
    mkdirSync(path.join(dir, '.github'));
    symlinkSync(path.join(outside, 'cfg.yml'), path.join(dir, '.github/sot-gate.yml'));
    expect(await fails(['scan', '.'], dir)).toBe('sot-gate: config .github/sot-gate.yml: not a regular file (symbolic links are never followed)\n');
    const b = tmp();
    mkdirSync(path.join(b, '.github'));
    writeFileSync(path.join(b, '.github/sot-gate.yml'), 'secrets:\n  baseline: base.json\n');
    execFileSync('mkfifo', [path.join(b, 'base.json')]);
    expect(await fails(['scan', '.github'], b)).toBe('sot-gate: baseline base.json: not a regular file (symbolic links are never followed)\n');
  });
});

describe('exit-2 messages: one line, arguments redacted (items 6, 14)', () => {
  it('unknown command: one line pointing at --help, no usage dump; no command at all: one line too', async () => {
    expect(await fails(['frobnicate'])).toBe('sot-gate: unknown command "frobnicate" (see sot-gate --help)\n');
    expect(await fails(['constructor'])).toBe('sot-gate: unknown command "constructor" (see sot-gate --help)\n');
    expect(await fails([])).toBe('sot-gate: no command given (see sot-gate --help)\n');
  });
  it('parseArgs errors, a path with a newline or bidi control: one line, escaped', async () => {
    expect(await fails(['scan', '--threads', '-1', '.'])).toMatch(/^sot-gate: Option '--threads' argument is ambiguous\. .*\(see sot-gate --help\)\n$/);
    expect(await fails(['check', '--base-ref', '--x'])).toContain("'--base-ref'");
    expect(await fails(['scan', 'a\nsot-gate: forged'])).toBe('sot-gate: a\\nsot-gate: forged: no such file or directory\n');
    expect(await fails(['check', 'a\u202eb'])).toBe('sot-gate: a\\u202eb: no such file or directory\n');
  });
  it('no echoed argument carries a token, even glued to a letter, _ or - (generated fake tokens)', async () => {
    const dir = tmp();
    for (const { token, body } of fakes()) {
      for (const t of [token, `x${token}`, `x_${token}`, `x-${token}`]) {
        const lines = [
          await fails([t], dir),
          await fails(['scan', `--${t}`], dir),
          await fails(['scan', `--x${t}`], dir),
          await fails(['check', '--config', t], dir),
          await fails(['scan', '--config', `/nope/${t}`], dir),
          await fails(['scan', `/nope/${t}`], dir),
          await fails(['check', t], dir),
          await fails(['scan', '--format', t], dir),
          await fails(['scan', '--threads', t], dir),
          await fails(['check', '.', '--base-ref', t], dir),
          await fails(['check', '.', '--base-dir', t], dir),
        ];
        for (const line of lines) expect(leaks(line, body), line).toBe(false);
      }
    }
  });
  it('ordinary arguments are echoed as given', async () => {
    expect(await fails(['scan', '--format', 'xml'])).toBe('sot-gate: --format must be one of text, json, sarif, not "xml"\n');
    expect(await fails(['check', 'CTO-CASE-MODEL-PROVIDER-ADMISSION.x.json'])).toBe('sot-gate: CTO-CASE-MODEL-PROVIDER-ADMISSION.x.json: no such file or directory\n');
  });
  it('a file the scan cannot open is named (shown) with its errno code, not an internal error', async () => {
    const dir = tmp();
    const { token, body } = fakes()[0]!;
    writeFileSync(path.join(dir, `x_${token}.txt`), 'clean\n');
    const failing = async () => {
      throw Object.assign(new Error(`EACCES: permission denied, open '${path.join(dir, `x_${token}.txt`)}'`), { code: 'EACCES' });
    };
    const err = await scanPaths(dir, ['.'], DEFAULT_CONFIG, undefined, () => failing).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(EvaluationError);
    expect((err as Error).message).toMatch(/^cannot read x_ghp_\w{0,2}…\(\d+ chars\)\.txt: EACCES$/);
    expect(leaks((err as Error).message, body)).toBe(false);
    // A worker thread sends the message only: the code is read from it.
    const fromWorker = async () => {
      throw new EvaluationError(`ENOENT: no such file or directory, open '${dir}/x'`);
    };
    await expect(scanPaths(dir, ['.'], DEFAULT_CONFIG, undefined, () => fromWorker)).rejects.toThrow(/^cannot read .*: ENOENT$/);
  });
});
