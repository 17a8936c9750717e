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
