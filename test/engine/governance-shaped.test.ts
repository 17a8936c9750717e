/**
 * Nothing governance-shaped is skipped silently: a case variant of an SOT or admission name is checked, a symbolic link
 * to a directory and a directory whose name is not valid UTF-8 are findings (on disk and in a git revision), and a
 * token used as a file or directory name is a finding that never prints the token.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, symlinkSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { evaluate } from '../../src/engine/check.js';
import { configSchema, DEFAULT_CONFIG } from '../../src/engine/config.js';
import { admissionJson, admissionPath, DECISION_PATH, decisionDoc, frontMatter } from '../../src/engine/rules/fixtures.js';
import { scanPaths } from '../../src/engine/scan-paths.js';
import { classify, decodeName, DIRECTORY_LINK, loadGitTree, loadTree, mayHold, nameFindings, NON_UTF8_DIRECTORY, NON_UTF8_FILE, OUTSIDE_LINK } from '../../src/engine/tree.js';
import { EvaluationError } from '../../src/engine/types.js';
import { evaluateFiles } from '../helpers/tree.js';

const GH = 'ghp_' + 'a1B2c3D4e5F6g7H8i9J0k1L2m3N4o5P6q7R8';
const OPENAI = 'sk-proj-' + 'Ab3dEf6hIj9kLm2nOp5qRs8tUv1wXy4zAb3dEf6hIj9kLm2n';

function dir(files: Record<string, string | Buffer> = {}): string {
  const d = mkdtempSync(path.join(os.tmpdir(), 'sot-gate-shaped-'));
  for (const [rel, content] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(d, rel)), { recursive: true });
    writeFileSync(path.join(d, rel), content);
  }
  return d;
}
/** A path under `d` whose last component is raw bytes. */
const rawPath = (d: string, relDir: string, bytes: number[]) => Buffer.concat([Buffer.from(path.join(d, relDir) + path.sep), Buffer.from(bytes)]);
const git = (d: string, ...a: string[]) => execFileSync('git', ['-C', d, '-c', 'user.name=t', '-c', 'user.email=t@t', ...a], { stdio: 'pipe' });
const commitAll = (d: string) => {
  git(d, 'init', '-q');
  git(d, 'add', '-A');
  git(d, 'commit', '-qm', 'base');
};
const at = (r: { findings: Array<{ ruleId: string; file: string; line: number }> }) => r.findings.map((f) => `${f.ruleId} ${f.file}:${f.line}`);

describe('a name that differs only in case is still a governance file', () => {
  const lower = '.sot/03-PROTOCOLS/cto-case-model-provider-admission.qwen-local-qwen3.6-35b-a3b.json';
  it('classify: admission and SOT globs match whatever the case; ignore stays as written; other files stay out', () => {
    for (const p of [lower, '.sot/X-ADMISSION.qwen-local-m.JSON', 'a/x-Admission.b-c.Json', 'ADMISSION.json']) expect(classify(p, DEFAULT_CONFIG), p).toBe('admission');
    for (const p of ['.SOT/a.md', '.sot/A.MD', '.Sot/x/y.Md']) expect(classify(p, DEFAULT_CONFIG), p).toBe('sot');
    for (const p of ['.sot/a.txt', 'docs/a.md', 'x-admissions.yaml', 'node_modules/p/x-admission.json', '.git/x-ADMISSION.json']) expect(classify(p, DEFAULT_CONFIG), p).toBeUndefined();
    const cfg = configSchema.parse({ ignore: ['vendor/**'] });
    expect(classify('vendor/x-admission.json', cfg)).toBeUndefined();
    expect(classify('Vendor/x-admission.json', cfg)).toBe('admission');
  });
  it('a lower-case admission admitting another pair than its name is judged by the admission rules (filename-mismatch)', async () => {
    const wrong = '.sot/03-PROTOCOLS/cto-case-model-provider-admission.openai-codex-gpt-5.5.json';
    const d = dir({ [DECISION_PATH]: decisionDoc(), [wrong]: admissionJson() });
    const r = evaluate({ files: await loadTree(d, DEFAULT_CONFIG), config: DEFAULT_CONFIG });
    expect(r.findings.find((f) => f.ruleId === 'admission/filename-mismatch')).toMatchObject({ file: wrong, line: 3 });
  });
  it('a .JSON admission with bad JSON is admission/invalid; an .MD SOT file without front matter is a finding', () => {
    const r = evaluateFiles({ [DECISION_PATH]: decisionDoc(), '.sot/X-ADMISSION.a-b.JSON': '{"status": ', '.SOT/NOTES.MD': '# no front matter\n' });
    expect(at(r)).toEqual(expect.arrayContaining(['admission/invalid .sot/X-ADMISSION.a-b.JSON:1', 'sot/frontmatter-missing .SOT/NOTES.MD:1']));
  });
  it('quiet: a valid lower-case admission of the decided pair passes and is admitted', async () => {
    const d = dir({ [DECISION_PATH]: decisionDoc(), [lower]: admissionJson() });
    const r = evaluate({ files: await loadTree(d, DEFAULT_CONFIG), config: DEFAULT_CONFIG });
    expect(r.findings).toEqual([]);
    expect(r.admittedPairs.map((p) => p.file)).toEqual([lower]);
    expect(r.filesEvaluated).toContain(lower);
  });
});

