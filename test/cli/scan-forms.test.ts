/**
 * End to end through the bundled CLI (dist/cli.js, built by `npm run bundle`): a value in another form is found by
 * `sot-gate scan FILE --format json` at its raw line, under its real rule, and no output (stdout, stderr, every format)
 * holds the value.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

const repo = path.resolve(__dirname, '../..');
const CLI = path.join(repo, 'dist/cli.js');
const GH = 'ghp_' + 'R7kLm2Nq8Wx4Zt6Yv1Bc3Df5Gh9Jk0Lp2Qs4W';
const EP = 'http://gpu.corp.io:8000/v1';

function scan(file: string, content: string | Buffer, format = 'json') {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'sot-gate-forms-cli-'));
  writeFileSync(path.join(dir, file), content);
  return spawnSync(process.execPath, [CLI, 'scan', file, '--format', format], { cwd: dir, encoding: 'utf8' });
}

interface Out {
  summary: { files: number };
  findings: Array<{ ruleId: string; file: string; line: number; message: string; severity: string }>;
}

const cases: Array<[string, string, string | Buffer, Array<[string, number]>, string[]]> = [
  ['an escaped token and an escaped endpoint in Markdown', 'notes.md', `# Notes\n\ntoken ghp\\_${GH.slice(4)}\nCTO\\_HARNESS\\_CASE\\_LOCAL\\_BASE\\_URL=${EP}\n| CTO_HARNESS_CASE_LOCAL_BASE_URL | ${EP} |\n`, [['secret/github', 3], ['endpoint/exposed', 4], ['endpoint/exposed', 5]], [GH, GH.slice(4), EP]],
  ['a hex IPv4 URL', 'trace.log', 'start\nconnecting to http://0x0a.0x04.0.0x0c:8000/v1\n', [['endpoint/exposed', 2]], ['0x0a.0x04.0.0x0c']],
  ['a base64-wrapped token', 'trace.log', `start\nblob=${Buffer.from(GH).toString('base64')}\n`, [['secret/github', 2]], [GH, Buffer.from(GH).toString('base64')]],
  ['a UTF-16 file', 'out.log', Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(`line one\nexport GH_TOKEN=${GH}\n`, 'utf16le')]), [['secret/github', 2]], [GH]],
];

describe('sot-gate scan finds values in other forms (dist/cli.js)', () => {
  it.each(cases)('%s', (_name, file, content, expected, values) => {
    const r = scan(file, content);
    expect(r.status, r.stderr).toBe(1);
    const out = JSON.parse(r.stdout) as Out;
    expect(out.summary.files).toBe(1);
    expect(out.findings.map((f) => [f.ruleId, f.line])).toEqual(expected);
    for (const f of out.findings) expect(f.severity).toBe('error');
    for (const format of ['json', 'text', 'sarif']) {
      const o = format === 'json' ? r : scan(file, content, format);
      for (const v of values) {
        expect(o.stdout, format).not.toContain(v);
        expect(o.stderr, format).not.toContain(v);
      }
    }
  });
});
