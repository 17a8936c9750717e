/**
 * The same value in another form: UTF-16 files, private addresses as a URL parser reads them, Target Repository paths
 * written with escapes, `..` or doubled slashes, Markdown as it renders, and base64/hex-encoded tokens.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { scanFile, scanText } from '../../src/engine/scanner/index.js';
import { sniffEncoding } from '../../src/engine/scanner/encoding.js';
import { isPrivateAddress, isPrivateIPv4 } from '../../src/engine/scanner/detectors/endpoint.js';
import { normalisePath } from '../../src/engine/scanner/detectors/target-path.js';
import { decodeText } from '../../src/engine/parse/text.js';
import { OPTS, TARGET_OPTS } from './helpers.js';

const dir = mkdtempSync(path.join(tmpdir(), 'sot-gate-forms-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const GH = 'ghp_R7kLm2Nq8Wx4Zt6Yv1Bc3Df5Gh9Jk0Lp2Qs4W';
const at = (text: string, file = 'trace.log', opts = OPTS) => scanText(text, file, opts).map((f) => [f.ruleId, f.line]);
const noValue = (findings: { message: string }[], value: string) => {
  for (const f of findings) expect(f.message).not.toContain(value);
};

function utf16be(s: string): Buffer {
  const le = Buffer.from(s, 'utf16le');
  for (let i = 0; i + 1 < le.length; i += 2) [le[i], le[i + 1]] = [le[i + 1]!, le[i]!];
  return le;
}

describe('UTF-16 text is decoded and scanned, never skipped as binary', () => {
  const text = `first line\nconfig ok\ntoken ${GH}\nbase_url: http://10.4.0.12:11434\n`;
  it.each([
    ['LE with BOM', Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text, 'utf16le')])],
    ['BE with BOM', Buffer.concat([Buffer.from([0xfe, 0xff]), utf16be(text)])],
    ['LE without BOM', Buffer.from(text, 'utf16le')],
    ['BE without BOM', utf16be(text)],
  ])('%s: findings at their lines, in memory and streamed', async (name, bytes) => {
    const p = path.join(dir, `${name.replace(/ /g, '-')}.log`);
    writeFileSync(p, bytes);
    for (const limit of [1 << 20, 16]) {
      const res = await scanFile(p, 'x.log', OPTS, limit);
      expect(res.binary).toBe(false);
      expect(res.encoding).toMatch(/^utf-16/);
      expect(res.findings.map((f) => [f.ruleId, f.line])).toEqual([['secret/github', 3], ['endpoint/exposed', 4]]);
      noValue(res.findings, GH);
    }
  });
  it('sniffs: BOMs, the NUL pattern both ways; UTF-8, UTF-32 and a stray NUL are not UTF-16', () => {
    expect(sniffEncoding(Buffer.from([0xff, 0xfe, 0x41, 0]))).toBe('utf-16le');
    expect(sniffEncoding(Buffer.from([0xfe, 0xff, 0, 0x41]))).toBe('utf-16be');
    expect(sniffEncoding(Buffer.from('plain text here', 'utf16le'))).toBe('utf-16le');
    expect(sniffEncoding(utf16be('plain text here'))).toBe('utf-16be');
    expect(sniffEncoding(Buffer.from('plain text here'))).toBe('utf-8');
    expect(sniffEncoding(Buffer.from([0xff, 0xfe, 0, 0, 0x41, 0, 0, 0]))).toBe('utf-8');
    expect(sniffEncoding(Buffer.from('a log line\0 with one NUL in it\n'))).toBe('utf-8');
  });
  it('a NUL-heavy file in no UTF-16 pattern stays binary', async () => {
    const p = path.join(dir, 'nul.bin');
    writeFileSync(p, Buffer.from('ab\0cd\0ef\0gh\0'.repeat(100)));
    expect((await scanFile(p, 'nul.bin', OPTS)).binary).toBe(true);
  });
  it('decodeText reads a UTF-16 governance file as text (checked and scanned); an unpaired surrogate is an error with its line', () => {
    const ok = decodeText(Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from('# Title\nline two\n', 'utf16le')]));
    expect(ok).toEqual({ ok: true, value: { text: '# Title\nline two\n', lines: ['# Title', 'line two', ''] } });
    const bad = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from('a\nb\n', 'utf16le'), Buffer.from([0x00, 0xd8, 0x41, 0x00])]);
    expect(decodeText(bad)).toEqual({ ok: false, reason: 'is not valid UTF-16LE', line: 3 });
    expect(decodeText(new Uint8Array([0x61, 0x0a, 0x62, 0x00]))).toEqual({ ok: false, reason: 'contains a NUL byte (binary file)', line: 2 });
  });
});

describe('private addresses in every form a URL parser accepts', () => {
  it.each([
    'http://0x0a.0.0.1:8000/v1', 'http://012.0.0.1/', 'http://167772161/', 'http://10.1:8000/', 'http://0xa000001/', 'https://u@0x64.0x40.0.1/',
    'http://[::ffff:a00:1]:8000/', 'http://[::ffff:10.0.0.1]/', 'peer ::ffff:10.0.0.1 up', 'peer ::ffff:a00:1 up', 'peer fd00::53 up', 'peer fc00::1 up',
    'http://172.16.0.1/', 'http://100.127.255.254/',
  ])('fires on %s', (text) => {
    const f = scanText(text, 'x.log', OPTS);
    expect(f.map((x) => [x.ruleId, x.line])).toEqual([['endpoint/exposed', 1]]);
    expect(f[0]!.message).toMatch(/^private network address /);
  });
  it.each([
    'http://0x08.0x08.0x08.0x08/', 'http://134744072/', 'http://0x7f.0.0.1/', 'http://2130706433/', 'http://[::ffff:8.8.8.8]/', 'peer ::ffff:7f00:1 up',
    'http://[fe80::1]/', 'http://100.128.0.1/', 'http://172.32.0.1/', 'route fd00::/8', 'std::vector a::b', 'at 12:30:45',
  ])('stays quiet on %s', (text) => {
    expect(scanText(text, 'x.log', OPTS)).toEqual([]);
  });
  it('isPrivateAddress: ranges by ipaddr.js', () => {
    expect(['10.0.0.1', '192.168.1.1', '100.64.0.1', 'fd7a:115c:a1e0::1', '::ffff:10.0.0.1', '[fd00::1]'].map(isPrivateAddress)).toEqual([true, true, true, true, true, true]);
    expect(['8.8.8.8', '127.0.0.1', '::1', 'fe80::1', '100.63.255.255', 'not an address'].map(isPrivateAddress)).toEqual([false, false, false, false, false, false]);
  });
});

describe('Target Repository paths are normalised before matching', () => {
  it.each([
    ['/srv//targets/acme', '/srv/targets/acme'],
    ['/srv/./targets/acme/', '/srv/targets/acme'],
    ['/srv/x/../targets/acme', '/srv/targets/acme'],
    ['\\/srv\\/targets\\/acme', '/srv/targets/acme'],
    ['\\srv\\targets\\acme', '/srv/targets/acme'],
    ['./work/target-repo', 'work/target-repo'],
    ['/srv/targets/acme', '/srv/targets/acme'],
  ])('%s names %s', (token, want) => expect(normalisePath(token)).toBe(want));
  it.each(['cd /srv//targets/acme', 'cd /./srv/targets/acme', 'cd /srv/tmp/../targets/acme', '{"cwd":"\\/srv\\/targets\\/acme"}', 'cd \\srv\\targets\\acme', 'cd /srv/targets/./acme'])(
    'fires on %s, the written path redacted',
    (text) => {
      const f = scanText(text, 'x.log', TARGET_OPTS);
      expect(f.map((x) => [x.ruleId, x.line])).toEqual([['path/target-repository', 1]]);
      expect(f[0]!.message).not.toContain('targets');
    },
  );
  it.each(['cd /srv/targets/../other/acme', 'cd /srv/other/targets', 'cd /srv/targetsx/acme'])('stays quiet on %s', (text) => {
    expect(scanText(text, 'x.log', TARGET_OPTS)).toEqual([]);
  });
});

describe('isPrivateIPv4 (the dotted-quad hot path) agrees with ipaddr.js', () => {
  it('on every first octet and the second-octet edges of each range', () => {
    for (let a = 0; a < 256; a++) {
      for (const b of [0, 15, 16, 31, 32, 63, 64, 127, 128, 167, 168, 169, 255]) {
        expect(isPrivateIPv4([a, b, 1, 2]), `${a}.${b}.1.2`).toBe(isPrivateAddress(`${a}.${b}.1.2`));
      }
    }
  });
});

describe('Markdown is scanned as it renders; the raw line is kept and the value redacted', () => {
  const EP = 'http://gpu.corp.io:8000/v1';
  const doc = [
    '# Notes', // 1
    `token ghp\\_R7kLm2Nq8Wx4Zt6Yv1Bc3Df5Gh9Jk0Lp2Qs4W`, // 2
    `CTO\\_HARNESS\\_CASE\\_LOCAL\\_BASE\\_URL=${EP}`, // 3
    'served from spark-1.tail4f2a9\\.ts\\.net today', // 4
    '| name | value |', // 5
    '|---|---|', // 6
    `| CTO_HARNESS_CASE_LOCAL_BASE_URL | ${EP} |`, // 7
    'ghp&#x5f;R7kLm2Nq8Wx4Zt6Yv1Bc3Df5Gh9Jk0Lp2Qs4W', // 8
    'ghp_<!-- split -->R7kLm2Nq8Wx4Zt6Yv1Bc3Df5Gh9Jk0Lp2Qs4W', // 9
    `plain ${GH}`, // 10
  ].join('\n');
  it('each form is found at its raw line, under its rule', () => {
    expect(at(doc, 'docs/notes.md')).toEqual([
      ['secret/github', 2], ['endpoint/exposed', 3], ['endpoint/exposed', 4], ['endpoint/exposed', 7], ['secret/github', 8], ['secret/github', 9], ['secret/github', 10],
    ]);
  });
  it('columns point at the raw value; messages never hold the rendered value', () => {
    const f = scanText(doc, 'docs/notes.md', OPTS);
    expect(f.find((x) => x.line === 2)!.column).toBe(7);
    expect(f.find((x) => x.line === 7)!.column).toBe(37);
    noValue(f, GH);
    noValue(f, EP);
    noValue(f, 'spark-1.tail4f2a9');
  });
  it('the same forms in a file that is not Markdown are read as written (no rendering)', () => {
    expect(at(doc.split('\n').slice(1, 3).join('\n'), 'trace.log')).toEqual([]);
  });
  it('a value found raw and rendered is reported once', () => {
    expect(at(`| GITHUB_TOKEN | ${GH} |`, 'a.md')).toEqual([['secret/github', 1]]);
    expect(at(`CTO_HARNESS_CASE_LOCAL_BASE_URL=\`${EP}\` and \\*`, 'a.md')).toEqual([['endpoint/exposed', 1]]);
  });
  it('stays quiet on rendered prose, placeholders and delimiter rows', () => {
    const quiet = ['| Variable | Meaning |', '|:---|---:|', '| `CTO_HARNESS_CASE_LOCAL_BASE_URL` | the private endpoint (never written) |', 'ghp\\_xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx', 'a &amp; b &lt;tag&gt; `code` \\*not emphasis\\*', 'x**bold**y'];
    expect(scanText(quiet.join('\n'), 'a.md', OPTS)).toEqual([]);
  });
  it('a documentation example marker suppresses rendered findings on its line too', () => {
    const f = scanText('ghp\\_R7kLm2Nq8Wx4Zt6Yv1Bc3Df5Gh9Jk0Lp2Qs4W  # sot-gate:example', 'a.md', OPTS);
    expect(f.map((x) => [x.ruleId, x.line, x.suppressed?.kind])).toEqual([['secret/github', 1, 'inline']]);
  });
});

describe('base64 and hex runs are decoded and scanned', () => {
  const b64 = Buffer.from(GH).toString('base64');
  const b64url = Buffer.from(`x ${GH} y?`).toString('base64url');
  const twice = Buffer.from(b64).toString('base64');
  const hex = Buffer.from(GH).toString('hex');
  const endpoint = Buffer.from('CTO_HARNESS_CASE_LOCAL_BASE_URL=http://gpu.corp.io:8000/v1').toString('base64');
  it.each([
    ['base64', `blob: ${b64}`, 'secret/github', /^base64-encoded GitHub token /],
    ['base64 after =', `blob=${b64}`, 'secret/github', /^base64-encoded GitHub token /],
    ['base64url', `{"d":"${b64url}"}`, 'secret/github', /^base64-encoded GitHub token /],
    ['base64 of base64', `blob: ${twice}`, 'secret/github', /^base64 of base64-encoded GitHub token /],
    ['hex', `blob: ${hex}`, 'secret/github', /^hex-encoded GitHub token /],
    ['endpoint', `env ${endpoint}`, 'endpoint/exposed', /^base64-encoded Private endpoint /],
  ])('%s: an error under the real rule, not a high-entropy warning; the run redacted', (_n, text, rule, message) => {
    const f = scanText(text, 'trace.log', OPTS);
    expect(f.map((x) => [x.ruleId, x.line])).toEqual([[rule, 1]]);
    expect(f[0]!.message).toMatch(message);
    noValue(f, GH);
    noValue(f, text.split(/[ =":]+/).find((w) => w.length > 30)!);
  });
  it('a third layer is not decoded (bounded depth): no secret/github finding', () => {
    expect(at(`blob: ${Buffer.from(twice).toString('base64')}`).map(([r]) => r)).not.toContain('secret/github');
  });
  it('stays quiet on encoded harmless text, random bytes, hashes and JWT parts', () => {
    const quiet = [
      `a: ${Buffer.from('The quick brown fox jumps over the lazy dog').toString('base64')}`,
      `b: ${Buffer.from('ghp_xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx').toString('base64')}`,
      'commit 5db23c7a9e1f0b2c4d6e8f0a1b2c3d4e5f6a7b8c',
      `c: ${Buffer.from('{"alg":"HS256","typ":"JWT"}').toString('base64url')}`,
      'sha256 e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855',
    ];
    expect(scanText(quiet.join('\n'), 'trace.log', OPTS)).toEqual([]);
  });
  it('redactSecrets replaces an encoded token', async () => {
    const { redactSecrets } = await import('../../src/engine/scanner/index.js');
    expect(redactSecrets(`x ${b64} y`)).not.toContain(b64);
  });
});