describe('a symbolic link to a directory is a finding, never "0 files checked"', () => {
  it('.sot itself a link: sot/unreadable on .sot, line 1, one entry counted, nothing under it read', async () => {
    const real = dir({ [DECISION_PATH]: decisionDoc({ decision_status: '`bogus`' }) });
    const d = dir();
    symlinkSync(path.join(real, '.sot'), path.join(d, '.sot'));
    const files = await loadTree(d, DEFAULT_CONFIG);
    expect(files).toEqual([{ path: '.sot', kind: 'sot', error: DIRECTORY_LINK }]);
    const r = evaluate({ files, config: DEFAULT_CONFIG });
    expect(at(r)).toEqual(['sot/unreadable .sot:1']);
    expect(r.findings[0]!.message).toBe(`file cannot be evaluated: ${DIRECTORY_LINK}`);
    expect(r.summary.files).toBe(1);
  });
  it('a directory link inside the tree (relative, or to a directory outside the workspace) is a finding', async () => {
    const outside = dir({ 'x-ADMISSION.a-b.json': '{}' });
    const d = dir({ [DECISION_PATH]: decisionDoc(), 'docs/real/readme.txt': 'x' });
    symlinkSync('../docs/real', path.join(d, '.sot/inner'));
    symlinkSync(outside, path.join(d, 'docs/ext'));
    const files = await loadTree(d, DEFAULT_CONFIG);
    expect(files.filter((f) => f.error).map((f) => [f.path, f.error])).toEqual([
      ['.sot/inner', DIRECTORY_LINK],
      ['docs/ext', DIRECTORY_LINK],
    ]);
    expect(files.some((f) => f.path.startsWith('docs/ext/'))).toBe(false);
  });
  it('quiet: links to files that are not governance files, dangling links, node_modules and ignored or unmatched paths', async () => {
    const d = dir({ [DECISION_PATH]: decisionDoc(), 'bin/run.sh': 'echo\n', 'vendor/lib/a.txt': 'x', 'pkg/a.txt': 'x' });
    symlinkSync('run.sh', path.join(d, 'bin/run'));
    symlinkSync('nowhere', path.join(d, 'bin/dangling'));
    symlinkSync('pkg', path.join(d, 'node_modules'));
    symlinkSync('lib', path.join(d, 'vendor/lib2'));
    symlinkSync('../pkg', path.join(d, 'bin/pkg'));
    // The policy's ignore covers vendor/; only .sot can hold SOT or admission files under this policy.
    const cfg = configSchema.parse({ ignore: ['vendor/**'], 'admission-files': ['.sot/**/*ADMISSION*.json'] });
    expect((await loadTree(d, cfg)).filter((f) => f.error)).toEqual([]);
    // Under the default policy, any directory can hold an admission file: the link into pkg is reported.
    expect((await loadTree(d, DEFAULT_CONFIG)).filter((f) => f.error).map((f) => f.path)).toEqual(['bin/pkg', 'vendor/lib2']);
  });
  it('mayHold: a directory where a glob could match below it, unless ignored', () => {
    const cfg = configSchema.parse({ ignore: ['vendor/**'], 'admission-files': ['.sot/**/*ADMISSION*.json'] });
    expect(mayHold('.sot', cfg)).toBe('sot');
    expect(mayHold('.SOT/sub', cfg)).toBe('sot');
    expect(mayHold('src', cfg)).toBeUndefined();
    expect(mayHold('vendor/x', DEFAULT_CONFIG)).toBe('admission');
    expect(mayHold('vendor/x', configSchema.parse({ ignore: ['vendor/**'] }))).toBeUndefined();
  });
  it('the git-tree loader judges mode-120000 entries the same way', async () => {
    const d = dir({ [DECISION_PATH]: decisionDoc(), 'docs/real/a.txt': 'x', 'README.txt': 'r' });
    symlinkSync('../docs/real', path.join(d, '.sot/inner'));
    symlinkSync('/etc', path.join(d, 'docs/abs'));
    symlinkSync('../../elsewhere', path.join(d, 'docs/up'));
    symlinkSync('../README.txt', path.join(d, 'docs/file-link'));
    symlinkSync('missing', path.join(d, 'docs/dangling'));
    symlinkSync('inner', path.join(d, '.sot/chain'));
    commitAll(d);
    const base = await loadGitTree(d, 'HEAD', DEFAULT_CONFIG);
    expect(base.filter((f) => f.error).map((f) => [f.path, f.error])).toEqual([
      ['.sot/chain', DIRECTORY_LINK],
      ['.sot/inner', DIRECTORY_LINK],
      ['docs/abs', OUTSIDE_LINK],
      ['docs/up', OUTSIDE_LINK],
    ]);
    expect(base.find((f) => f.path === DECISION_PATH)?.bytes).toBeDefined();
  });
  it('the git-tree loader: .sot as a link to a directory of the revision', async () => {
    const d = dir({ [`real/${DECISION_PATH}`]: decisionDoc() });
    symlinkSync('real/.sot', path.join(d, '.sot'));
    commitAll(d);
    const base = await loadGitTree(d, 'HEAD', DEFAULT_CONFIG);
    expect(base.filter((f) => f.error)).toEqual([{ path: '.sot', kind: 'sot', error: DIRECTORY_LINK }]);
  });
});

