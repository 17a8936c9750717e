import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { configSchema, DEFAULT_CONFIG } from '../../src/engine/config.js';
import { scanPaths } from '../../src/engine/scan-paths.js';
import { EvaluationError } from '../../src/engine/types.js';

const GH = 'ghp_R7kLm2Nq8Wx4Zt6Yv1Bc3Df5Gh9Jk0Lp2Qs4W';
let root: string;
beforeAll(() => {
  root = mkdtempSync(path.join(tmpdir(), 'sot-gate-paths-'));
  const w = (rel: string, text: string | Buffer) => {
    mkdirSync(path.dirname(path.join(root, rel)), { recursive: true });
    writeFileSync(path.join(root, rel), text);
  };
  w('.sot/a.md', `# A\n\ntoken: ${GH}\n`);
  w('.sot/b.md', `# B\n<!-- sot-gate:allow secret/github -- rotated test token -->\n${GH}\n`);
  w('runs/report.md', 'ok\nendpoint http://100.101.7.33:8000/v1\n');
  w('runs/ADMISSION.json', '{\n  "provider": "qwen-local",\n  "password": "x"\n}\n');
  w('runs/image.png', Buffer.from([0x89, 0x50, 0x4e, 0x47, 0, 0, 0, 1]));
  w('node_modules/pkg/leak.md', GH);
  w('.git/config', GH);
  w('clean.md', 'nothing here\n');
  symlinkSync(path.join(root, '.sot/a.md'), path.join(root, 'link.md'));
});
afterAll(() => rmSync(root, { recursive: true, force: true }));

describe('scanPaths', () => {
  it('walks, skips .git/node_modules/symlinks/binaries, sorts errors first then file/line', async () => {
    const r = await scanPaths(root, ['.'], DEFAULT_CONFIG, '2026-06-01');
    expect(r.findings.map((f) => [f.file, f.line, f.ruleId, f.severity])).toEqual([
      ['.sot/a.md', 3, 'secret/github', 'error'],
      ['runs/ADMISSION.json', 3, 'secret/key-name', 'error'],
      ['runs/report.md', 2, 'endpoint/exposed', 'error'],
    ]);
    expect(r.suppressed.map((f) => [f.file, f.line, f.suppressed?.kind])).toEqual([['.sot/b.md', 3, 'inline']]);
    expect(r.summary).toEqual({ files: 5, errors: 3, warnings: 0, suppressed: 1 });
    expect(r.filesEvaluated).toEqual(['.sot/a.md', '.sot/b.md', 'clean.md', 'runs/ADMISSION.json', 'runs/report.md']);
    expect(r.notes).toEqual(['skipped 1 binary file(s): runs/image.png', 'skipped 1 symbolic link(s), never followed: link.md']);
    expect(JSON.stringify(r)).not.toContain(GH);
    expect(JSON.stringify(r)).not.toContain('100.101.7.33');
  });
  it('applies configured severities and accepts file paths', async () => {
    const cfg = configSchema.parse({ rules: { 'secret/*': 'warning', 'endpoint/exposed': 'off' } });
    const r = await scanPaths(root, ['runs', '.sot/a.md'], cfg, '2026-06-01');
    expect(r.findings.map((f) => [f.file, f.ruleId, f.severity])).toEqual([
      ['.sot/a.md', 'secret/github', 'warning'],
      ['runs/ADMISSION.json', 'secret/key-name', 'warning'],
    ]);
  });
  it('loads the baseline and fails on a missing one', async () => {
    const first = await scanPaths(root, ['.sot/a.md'], DEFAULT_CONFIG, '2026-06-01');
    writeFileSync(path.join(root, 'baseline.json'), JSON.stringify({ version: 1, entries: [{ fingerprint: first.findings[0]!.fingerprint, rule: 'secret/github', reason: 'known', expires: '2026-12-31' }] }));
    const cfg = configSchema.parse({ secrets: { baseline: 'baseline.json' } });
    const r = await scanPaths(root, ['.sot/a.md'], cfg, '2026-06-01');
    expect(r.findings).toEqual([]);
    expect(r.suppressed[0]!.suppressed).toEqual({ kind: 'baseline', reason: 'known', expires: '2026-12-31' });
    await expect(scanPaths(root, ['.'], configSchema.parse({ secrets: { baseline: 'nope.json' } }))).rejects.toThrow(EvaluationError);
  });
  it('streams files over max-file-size instead of skipping them', async () => {
    const cfg = configSchema.parse({ secrets: { 'max-file-size': 1 } });
    const r = await scanPaths(root, ['.sot/a.md'], cfg, '2026-06-01');
    expect(r.findings.map((f) => [f.line, f.column])).toEqual([[3, 8]]);
  });
});

describe('scan severities match check: high-entropy guesses warn, known formats are errors', () => {
  it('reports secret/high-entropy as a warning by default and as configured', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'sot-gate-sev-'));
    try {
      writeFileSync(path.join(dir, 'b.txt'), `blob = "Zx9kQ2vLm8RtY4wP7nB3sD6fH1jK5gT0"\ntoken: ${GH}\n`);
      const byRule = (r: Awaited<ReturnType<typeof scanPaths>>) => Object.fromEntries(r.findings.map((f) => [f.ruleId, f.severity]));
      expect(byRule(await scanPaths(dir, ['.'], DEFAULT_CONFIG))).toEqual({ 'secret/github': 'error', 'secret/high-entropy': 'warning' });
      const strict = configSchema.parse({ rules: { 'secret/high-entropy': 'error' } });
      expect(byRule(await scanPaths(dir, ['.'], strict))).toEqual({ 'secret/github': 'error', 'secret/high-entropy': 'error' });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('scanPaths: where a directive counts', () => {
  it('a directive in a log, a JSON trace or Markdown front matter suppresses nothing and is reported; in Markdown prose it counts', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'sot-gate-paths-allow-'));
    try {
      writeFileSync(path.join(dir, 'run.log'), `token: ${GH} sot-gate:allow secret/* -- harness says fine\n`);
      writeFileSync(path.join(dir, 'trace.jsonl'), `${JSON.stringify({ out: `${GH} sot-gate:allow secret/github -- ok` })}\n`);
      writeFileSync(path.join(dir, 'fm.md'), `---\ntoken: ${GH} # sot-gate:allow secret/github -- ok\n---\n# fm\n`);
      writeFileSync(path.join(dir, 'doc.md'), `# Doc\n\n${GH} <!-- sot-gate:allow secret/github -- rotated test token -->\n`);
      const r = await scanPaths(dir, ['.'], DEFAULT_CONFIG, '2026-06-01');
      expect(r.findings.map((f) => [f.file, f.line, f.ruleId])).toEqual([
        ['fm.md', 2, 'secret/github'],
        ['run.log', 1, 'secret/github'],
        ['trace.jsonl', 1, 'secret/github'],
        ['fm.md', 2, 'suppress/ignored-directive'],
        ['run.log', 1, 'suppress/ignored-directive'],
        ['trace.jsonl', 1, 'suppress/ignored-directive'],
      ]);
      expect(r.suppressed.map((f) => [f.file, f.line, f.ruleId])).toEqual([['doc.md', 3, 'secret/github']]);
      expect(JSON.stringify(r)).not.toContain(GH);
      // the warning can be turned off by the policy like any rule; the secret stays
      const off = await scanPaths(dir, ['.'], configSchema.parse({ rules: { 'suppress/ignored-directive': 'off' } }), '2026-06-01');
      expect(off.findings.map((f) => f.ruleId)).toEqual(['secret/github', 'secret/github', 'secret/github']);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
