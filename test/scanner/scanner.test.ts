import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { DEFAULT_CONFIG } from '../../src/engine/config.js';
import { fingerprint, redact, scanText, scannerOptions } from '../../src/engine/scanner/index.js';
import { OPTS } from './helpers.js';

const KEY = 'sk-proj-Ab3dE5fG7hJ9kL1mN3pQ5rS7tU9vW1xY3zA5bC7dE9fG1hJ3kL5mN7pQ9rS1tU3vW5xY7zT3BlbkFJa2B4c6D8e0F2g4H6j8K0m2N4p6Q8r0S2t4';

describe('seeds', () => {
  const dir = path.resolve(import.meta.dirname, 'fixtures/seeds');
  const files = readdirSync(dir);
  it('has the five seed documents', () => expect(files).toHaveLength(5));
  it.each(files.flatMap((f) => (['sot', 'admission', 'artifact'] as const).map((k) => [f, k] as const)))('%s as %s: zero findings', (f, kind) => {
    expect(scanText(readFileSync(path.join(dir, f), 'utf8'), f, { ...OPTS, kind })).toEqual([]);
  });
});

describe('findings', () => {
  it('have file, 1-based line and column, rule id, redacted message and fingerprint', () => {
    const text = `# Title\n\nsome text\n  key: ${KEY}\n`;
    const [f, ...rest] = scanText(text, 'a.md', OPTS);
    expect(rest).toEqual([]);
    expect(f).toMatchObject({ file: 'a.md', line: 4, column: 8, ruleId: 'secret/openai' });
    expect(f!.message).toBe(`OpenAI API key sk-pro…(${KEY.length} chars) (secret value must not appear in SOT or artifacts)`);
    expect(f!.fingerprint).toMatch(/^[0-9a-f]{32}$/);
  });
  it('fingerprint is stable across line moves and differs per file and value', () => {
    const a = scanText(`x\n${KEY}`, 'a.md', OPTS)[0]!;
    const b = scanText(`x\n\n\n  ${KEY}`, 'a.md', OPTS)[0]!;
    const c = scanText(KEY, 'b.md', OPTS)[0]!;
    expect(a.fingerprint).toBe(b.fingerprint);
    expect(a.fingerprint).not.toBe(c.fingerprint);
    expect(a.fingerprint).toBe(fingerprint('secret/openai', 'a.md', KEY));
  });
  it('reports a secret inside a header once, as the most specific kind', () => {
    const f = scanText(`curl -H "Authorization: Bearer ${KEY}"`, 'a.sh', OPTS);
    expect(f.map((x) => x.ruleId)).toEqual(['secret/openai']);
  });
  it('reports several secrets on one line and across lines, in order', () => {
    const text = `a ghp_R7kLm2Nq8Wx4Zt6Yv1Bc3Df5Gh9Jk0Lp2Qs4W b AKIA4KZQ7RX3M2NVW6PB\nc npm_Qw7Rt2Zx9Lm4Np6Kb1Vc3Yh8Jd5Fg0Sa2Ex4`;
    expect(scanText(text, 'x', OPTS).map((f) => [f.ruleId, f.line, f.column])).toEqual([
      ['secret/github', 1, 3],
      ['secret/aws', 1, text.indexOf('AKIA') + 1],
      ['secret/npm', 2, 3],
    ]);
  });
  it('marks findings on lines marked sot-gate:example in Markdown as suppressed, and ignores the marker elsewhere', () => {
    const reason = 'documentation example (sot-gate:example)';
    expect(scanText(`${KEY} <!-- sot-gate:example -->`, 'x.md', OPTS).map((f) => f.suppressed)).toEqual([{ kind: 'inline', reason }]);
    expect(scanText(`${KEY}\n<!-- sot-gate:example -->`, 'x.md', OPTS).map((f) => f.suppressed)).toEqual([undefined]);
    expect(scanText(`${KEY} <!-- sot-gate:example -->`, 'x', OPTS).map((f) => f.suppressed)).toEqual([undefined]);
  });
  it('handles CRLF line endings', () => {
    expect(scanText(`a\r\nb ${KEY}\r\n`, 'x', OPTS)[0]).toMatchObject({ line: 2, column: 3 });
  });
  it('reports a multi-line private key at its BEGIN line', () => {
    const pem = '-----BEGIN RSA PRIVATE KEY-----\nMIIEpAIBAAKCAQEAq7Zr2Xt9Lm4Np6Kb1Vc3Yh8Jd5Fg0Sa2Ex4Qu7Wz1Lk3Mj5Nh7Bg9Vf2Cd4\n-----END RSA PRIVATE KEY-----';
    expect(scanText(`intro\n\n${pem}\n`, 'k.md', OPTS).map((f) => [f.ruleId, f.line, f.column])).toEqual([['secret/private-key', 3, 1]]);
  });
});