describe('a name that is not valid UTF-8 is a finding, file or directory, never exit 2', () => {
  it('decodeName: valid text as is, every byte of an invalid sequence escaped', () => {
    expect(decodeName(Buffer.from('ünï😀'))).toEqual({ name: 'ünï😀', valid: true });
    expect(decodeName(Buffer.from([0x64, 0xfe]))).toEqual({ name: 'd\\xfe', valid: false });
    expect(decodeName(Buffer.from([0xc3, 0xa9, 0xc3]))).toEqual({ name: 'é\\xc3', valid: false });
    expect(decodeName(Buffer.from([0xc0, 0xaf]))).toEqual({ name: '\\xc0\\xaf', valid: false }); // overlong "/"
    expect(decodeName(Buffer.from([0xed, 0xa0, 0x80, 0x41]))).toEqual({ name: '\\xed\\xa0\\x80A', valid: false }); // surrogate
  });
  it('a directory with such a name under .sot: sot/unreadable naming it escaped, line 1; the rest of the tree is checked', async () => {
    const d = dir({ [DECISION_PATH]: decisionDoc(), '.sot/ok/a.md': '# no front matter\n' });
    mkdirSync(rawPath(d, '.sot', [0x64, 0xfe]));
    writeFileSync(Buffer.concat([rawPath(d, '.sot', [0x64, 0xfe]), Buffer.from('/x-ADMISSION.a-b.json')]), '{}');
    const files = await loadTree(d, DEFAULT_CONFIG);
    expect(files.filter((f) => f.error)).toEqual([{ path: '.sot/d\\xfe', kind: 'sot', error: NON_UTF8_DIRECTORY }]);
    const r = evaluate({ files, config: DEFAULT_CONFIG });
    expect(at(r)).toEqual(['sot/unreadable .sot/d\\xfe:1', 'sot/frontmatter-missing .sot/ok/a.md:1']);
  });
  it('a file with such a name that matches a glob is a finding; quiet when neither file nor directory could be governance', async () => {
    const d = dir({ [DECISION_PATH]: decisionDoc() });
    writeFileSync(rawPath(d, '.sot', [0x62, 0xff, 0x2e, 0x6d, 0x64]), '# x\n');
    mkdirSync(path.join(d, 'vendor'));
    mkdirSync(rawPath(d, 'vendor', [0xff]));
    writeFileSync(rawPath(d, '.sot', [0x62, 0xff, 0x2e, 0x74, 0x78, 0x74]), 'x'); // b\xff.txt: not an SOT file
    const cfg = configSchema.parse({ ignore: ['vendor/**'] });
    const files = await loadTree(d, cfg);
    expect(files.filter((f) => f.error)).toEqual([{ path: '.sot/b\\xff.md', kind: 'sot', error: NON_UTF8_FILE }]);
    // Without the ignore, the vendor directory could hold an admission file.
    expect((await loadTree(d, DEFAULT_CONFIG)).filter((f) => f.error).map((f) => f.path)).toEqual(['.sot/b\\xff.md', 'vendor/\\xff']);
  });
  it('the git-tree loader reports them the same way (the directory once)', async () => {
    const d = dir({ [DECISION_PATH]: decisionDoc() });
    mkdirSync(rawPath(d, '.sot', [0x64, 0xfe]));
    for (const n of ['a.md', 'b.md']) writeFileSync(Buffer.concat([rawPath(d, '.sot', [0x64, 0xfe]), Buffer.from(`/${n}`)]), '# x\n');
    writeFileSync(rawPath(d, '.sot', [0x62, 0xff, 0x2e, 0x6d, 0x64]), '# x\n');
    commitAll(d);
    const base = await loadGitTree(d, 'HEAD', DEFAULT_CONFIG);
    expect(base.filter((f) => f.error).map((f) => [f.path, f.error])).toEqual([
      ['.sot/b\\xff.md', NON_UTF8_FILE],
      ['.sot/d\\xfe', NON_UTF8_DIRECTORY],
    ]);
  });
  it('scan: exit 2 naming the entry escaped, not a misleading "no such file"', async () => {
    const d = dir({ 'runs/a.log': 'ok\n' });
    mkdirSync(rawPath(d, 'runs', [0x64, 0xfe]));
    await expect(scanPaths(d, ['.'], DEFAULT_CONFIG)).rejects.toThrow(new EvaluationError('runs/d\\xfe: the name is not valid UTF-8, so it cannot be scanned (rename it)'));
    // Ignored: not read, not an error.
    await expect(scanPaths(d, ['.'], configSchema.parse({ ignore: ['runs/d*'] }))).resolves.toMatchObject({ summary: { files: 1 } });
  });
});

