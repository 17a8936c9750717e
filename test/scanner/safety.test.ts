import { describe, expect, it } from 'vitest';
import { detectors, scanText } from '../../src/engine/scanner/index.js';
import { TARGET_OPTS } from './helpers.js';

// Safety, not a benchmark: every regex must stay linear on hostile input (~1 MB single lines).
const MB = 1_000_000;
const adversarial: Record<string, string> = {
  'a*1e6': 'a'.repeat(MB),
  'sk-*3e5': 'sk-'.repeat(3e5),
  '=*1e6': '='.repeat(MB),
  'AKIA+B32': 'AKIA' + 'A'.repeat(MB),
  'BEGIN repeated': '-----BEGIN RSA PRIVATE KEY-----'.repeat(3e4),
  'BEGIN + body no END': '-----BEGIN PRIVATE KEY-----\n' + 'QUJD'.repeat(2.5e5),
  'eyJ.eyJ.': 'eyJhbGciOiJIUzI1NiJ9.'.repeat(5e4),
  'key=value*': 'api_key=abc '.repeat(8e4),
  'quotes': '"a":"'.repeat(2e5),
  'url creds': 'https://u:p'.repeat(9e4),
  '@@@': 'https://u:' + '@'.repeat(MB),
  'digits dots': '10.'.repeat(3e5),
  'ts.net': 'a.'.repeat(2e5) + 'ts.net',
  'authorization': 'Authorization: '.repeat(6e4),
  'xoxb': 'xoxb-1'.repeat(1.6e5),
  'slashes': '/'.repeat(MB),
  'base64 run': 'Ab3+'.repeat(2.5e5),
  'many lines of keywords': 'token: x\n'.repeat(1e5),
  '-u flags': ' -u a:b'.repeat(1.4e5),
  'escaped quotes': '\\\\\\"a\\\\\\":'.repeat(1e5),
  'encoded quotes': '%22a%22%3A%22'.repeat(7e4),
  'escapes': '\\n\\u0022%22'.repeat(7e4),
  'flags': '--password '.repeat(9e4),
  'subscripts': '["token"] = "'.repeat(7e4),
  'secret keys on one line': 'password=Qm7vR2xL9pK4wZ8t '.repeat(4e4),
  'token keys on one line': '"ghp_R7kLm2Nq8Wx4Zt6Yv1Bc3Df5Gh9Jk0Lp2Qs4W":"Qm9Xr7Tz2Lp4Wv8Ny1Kc6Hj3Gf5Db0Sa",'.repeat(1.2e4),
  'endpoint entries': 'name: CTO_HARNESS_CASE_LOCAL_BASE_URL, value: '.repeat(2e4),
  'env entry lines': '- name: CTO_HARNESS_CASE_LOCAL_BASE_URL\n'.repeat(2.5e4),
  'escaped addresses': '\\n10.0.0.5'.repeat(1e5),
};

// Speed is measured by `npm run bench` (scripts/bench-regex.mjs), never here: these tests only require that every
// adversarial input completes (a super-linear pattern would run into the test timeout) and returns a bounded result.
describe('adversarial 1 MB inputs complete', () => {
  it.each(Object.entries(adversarial))('%s', (_name, text) => {
    const found = scanText(text, 'hostile.txt', TARGET_OPTS);
    expect(Array.isArray(found)).toBe(true);
    for (const f of found) expect(f.line).toBeGreaterThanOrEqual(1);
  });
  it('each detector alone completes on each input', () => {
    for (const d of detectors) {
      for (const text of [adversarial['a*1e6']!, adversarial['=*1e6']!, adversarial['base64 run']!]) {
        expect(Array.isArray(d.find(text.slice(0, 250_000), TARGET_OPTS)), d.id).toBe(true);
      }
    }
  });
});
