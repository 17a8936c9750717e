/**
 * The history scan's reader (src/engine/git-scan.ts), fed `git log -p` / `git diff --cached` text directly: added lines
 * are scanned at their line in the commit's version, removed lines never, messages always; the hunk counts decide what is
 * content (an added line that looks like a header is still content); the stream can be cut anywhere; caps fail closed.
 */
import { describe, expect, it } from 'vitest';
import { DEFAULT_CONFIG, parseConfig } from '../../src/engine/config.js';
import { COMMIT_MESSAGE_FILE, diffPath, GitScan, MAX_LINE_BYTES } from '../../src/engine/git-scan.js';
import { EvaluationError } from '../../src/engine/types.js';

const SECRET = 'ghp_' + 'Zq8mR2vX7tL4pW9nK3cJ6hF1dS5aG0bY8eUi';
const B = 'f00dfeed';
const SHA1 = 'a'.repeat(40);
const SHA2 = 'b'.repeat(40);

const commit = (sha: string, message: string, diff: string) => `\0B:${B}:${sha}\n${message}\n\n\0E:${B}\n\n${diff}`;
const fileDiff = (file: string, hunks: string) => `diff --git a/${file} b/${file}\nindex 1111111..2222222 100644\n--- a/${file}\n+++ b/${file}\n${hunks}`;

function scan(text: string, opts: { chunk?: number; staged?: boolean; maxCommits?: number; config?: typeof DEFAULT_CONFIG; inlineSuppressions?: boolean } = {}) {
  const s = new GitScan({
    config: opts.config ?? DEFAULT_CONFIG,
    ...(opts.staged ? {} : { boundary: B }),
    ...(opts.maxCommits ? { maxCommits: opts.maxCommits } : {}),
    ...(opts.inlineSuppressions !== undefined ? { inlineSuppressions: opts.inlineSuppressions } : {}),
    today: '2026-01-01',
  });
  const buf = Buffer.from(text, 'utf8');
  const step = opts.chunk ?? buf.length;
  for (let i = 0; i < buf.length; i += step) s.push(buf.subarray(i, i + step));
  return s.end();
}
const brief = (r: ReturnType<typeof scan>) => r.findings.map((f) => ({ ruleId: f.ruleId, file: f.file, line: f.line, commit: f.commit }));

describe('GitScan: added lines of each commit', () => {
  const history =
    commit(SHA1, 'add the task', fileDiff('tasks/task-1.yml', `@@ -0,0 +1,3 @@\n+name: one\n+env:\n+  GH_TOKEN: ${SECRET}\n`)) +
    commit(SHA2, 'remove the token', fileDiff('tasks/task-1.yml', `@@ -3 +2,0 @@\n-  GH_TOKEN: ${SECRET}\n`));

  it('reports a secret added in one commit and removed in the next, at its line in that commit, naming the commit', () => {
    const r = scan(history);
    expect(brief(r)).toEqual([{ ruleId: 'secret/github', file: 'tasks/task-1.yml', line: 3, commit: SHA1.slice(0, 12) }]);
    const m = r.findings[0]!.message;
    expect(m).toContain(`in commit ${SHA1.slice(0, 12)}`);
    expect(m).toMatch(/rotate the credential: removing it in a later commit does not remove it from the history/);
    expect(JSON.stringify(r)).not.toContain(SECRET);
    expect(r.commits).toBe(2);
    expect(r.summary.errors).toBe(1);
  });

  it('uses the hunk header for line numbers across several hunks', () => {
    const r = scan(commit(SHA1, 'm', fileDiff('app.env', `@@ -10,0 +11 @@\n+A=1\n@@ -40,0 +42,2 @@\n+B=2\n+TOKEN=${SECRET}\n`)));
    expect(brief(r)).toEqual([{ ruleId: 'secret/github', file: 'app.env', line: 43, commit: SHA1.slice(0, 12) }]);
  });

  it('never scans removed or context lines', () => {
    const r = scan(commit(SHA1, 'm', fileDiff('a.txt', `@@ -1,2 +1,2 @@\n-old ${SECRET}\n ctx ${SECRET}\n+new clean line\n`)));
    expect(r.findings).toEqual([]);
    expect(r.summary.errors).toBe(0);
  });

  it('scans every commit message, at its line', () => {
    const r = scan(commit(SHA1, `fix: the build\n\ntoken was ${SECRET}`, ''));
    expect(brief(r)).toEqual([{ ruleId: 'secret/github', file: COMMIT_MESSAGE_FILE, line: 3, commit: SHA1.slice(0, 12) }]);
    expect(r.findings[0]!.message).toContain(`in the message of commit ${SHA1.slice(0, 12)}`);
  });

  it('a clean history has no finding', () => {
    const r = scan(commit(SHA1, 'docs: readme', fileDiff('README.md', '@@ -0,0 +1,2 @@\n+# Title\n+Some text.\n')));
    expect(r.findings).toEqual([]);
    expect(r.notes.join(' ')).toContain('1 commit');
  });

  it('reports a value once, at the first commit that adds it', () => {
    const add = (sha: string, line: number) => commit(sha, 'm', fileDiff('x.env', `@@ -${line},0 +${line} @@\n+T=${SECRET}\n`));
    expect(brief(scan(add(SHA1, 1) + add(SHA2, 5))).map((f) => f.commit)).toEqual([SHA1.slice(0, 12)]);
  });

  it('gives the same findings whatever the chunk size (the stream may be cut anywhere, inside a UTF-8 character too)', () => {
    const text = commit(SHA1, 'ünïcode ✓ message', fileDiff('a/ü.txt', `@@ -0,0 +1,2 @@\n+é ✓ x\n+K=${SECRET}\n`)) + commit(SHA2, `msg ${SECRET}`, '');
    const whole = brief(scan(text));
    expect(whole).toHaveLength(2);
    for (const chunk of [1, 2, 3, 7, 64]) expect(brief(scan(text, { chunk }))).toEqual(whole);
  });
});