describe('a token used as a file or directory name is a finding', () => {
  it('nameFindings: the detector rule id, line 1, where it is, redacted; quiet on ordinary names', () => {
    const [f, ...rest] = nameFindings([`.sot/${GH}.md`], DEFAULT_CONFIG);
    expect(rest).toEqual([]);
    expect(f).toMatchObject({ ruleId: 'secret/github', file: `.sot/${GH}.md`, line: 1 });
    expect(f!.message).toMatch(/^in the file name: GitHub token ghp_a1…\(40 chars\)/);
    expect(f!.message).not.toContain(GH);
    expect(f!.fingerprint).not.toContain(GH.slice(4, 20));
    const [g] = nameFindings([`runs/${OPENAI}/trace.jsonl`], DEFAULT_CONFIG);
    expect(g).toMatchObject({ ruleId: 'secret/openai', line: 1 });
    expect(g!.message).toMatch(/^in a directory name of this path: /);
    expect(g!.message).not.toContain(OPENAI);
    for (const ok of [admissionPath('qwen-local', 'qwen3.6-35b-a3b'), DECISION_PATH, 'runs/sha256-9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08.log', 'run/0b5e8c1e-1d2f-4a3b-9c8d-7e6f5a4b3c2d/trace.jsonl']) {
      expect(nameFindings([ok], DEFAULT_CONFIG), ok).toEqual([]);
    }
  });
  it('many paths: each finding on the path that holds the token (across blocks), a line break in a name changes nothing', () => {
    const paths = Array.from({ length: 200 }, (_, i) => `runs/d${i % 7}/f${i}.log`);
    for (const i of [0, 63, 64, 199]) paths[i] = `runs/${i}-${GH}.log`;
    paths[100] = `runs/new\nline-${GH}.log`;
    paths[101] = 'GITHUB_TOKEN=';
    paths[102] = GH.slice(0, 20); // half a token on the next path: never joined to the one above
    const found = nameFindings(paths, DEFAULT_CONFIG);
    expect(found.map((f) => [f.ruleId, f.file, f.line])).toEqual([0, 63, 64, 100, 199].map((i) => ['secret/github', paths[i], 1]));
    expect(found.every((f) => f.message.startsWith('in the file name: '))).toBe(true);
  });
  it('a documentation-example marker in the name marks nothing: the finding stays active', () => {
    const r = evaluateFiles({ [`.sot/sot-gate:example ${GH}.md`]: frontMatter() + '# A\n' });
    expect(at(r)).toEqual([`secret/github .sot/sot-gate:example ${GH}.md:1`]);
    expect(r.suppressed).toEqual([]);
  });
  it('check: a finding on the file, kept in pull-request scope when that file changed; the message never holds the token', () => {
    const name = `.sot/${GH}.md`;
    const r = evaluateFiles({ [name]: frontMatter() + '# A\n', '.sot/b.md': frontMatter() + '# B\n' }, { changed: [name] });
    expect(at(r)).toEqual([`secret/github ${name}:1`]);
    expect(JSON.stringify(r.findings.map((f) => f.message))).not.toContain(GH);
    const quiet = evaluateFiles({ '.sot/a.md': frontMatter() + '# A\n' });
    expect(quiet.findings).toEqual([]);
  });
  it('scan: files (binary too), links and special entries named after a token; the notes show the names redacted', async () => {
    const d = dir({ [`runs/${GH}.log`]: 'ok\n', [`runs/${OPENAI}/bin.png`]: Buffer.from([0x89, 0x50, 0x4e, 0x47, 0, 0, 0, 1]), 'runs/clean.log': 'ok\n' });
    symlinkSync('clean.log', path.join(d, `runs/link-${GH}`));
    const r = await scanPaths(d, ['.'], DEFAULT_CONFIG, '2026-06-01');
    expect(at(r)).toEqual([`secret/github runs/${GH}.log:1`, `secret/github runs/link-${GH}:1`, `secret/openai runs/${OPENAI}/bin.png:1`]);
    expect(JSON.stringify([r.findings.map((f) => f.message), r.notes])).not.toMatch(/a1B2c3D4e5F6|Ab3dEf6hIj9k/);
  });
});