describe('admission files', () => {
  const admission = { ...OPTS, kind: 'admission' as const };
  it('flag any secret-named key, even with a short value', () => {
    const f = scanText('{\n  "provider": "qwen-local",\n  "api_key": "abc"\n}', 'A.json', admission);
    expect(f).toHaveLength(1);
    expect(f[0]).toMatchObject({ ruleId: 'secret/key-name', line: 3 });
    expect(f[0]!.message).toContain('admission');
    expect(f[0]!.message).not.toContain('abc"');
    expect(scanText('{"api_key": "abc"}', 'A.json', OPTS)).toEqual([]);
  });
  it('do not flag non-secret names or empty values', () => {
    expect(scanText('{"credential_source_class": "pi-models-json-local-provider-no-secret", "token_count": 3, "api_key": ""}', 'A.json', admission)).toEqual([]);
  });
});

describe('endpoint/exposed', () => {
  it('uses the configured endpoint variables', () => {
    const opts = { ...OPTS, endpointVariables: ['MY_MODEL_URL'] };
    expect(scanText('MY_MODEL_URL=https://models.corp.net/v1', 'x', opts).map((f) => f.ruleId)).toEqual(['endpoint/exposed']);
    expect(scanText('CTO_HARNESS_CASE_LOCAL_BASE_URL=https://models.corp.net/v1', 'x', opts)).toEqual([]);
  });
  it('never shows the endpoint value', () => {
    const [f] = scanText('CTO_HARNESS_CASE_LOCAL_BASE_URL=http://spark-1.tail4f2a9.ts.net:8000/v1', 'x', OPTS);
    expect(f!.message).not.toContain('tail4f2a9');
    expect(f!.message).toContain('CTO_HARNESS_CASE_LOCAL_BASE_URL');
  });
});

describe('path/target-repository', () => {
  it('is quiet by default and fires when configured', () => {
    const text = 'copied /srv/targets/acme/src/a.ts';
    expect(scanText(text, 'x', scannerOptions(DEFAULT_CONFIG, 'sot'))).toEqual([]);
    const f = scanText(text, 'x', { ...OPTS, targetRepositoryPatterns: ['/srv/targets'] });
    expect(f.map((x) => [x.ruleId, x.column])).toEqual([['path/target-repository', 8]]);
  });
});

describe('redact', () => {
  it('shows at most a short prefix and the length', () => {
    expect(redact('sk-proj-' + 'a'.repeat(43))).toBe('sk-pro…(51 chars)');
    expect(redact('short')).toBe('…(5 chars)');
    expect(redact('elevenchars')).toBe('…(11 chars)');
    expect(redact('twelve-chars')).toBe('twe…(12 chars)');
  });
});

describe('scannerOptions', () => {
  it('reads the secrets section', () => {
    expect(scannerOptions(DEFAULT_CONFIG, 'admission')).toEqual({ endpointVariables: ['CTO_HARNESS_CASE_LOCAL_BASE_URL'], targetRepositoryPatterns: [], kind: 'admission' });
  });
});