describe('GitScan: what looks like a header is content when the hunk counts say so', () => {
  it('an added line that reads like `+++ b/x`, `diff --git` or a commit marker is scanned as content', () => {
    const hunk = `@@ -0,0 +1,4 @@\n+++ b/decoy ${SECRET}\n+diff --git a/x b/x\n+\0B:${B}:${SHA2}\n+@@ -1 +1 @@ ${SECRET}x\n`;
    const r = scan(commit(SHA1, 'm', fileDiff('real.txt', hunk)));
    expect(r.findings.map((f) => [f.file, f.line])).toEqual([
      ['real.txt', 1],
      ['real.txt', 4],
    ]);
    expect(r.commits).toBe(1);
  });

  it('a combined diff of a merge: lines added against every parent are content of the merge', () => {
    const merge = `diff --cc conf.env\nindex 1,2..3\n--- a/conf.env\n+++ b/conf.env\n@@@ -1,1 -1,1 +1,2 @@@\n  A=1\n++TOKEN=${SECRET}\n`;
    const r = scan(commit(SHA1, 'Merge branch', merge));
    expect(brief(r)).toEqual([{ ruleId: 'secret/github', file: 'conf.env', line: 2, commit: SHA1.slice(0, 12) }]);
  });

  it('a hunk line with an unknown prefix, more lines than counted, or a stream cut inside a hunk fails closed', () => {
    expect(() => scan(commit(SHA1, 'm', fileDiff('a', '@@ -0,0 +1 @@\nXbad\n')))).toThrow(EvaluationError);
    expect(() => scan(commit(SHA1, 'm', fileDiff('a', `@@ -0,0 +1 @@\n+one\n+two ${SECRET}\n`)))).toThrow(/unexpected line/);
    expect(() => scan(commit(SHA1, 'm', fileDiff('a', '@@ -0,0 +1,3 @@\n+one\n')))).toThrow(/ended inside a hunk/);
    expect(() => scan(`\0B:${B}:${SHA1}\nmessage only`)).toThrow(/ended inside the message/);
    expect(() => scan(commit(SHA1, 'm', fileDiff('a', '@@ garbage @@\n')))).toThrow(/hunk header/);
  });

  it('a marker with another boundary is message text, not a new commit', () => {
    const r = scan(`\0B:${B}:${SHA1}\nsubject\n\0B:other:${SHA2}\n${SECRET}\n\0E:${B}\n`);
    expect(r.commits).toBe(1);
    expect(brief(r)).toEqual([{ ruleId: 'secret/github', file: COMMIT_MESSAGE_FILE, line: 3, commit: SHA1.slice(0, 12) }]);
  });
});

