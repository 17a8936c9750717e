/**
 * Scanner accuracy, second audit: private keys far into a line or escaped twice / URL-encoded (S3, S4), URL credentials
 * (S9), high-entropy false positives (S11), streamed findings equal to in-memory ones (S12), Google / Proxy-Authorization /
 * lower-case Bearer / encoded Slack webhook (S14), and binary detection that a stray NUL does not fool (CLI audit item 2).
 * All values are fake.
 */
import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { configSchema, DEFAULT_CONFIG } from '../../src/engine/config.js';
import { scanPaths } from '../../src/engine/scan-paths.js';
import { scanFile, scanText } from '../../src/engine/scanner/index.js';
import { isBinary } from '../../src/engine/scanner/stream.js';
import { OPTS } from './helpers.js';

const dir = mkdtempSync(path.join(tmpdir(), 'sot-gate-accuracy-2-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Deterministic pseudo-random base64 / bytes (no Math.random: failures must reproduce). */
const bytes = (seed: string, n: number): Buffer => {
  const parts: Buffer[] = [];
  for (let i = 0; parts.length * 32 < n; i++) parts.push(createHash('sha256').update(`${seed}:${i}`).digest());
  return Buffer.concat(parts).subarray(0, n);
};
const b64 = (seed: string, n: number): string => bytes(seed, n).toString('base64').slice(0, n);
const pem = (seed: string, kind = 'RSA PRIVATE KEY') =>
  `-----BEGIN ${kind}-----\n${Array.from({ length: 12 }, (_, i) => b64(`${seed}${i}`, 64)).join('\n')}\n-----END ${kind}-----\n`;

const rules = (text: string) => scanText(text, 'x.jsonl', OPTS).map((f) => f.ruleId);
const GH = 'ghp_R7kLm2Nq8Wx4Zt6Yv1Bc3Df5Gh9Jk0Lp2Qs4W';

describe('S3: a private key block anywhere in a long line', () => {
  it.each([32_000, 33_000, 200_000, 2_000_000])('is found after %i characters of padding, at its BEGIN', (pad) => {
    const line = JSON.stringify({ type: 'tool_result', stdout: 'x '.repeat(pad / 2), key: pem('s3') });
    const found = scanText(line, 't.jsonl', OPTS);
    expect(found.map((f) => [f.ruleId, f.line, f.column])).toEqual([['secret/private-key', 1, line.indexOf('-----BEGIN') + 1]]);
  });
  it('finds two key blocks on the same line, 100 KB apart', () => {
    const line = JSON.stringify({ a: pem('one'), pad: 'y '.repeat(50_000), b: pem('two', 'PRIVATE KEY') });
    expect(rules(line)).toEqual(['secret/private-key', 'secret/private-key']);
  });
  it('completes on BEGIN repeated without END and on BEGIN + body runs (4 MB lines)', () => {
    for (const text of ['-----BEGIN RSA PRIVATE KEY-----'.repeat(130_000), ('-----BEGIN PRIVATE KEY-----' + 'QUJD'.repeat(64)).repeat(15_000)]) {
      expect(rules(text)).toEqual([]);
    }
  });
});

describe('S4: escaped and encoded private keys', () => {
  const key = pem('s4', 'PRIVATE KEY');
  const plain = scanText(key, 'k', OPTS);
  it('a PEM inside doubly-escaped JSON (`\\\\n` between lines) is found, with the same value (fingerprint) as the plain block', () => {
    const line = JSON.stringify({ tool: 'read', output: JSON.stringify({ private_key: key }) });
    expect(line).toContain('\\\\n');
    const found = scanText(line, 'k', OPTS);
    expect(found.map((f) => f.ruleId)).toEqual(['secret/private-key']);
    expect(found[0]!.fingerprint).toBe(plain[0]!.fingerprint);
  });
  it('a URL-encoded PEM (`-----BEGIN%20PRIVATE%20KEY-----%0A…`) is found, with the same value', () => {
    const found = scanText(`key=${encodeURIComponent(key)}&x=1`, 'k', OPTS);
    expect(found.map((f) => [f.ruleId, f.column])).toEqual([['secret/private-key', 5]]);
    expect(found[0]!.fingerprint).toBe(plain[0]!.fingerprint);
  });
  it('stays quiet on encoded / escaped placeholders and public keys', () => {
    expect(rules(`key=${encodeURIComponent('-----BEGIN PRIVATE KEY-----\n...\n-----END PRIVATE KEY-----\n')}`)).toEqual([]);
    expect(rules(JSON.stringify({ o: JSON.stringify({ k: pem('pub', 'PUBLIC KEY') }) }))).toEqual([]);
    expect(rules(JSON.stringify({ o: JSON.stringify({ k: '-----BEGIN PRIVATE KEY-----\nxxxxxxxxxxxxxxxx\n-----END PRIVATE KEY-----' }) }))).toEqual([]);
  });
});

describe('S9: URL credentials', () => {
  it.each([
    'DATABASE_URL=postgres://app:Xk9$mQ2vL7pR@db.corp.io:5432/prod',
    'postgres://app:Ab3/xY9+kL2q@db.corp.io:5432/x',
    'GET /login?next=https%3A%2F%2Fdeploy%3As3cr3tP4ss%40git.corp.io%2Fr.git',
    'https://proxy.corp:3128/https://svc:Secr3tPassw0rd9@x.corp.io',
  ])('fires on %s', (text) => {
    expect(rules(text)).toContain('secret/url-credentials');
  });
  it('points at the password, also when URL-encoded', () => {
    const text = 'next=https%3A%2F%2Fdeploy%3As3cr3tP4ss%40git.corp.io';
    expect(scanText(text, 'x', OPTS)[0]!.column).toBe(text.indexOf('s3cr3t') + 1);
  });
  it.each([
    'postgres://app:$DB_PASSWORD@db',
    'postgres://app:${DB_PASSWORD}@db',
    'postgres://app:pre$DB_PASSWORD@db',
    'http://host/a:b@c',
    'https://example.com/a:b@c',
    'http://host:8080/path/x@y',
    'http://localhost:3000/users/@me',
    'https://medium.com:443/@someuser',
    'https://cdn:assets/img/logo@2x.png',
    'next=https%3A%2F%2Fdeploy%3A%24%7BPASS%7D%40git.corp.io',
    'next=https%3A%2F%2Fgit.corp.io%2Fuser%40x',
  ])('stays quiet on %s', (text) => {
    expect(rules(text)).toEqual([]);
  });
});

describe('S11: high-entropy false positives', () => {
  const enc = (s: string) => Buffer.from(s).toString('base64');
  const json = '{"name": "example", "enabled": true, "count": 12}';
  it.each([
    ['base64 of English, no padding', `payload: ${enc('The quick brown fox jumps over the lazy dog.').replace(/=+$/, '')}`],
    ['base64url of English', `data=${Buffer.from('The quick brown fox jumps over the lazy dog.').toString('base64url')}`],
    ['base64 of a JSON object', `payload: ${enc(json)}`],
    ['base64 of a JSON object, no padding', `payload: ${enc(json).replace(/=+$/, '')}`],
    ['base64url of a JSON object', `data=${Buffer.from(json).toString('base64url')}`],
    ['go.sum', 'github.com/foo/bar v1.2.3 h1:0GF6fsFw64z4unW99mKupwHYKnByPpX9IwesNDD6qeE=\ngithub.com/foo/bar v1.2.3/go.mod h1:Zq8Rt2Lm5Np7Vx9Wb3Yc6Hd1Jf4Kg8Ts0Uv2Ew5Fz7A='],
    ['ULID', 'run: 01HZX3K8Q2N7V5W9R4T6Y1M0PB'],
    ['IPFS CIDv0', `cid: Qm${'YwAPJzv5CZsnA625s3Xf2nemtYgPpHdWEz79ojWnPbdG'}`],
    ['IPFS CIDv1', 'cid: bafybeigdyrzt5sfp7udm7hu76uh7y26nf3efuylqabf3oclgtqy55fbzdi'],
  ])('quiet: %s', (_name, text) => {
    expect(scanText(text, 'x.yaml', OPTS)).toEqual([]);
  });
  it.each([
    ['base64 of JSON holding a random key (Grafana-style)', `loki_key: ${enc('{"o":"744587","n":"stack-475830","k":"83l7rgXRPh1521me1M"}')}`],
    ['base64 of JSON with a secret-named key', `blob: ${enc('{"user": "svc", "password": "correct horse battery"}')}`],
    ['base64 of a random printable value', `export SESSION_BLOB=${enc('Xk9mQ2vL7pRzzAb3Qw7Rt2')}`],
    ['not h1: (a go.sum-shaped value under another key)', 'setting: 0GF6fsFw64z4unW99mKupwHYKnByPpX9IwesNDD6qeE='],
    ['26 chars that are no ULID (timestamp far in the future)', 'run: 7ZHZX3K8Q2N7V5W9R4T6Y1M0PB'],
  ])('still fires: %s', (_name, text) => {
    expect(rules(text)).toContain('secret/high-entropy');
  });
});

describe('S12: a streamed scan reports what an in-memory scan reports', () => {
  const tokens: Record<string, string> = {
    openai: 'sk-proj-Ab3dE5fG7hJ9kL1mN3pQ5rS7tU9vW1xY3zA5bC7dE9fG1hJ3kL5mN7pQ9rS1tU3vW5xY7zT3BlbkFJa2B4c6D8e0F2g4H6j8K0m2N4p6Q8r0S2t4',
    slack: 'xoxb-284719305527-3391048827712-Qw7Rt2Zx9Lm4Np6Kb1Vc3Yh8',
    stripe: 'sk_live_51Hq7Rt2Zx9Lm4Np6Kb1Vc3Yh8Jd5Fg0Sa2Ex4',
    jwt: 'eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiJ1c2VyLTQyIiwiaWF0IjoxNzAwMDAwMDAwfQ.Zq8Rt2Lm5Np7Vx9Wb3Yc6Hd1Jf4Kg8Ts0Uv2Ew5Fz7',
  };
  // 64 KiB windows that advance by 48 KiB: edges at 48, 64, 96, 112, 144, 160 KiB; a token starts 1 character, half its
  // length, or all but one character before each edge (crossing it)
  const edges = [49_152, 65_536, 98_304, 114_688, 147_456, 163_840];
  it.each(Object.entries(tokens))('%s tokens across window edges of one long line: same findings, values and fingerprints', async (name, token) => {
    for (const back of [1, Math.floor(token.length / 2), token.length - 1]) {
      let line = '';
      for (const edge of edges) line += 'lorem ipsum dolor sit amet '.repeat(8000).slice(0, edge - back - line.length - 1) + ` ${token} `;
      line += ' tail'.repeat(20_000);
      const file = path.join(dir, `${name}-${back}.log`);
      writeFileSync(file, `first line\n${line}\n`);
      const memory = (await scanFile(file, 'run.log', OPTS)).findings;
      const streamed = (await scanFile(file, 'run.log', OPTS, 0)).findings;
      expect(memory).toHaveLength(edges.length);
      expect(new Set(memory.map((f) => f.message)).size).toBe(1); // every one whole: one value, one message
      expect(streamed).toEqual(memory);
    }
  });
  it('scanPaths with secrets.max-file-size 1 gives the same findings and fingerprints as the default', async () => {
    const root = path.join(dir, 'paths');
    mkdirSync(root, { recursive: true });
    writeFileSync(path.join(root, 'trace.log'), `${'x '.repeat(32_728)}${tokens.openai} ${'y '.repeat(40_000)}\n`);
    const small = configSchema.parse({ secrets: { 'max-file-size': 1 } });
    const a = await scanPaths(root, ['.'], DEFAULT_CONFIG, '2026-06-01');
    const b = await scanPaths(root, ['.'], small, '2026-06-01');
    expect(a.findings.map((f) => [f.ruleId, f.line, f.column])).toEqual([['secret/openai', 1, 65_457]]);
    expect(b.findings).toEqual(a.findings);
  });
});

describe('S14: more credential shapes', () => {
  it.each([
    ['secret/google', 'GOOGLE_API_KEY=AIzaSzFVLEiZdUycZDfzxQL7vyoc5kFNGqLVFd9'],
    ['secret/bearer', 'Proxy-Authorization: Basic IWboKqeEvfF7kU8a3GSfWXlHMURiABjgjXPIMhgj'],
    ['secret/bearer', 'curl -H "Authorization: Bearer vtsrzwtviyqpekfahnhdfktfefpwybbh" https://api.corp'],
    ['secret/slack', 'GET /cb?value=https%3A%2F%2Fhooks.slack.com%2Fservices%2F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&x=1'],
  ])('%s fires on %s', (id, text) => {
    expect(rules(text)).toContain(id);
  });
  it.each([
    'AIzaSyabcdefghijklmnopqrstuvwxyz1234567',
    'apiKey: "AIzaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"',
    'Authorization: Bearer accesstokenfromtheserver',
    'Authorization: Bearer thebearertokenisreadfromtheenvironment',
    'Authorization: Bearer abcdefghijklmnopqrstuvwxyz',
    'Proxy-Authorization: Basic <credentials>',
    'url=https%3A%2F%2Fhooks.slack.com%2Fservices%2FT000%2FB000%2FXXXXXXXXXXXXXXXXXXXX',
  ])('stays quiet on %s', (text) => {
    expect(rules(text)).toEqual([]);
  });
});

describe('CLI audit 2: binary detection', () => {
  it('a text file with one stray NUL is text: scanned whole, its secret found (scanFile and scanPaths)', async () => {
    const root = path.join(dir, 'nul');
    mkdirSync(root, { recursive: true });
    const p = path.join(root, 'trace.jsonl');
    writeFileSync(p, `{"out":"token ${GH}"}\n{"out":"\u0000"}\n`);
    const res = await scanFile(p, 'trace.jsonl', OPTS);
    expect(res.binary).toBe(false);
    expect(res.findings.map((f) => [f.ruleId, f.line])).toEqual([['secret/github', 1]]);
    const r = await scanPaths(root, ['.'], DEFAULT_CONFIG, '2026-06-01');
    expect(r.notes).toEqual([]);
    expect(r.findings.map((f) => [f.file, f.ruleId])).toEqual([['trace.jsonl', 'secret/github']]);
  });
  it('text stays text: UTF-8 prose, Latin-1 accents, ANSI colours, a character cut at 8 KiB', () => {
    expect(isBinary(Buffer.from('héllo wörld, 日本語のテキスト\n'.repeat(50)))).toBe(false);
    expect(isBinary(Buffer.from('the caf\xe9 opens at noon, see you there\n'.repeat(20), 'latin1'))).toBe(false);
    expect(isBinary(Buffer.from('\x1b[31merror\x1b[0m build failed\r\n\f'.repeat(100)))).toBe(false);
    expect(isBinary(Buffer.from('a'.repeat(8191) + '日本'))).toBe(false);
    expect(isBinary(Buffer.alloc(0))).toBe(false);
  });
  it('binary stays binary: a magic number, random bytes, NULs in no UTF-16 pattern (UTF-16 text: see forms.test.ts)', () => {
    expect(isBinary(Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), Buffer.from(`text ${GH} `.repeat(100))]))).toBe(true);
    expect(isBinary(Buffer.concat([Buffer.from([0x1f, 0x8b, 0x08]), Buffer.from('plain after the header '.repeat(50))]))).toBe(true);
    expect(isBinary(bytes('random', 8192))).toBe(true);
    expect(isBinary(Buffer.from('ab\0cd\0ef\0gh\0'.repeat(100)))).toBe(true);
  });
});