describe('GitScan: paths, binaries, caps', () => {
  it('decodes C-quoted paths (special characters, octal UTF-8 bytes) and strips the tab git adds to names with spaces', () => {
    expect(diffPath('"b/a\\"q\\\\z\\tx"')).toBe('a"q\\z\tx');
    expect(diffPath('"b/\\303\\244.txt"')).toBe('ä.txt');
    expect(diffPath('b/with space.txt\t')).toBe('with space.txt');
    expect(diffPath('/dev/null')).toBeUndefined();
    expect(() => diffPath('c/x')).toThrow(EvaluationError);
    const r = scan(commit(SHA1, 'm', `diff --git "a/\\303\\244 x" "b/\\303\\244 x"\n--- /dev/null\n+++ "b/\\303\\244 x"\n@@ -0,0 +1 @@\n+T=${SECRET}\n`));
    expect(r.findings.map((f) => f.file)).toEqual(['ä x']);
  });

  it('classifies files by the policy globs (an admission file is scanned as one) and skips `ignore` globs', () => {
    const cfg = parseConfig('ignore:\n  - "vendor/**"\n');
    const r = scan(commit(SHA1, 'm', fileDiff('vendor/x.txt', `@@ -0,0 +1 @@\n+T=${SECRET}\n`) + fileDiff('src/y.txt', `@@ -0,0 +1 @@\n+T=${SECRET}\n`)), { config: cfg });
    expect(r.findings.map((f) => f.file)).toEqual(['src/y.txt']);
    expect(r.notes.join('\n')).toContain('matched by `ignore`');
  });

  it('skips binary content (counted in a note) but scans text', () => {
    const bin = '\x00\x01\x02\x03\x04\x05'.repeat(50);
    const r = scan(commit(SHA1, 'm', fileDiff('img.bin', `@@ -0,0 +1 @@\n+${bin}${SECRET}\n`) + fileDiff('t.txt', `@@ -0,0 +1 @@\n+${SECRET}\n`)));
    expect(r.findings.map((f) => f.file)).toEqual(['t.txt']);
    expect(r.notes.join('\n')).toMatch(/skipped 1 binary file\(s\) in the history: img\.bin/);
  });

  it('a text line longer than the limit fails closed; a binary one is skipped and the scan goes on', () => {
    const long = 'a'.repeat(MAX_LINE_BYTES + 10);
    expect(() => scan(commit(SHA1, 'm', fileDiff('min.js', `@@ -0,0 +1 @@\n+${long}\n`)), { chunk: 1 << 20 })).toThrow(/longer than 16 MiB.*min\.js/);
    const binLong = '\x00\x01\x02'.repeat(Math.ceil(MAX_LINE_BYTES / 3) + 10);
    const r = scan(commit(SHA1, 'm', fileDiff('blob.bin', `@@ -0,0 +1,2 @@\n+${binLong}\n+more\n`) + fileDiff('t.txt', `@@ -0,0 +1 @@\n+${SECRET}\n`)), { chunk: 1 << 20 });
    expect(r.findings.map((f) => f.file)).toEqual(['t.txt']);
    expect(r.notes.join('\n')).toContain('blob.bin');
  });

  it('more commits than the cap fail closed, naming the cap; the cap itself passes', () => {
    const three = commit(SHA1, 'a', '') + commit(SHA2, 'b', '') + commit('c'.repeat(40), 'c', '');
    expect(scan(three, { maxCommits: 3 }).commits).toBe(3);
    expect(() => scan(three, { maxCommits: 2 })).toThrow(/more than 2 commits.*silent pass/);
  });

  it('an allow directive with a reason in Markdown prose suppresses, listed; without a reason, or outside Markdown, it does not', () => {
    const lines = `@@ -0,0 +1,2 @@\n+T=${SECRET} <!-- sot-gate:allow secret/github -- test fixture -->\n+U=${SECRET}x <!-- sot-gate:allow secret/github -->\n`;
    const md = scan(commit(SHA1, 'm', fileDiff('notes.md', lines)));
    expect(md.suppressed.map((f) => f.line)).toEqual([1]);
    expect(md.findings.map((f) => f.line)).toEqual([2]);
    const env = scan(commit(SHA1, 'm', fileDiff('a.env', `@@ -0,0 +1,1 @@\n+T=${SECRET} # sot-gate:allow secret/github -- test fixture\n`)));
    expect(env.suppressed).toEqual([]);
    expect(env.findings.map((f) => f.line)).toEqual([1]);
  });
  it('with inlineSuppressions false (a pull request without an approval) no directive or example marker counts', () => {
    const lines = `@@ -0,0 +1,2 @@\n+T=${SECRET} <!-- sot-gate:allow secret/github -- test fixture -->\n+U=${SECRET}y sot-gate:example\n`;
    const r = scan(commit(SHA1, 'm', fileDiff('notes.md', lines)), { inlineSuppressions: false });
    expect(r.suppressed).toEqual([]);
    expect(r.findings.map((f) => f.line)).toEqual([1, 2]);
  });
});

describe('GitScan: the staged change', () => {
  it('reports added lines of the index with what to do, no commit', () => {
    const r = scan(fileDiff('new.env', `@@ -0,0 +1,2 @@\n+A=1\n+T=${SECRET}\n`), { staged: true });
    expect(brief(r)).toEqual([{ ruleId: 'secret/github', file: 'new.env', line: 2, commit: undefined }]);
    expect(r.findings[0]!.message).toContain('in the staged change');
    expect(JSON.stringify(r)).not.toContain(SECRET);
  });
  it('a clean staged change passes', () => {
    expect(scan(fileDiff('new.env', '@@ -0,0 +1 @@\n+A=1\n'), { staged: true }).findings).toEqual([]);
  });
});
