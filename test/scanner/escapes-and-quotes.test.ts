/**
 * Regressions of the scanner accuracy audit: tokens right after an escape or an encoded character (S2), keys in escaped
 * or encoded JSON, subscripts and CLI flags (S5, S8), the endpoint in every written form (S6, S7, S13), messages that
 * quote a key which is itself a secret (S1), and the documentation-example marker (CLI audit item 1).
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { evaluate } from '../../src/engine/check.js';
import { DEFAULT_CONFIG } from '../../src/engine/config.js';
import { scanPaths } from '../../src/engine/scan-paths.js';
import { detectors, scanText } from '../../src/engine/scanner/index.js';
import { applySuppressions, parseAllowDirectives } from '../../src/engine/suppress.js';
import { OPTS, optsFor } from './helpers.js';

const ids = (text: string, file = 'trace.jsonl') => scanText(text, file, OPTS).map((f) => f.ruleId);
const json = JSON.stringify;

/** Detectors of tokens with a recognisable prefix (S2). */
const PREFIXED = [
  'secret/openai', 'secret/anthropic', 'secret/github', 'secret/aws', 'secret/google', 'secret/slack', 'secret/huggingface', 'secret/npm',
  'secret/stripe', 'secret/jwt', 'secret/gitlab', 'secret/groq', 'secret/sendgrid', 'secret/vault', 'secret/notion', 'secret/sentry',
  'secret/sourcegraph', 'secret/1password', 'secret/age', 'secret/atlassian', 'secret/databricks', 'secret/flyio', 'secret/grafana',
  'secret/openshift', 'secret/clojars', 'secret/cloudflare', 'secret/docker', 'secret/hashicorp', 'secret/azure',
];
/** Every token of those detectors' own examples that is found on its own, as a bare value. */
const tokens = detectors
  .filter((d) => PREFIXED.includes(d.id))
  .flatMap((d) => d.examples.tp.flatMap((t) => d.find(t, optsFor(d.id)).map((m) => [d.id, m.value] as const)))
  .filter(([id, v]) => !/^https?(?::|%3A)/i.test(v) && scanText(v, 'x', optsFor(id)).some((f) => f.ruleId === id));

describe('S2: a token right after an escape or an encoded character', () => {
  it('covers every prefixed detector', () => expect(new Set(tokens.map(([id]) => id)).size).toBe(PREFIXED.length));
  const wrap: Record<string, (v: string) => string> = {
    'JSON \\n': (v) => json({ stdout: `$ cat token.txt\n${v}\n` }),
    'JSON \\t': (v) => json({ stdout: `key\t${v}\tactive` }),
    'JSON \\r\\n': (v) => json({ stdout: `a\r\n${v}` }),
    '\\u0022': (v) => `"\\u0022${v}\\u0022"`,
    '\\x22': (v) => `s = "\\x22${v}\\x22"`,
    'URL-encoded JSON': (v) => `body=%7B%22key%22%3A%22${v}%22%7D`,
    'double-escaped \\\\n': (v) => json({ a: json({ b: `x\n${v}` }) }),
  };
  it.each(Object.keys(wrap))('%s', (form) => {
    // secret/azure's right boundary admits no `%` after the token: only its left boundary is the shared rule
    const missed = tokens.filter(([id, v]) => !(form === 'URL-encoded JSON' && id === 'secret/azure') && !scanText(wrap[form]!(v), 'trace.jsonl', optsFor(id)).some((f) => f.ruleId === id));
    expect(missed.map(([id]) => id)).toEqual([]);
  });
  it('finds long distinctive prefixes glued to a word, not short generic ones', () => {
    const gh = 'ghp_R7kLm2Nq8Wx4Zt6Yv1Bc3Df5Gh9Jk0Lp2Qs4W';
    const proj = 'sk-proj-Ab3dE5fG7hJ9kL1mN3pQ5rS7tU9vW1xY3zA5bC7dE9fG1hJ3kL5mN7pQ9rS1tU3vW5xY7zT3BlbkFJa2B4c6D8e0F2g4H6j8K0m2N4p6Q8r0S2t4';
    expect(ids(`x_${gh}`)).toEqual(['secret/github']);
    expect(ids(`pre-${proj}`)).toEqual(['secret/openai']);
    expect(ids(`key xoxb-284719305527-3391048827712-Qw7Rt2Zx9Lm4Np6Kb1Vc3Yh8`.replace('key ', 'my_'))).toEqual(['secret/slack']);
    // short prefixes inside a longer word or a base64 run are no tokens
    expect(ids(`dump x${gh} end`)).toEqual([]);
    expect(ids('dump xAKIA4KZQ7RX3M2NVW6PB end')).toEqual([]);
    expect(ids('run task-sk-Zq8Rt2Lm5Np7Vx9Wb3Yc6Hd1Jf4Kg8Ts0Uv2Ew5Fz7Gh9AiX now')).toEqual([]);
    expect(ids('body Ab3+Kq9zAKIA4KZQ7RX3M2NVW6PB/x')).toEqual([]);
  });
  it('reports the token, not the escape, with the right column', () => {
    const text = json({ stdout: 'id\nAKIA4KZQ7RX3M2NVW6PB' });
    const [f] = scanText(text, 'trace.jsonl', OPTS);
    expect(f).toMatchObject({ ruleId: 'secret/aws', column: text.indexOf('AKIA') + 1 });
  });
});

describe('S5/S8: keys in escaped and encoded JSON, subscripts and CLI flags', () => {
  const PW = 'Qm7vR2xL9pK4wZ8t';
  it.each([
    ['escaped JSON', json({ arguments: json({ password: PW }) })],
    ['double-escaped JSON', json({ a: json({ b: json({ password: PW }) }) })],
    ['os.environ subscript', `os.environ["OPENAI_API_KEY"] = "${PW}"`],
    ['dict subscript', `headers["api_key"] = "${PW}"`],
    ['--password=', `mysql --password=${PW} -h db`],
    ['--api-key=', `tool --api-key=${PW}`],
    ['--password value', `mysql --password ${PW} -h db`],
    ['URL-encoded JSON', `data=%7B%22password%22%3A%22${PW}%22%7D`],
    ['escaped Authorization Basic', '{"req":"{\\"headers\\":{\\"Authorization\\":\\"Basic c3ZjOlFtN3ZSMnhMOXBLNHdaOHQ=\\"}}"}'],
    ['escaped Authorization token', `{"req":"{\\"Authorization\\":\\"token 77e1fee4a9c0b2d3e4f5a6b7c8d9e0f1a2b3c4d5\\"}"}`],
  ])('%s', (_name, text) => {
    const found = scanText(text, 'trace.jsonl', OPTS);
    expect(found.map((f) => f.ruleId)).toEqual(['secret/key-name']);
    expect(json(found)).not.toContain(PW);
  });
  it('reports the value itself (column of the value, not of the scheme or quote)', () => {
    const text = '{"a":"{\\"password\\":\\"Qm7vR2xL9pK4wZ8t\\"}"}';
    expect(scanText(text, 'x', OPTS)[0]!.column).toBe(text.indexOf('Qm7v') + 1);
    const basic = '{"req":"{\\"Authorization\\":\\"Basic c3ZjOlFtN3ZSMnhMOXBLNHdaOHQ=\\"}"}';
    expect(scanText(basic, 'x', OPTS)[0]!.column).toBe(basic.indexOf('c3Zj') + 1);
  });
  it('finds the AWS secret access key in escaped STS output', () => {
    const text = '{"out":"{\\"Credentials\\":{\\"SecretAccessKey\\":\\"fUCk0DbHp47uayGtdNUbKB8zphB0CAMhIEw0URHO\\"}}"}';
    expect(ids(text)).toEqual(['secret/aws']);
    expect(ids(`q=%7B%22SecretAccessKey%22%3A%22fUCk0DbHp47uayGtdNUbKB8zphB0CAMhIEw0URHO%22%7D`)).toEqual(['secret/aws']);
  });
  it.each([
    ['docker login --password-stdin', 'echo "$PW" | docker login --password-stdin --username ci'],
    ['flag with a reference', 'tool --token-file ./token.txt --password $DB_PASSWORD'],
    ['flag followed by a flag', 'mysql --password --user root'],
    ['escaped placeholder', json({ out: json({ password: 'changeme', max_tokens: 4096 }) })],
    ['subscript with a call', 'os.environ["OPENAI_API_KEY"] = os.getenv("KEY")'],
    ['URL-encoded non-secret names', 'q=%7B%22max_tokens%22%3A4096%2C%22token_count%22%3A12%7D'],
    ['prose', 'the password Qm7vR2xL9pK4wZ8t is not a flag'],
  ])('stays quiet: %s', (_name, text) => expect(ids(text)).toEqual([]));
});

describe('S6/S7/S13: endpoint/exposed', () => {
  const URL_ = 'http://gpu.corp.io:8000/v1';
  const E = 'CTO_HARNESS_CASE_LOCAL_BASE_URL';
  it.each([
    ['after a \\n escape', `{"stdout":"PATH=/usr/bin\\n${E}=${URL_}\\nHOME=/root\\n"}`],
    ['escaped JSON', `{"out":"{\\"${E}\\":\\"${URL_}\\"}"}`],
    ['os.environ subscript', `os.environ["${E}"] = "${URL_}"`],
    ['Kubernetes env entry', `env:\n  - name: ${E}\n    value: ${URL_}\n`],
    ['JSON env entry', `{"name": "${E}", "value": "${URL_}"}`],
    ['URL-encoded value', `${E}=http%3A%2F%2Fgpu.corp.io%3A8000%2Fv1`],
    ['URL-encoded JSON', `q=${encodeURIComponent(json({ [E]: URL_ }))}`],
  ])('finds the value: %s', (_name, text) => {
    const found = scanText(text, 'trace.jsonl', OPTS);
    expect(found.map((f) => f.ruleId)).toEqual(['endpoint/exposed']);
    expect(json(found)).not.toContain('gpu.corp');
  });
  it('reports a Kubernetes value on its own line and column', () => {
    expect(scanText(`env:\n  - name: ${E}\n    value: ${URL_}\n`, 'd.yaml', OPTS).map((f) => [f.line, f.column])).toEqual([[3, 12]]);
  });
  it('reads only the next line of a Kubernetes entry', () => {
    expect(ids(`  - name: ${E}\n    valueFrom:\n      value: ${URL_}\n`)).toEqual([]);
    expect(ids(`  - name: ${E}\n\n    value: ${URL_}\n`)).toEqual([]);
  });
  it.each([
    ['after \\n', '{"stdout":"connecting\\n10.0.0.5:8000 refused"}'],
    ['between \\t', '{"stdout":"host\\t192.168.1.20\\tup"}'],
    ['URL-encoded', 'u=http%3A%2F%2F192.168.1.40%3A8000%2Fv1'],
    ['tailnet host after \\n', '{"stdout":"up\\nspark-1.tail4f2a9.ts.net"}'],
  ])('finds a private address %s', (_name, text) => {
    const found = scanText(text, 'trace.jsonl', OPTS);
    expect(found.map((f) => f.ruleId)).toEqual(['endpoint/exposed']);
    expect(found[0]!.column).toBe(text.search(/10\.0|192\.168|spark-1/) + 1);
  });
  it.each([
    `${E}=http://your-host:8000/v1`,
    `${E}=http://HOST:8000/v1`,
    `${E}=http://host:8000/v1`,
    `${E}=http://hostname:8000/v1`,
    `${E}=http://<host>:8000/v1`,
    `${E}=http%3A%2F%2F%3Chost%3E%3A8000%2Fv1`,
    `${E}=http://your-gpu.tail1234.ts.net:8000/v1`,
    `os.environ["${E}"] = "https://api.example.com/v1"`,
    `{"out":"{\\"${E}\\":\\"http://localhost:8000/v1\\"}"}`,
    `  - name: ${E}\n    value: http://your-host:8000/v1\n`,
    '{"stdout":"version\\n10.2.3 installed"}',
  ])('stays quiet on placeholders: %s', (text) => expect(ids(text)).toEqual([]));
});

describe('S1: a message quoting a key never carries a secret', () => {
  const GH = 'ghp_R7kLm2Nq8Wx4Zt6Yv1Bc3Df5Gh9Jk0Lp2Qs4W';
  const OA = 'sk-PaCpUuZgXWPNka5dVgZh9Pg2sjlk8SCIxcBpVmT6FweVVWzD';
  const AK = 'AKIADVSHYRMFB2FIWC2D';
  it.each([
    ['AWS key id as key', `${AK}:9Fl5RmkLDSy03gIPrfPdcUcddLY4ouAetRCE+p+k`, AK, ['secret/aws', 'secret/high-entropy']],
    ['OpenAI key as JSON key', `{"${OA}":"Qm9Xr7Tz2Lp4Wv8Ny1Kc6Hj3Gf5Db0Sa"}`, OA, ['secret/high-entropy', 'secret/openai']],
    ['GitHub token as YAML key', `${GH}: Qm9Xr7Tz2Lp4Wv8Ny1Kc6Hj3Gf5Db0Sa`, GH, ['secret/github', 'secret/high-entropy']],
    ['GitHub token inside a secret-named key', `${GH}_SECRET=Qm9Xr7Tz2Lp4Wv8Ny1Kc6Hj3Gf5Db0Sa`, GH, ['secret/github', 'secret/key-name']],
  ])('%s', (_name, text, secret, rules) => {
    const found = scanText(text, 'a.txt', OPTS);
    expect(found.map((f) => f.ruleId).sort()).toEqual(rules);
    expect(json(found)).not.toContain(secret);
    expect(json(found)).not.toContain('Qm9Xr7Tz2Lp4Wv8Ny1Kc6Hj3Gf5Db0Sa');
    expect(found.find((f) => f.message.includes('"'))!.message).toMatch(/"[^"]*…\(\d+ chars\)[^"]*"/);
  });
  it('redacts a token glued inside a longer key name', () => {
    const text = `{"x_${GH}_token": "Qm9Xr7Tz2Lp4Wv8Ny1Kc6Hj3Gf5Db0Sa"}`;
    expect(json(scanText(text, 'a.txt', OPTS))).not.toContain(GH);
  });
  it('keeps a harmless key name readable', () => {
    expect(scanText('api_key: Zf3D0LXCM3EIMbgJpUNnkRtOfOueHznB', 'a.txt', OPTS)[0]!.message).toContain('"api_key"');
  });
});

describe('CLI audit 1: the sot-gate:example marker', () => {
  const KEY = 'sk-proj-Ab3dE5fG7hJ9kL1mN3pQ5rS7tU9vW1xY3zA5bC7dE9fG1hJ3kL5mN7pQ9rS1tU3vW5xY7zT3BlbkFJa2B4c6D8e0F2g4H6j8K0m2N4p6Q8r0S2t4';
  const REASON = 'documentation example (sot-gate:example)';
  it('in Markdown marks the findings of its line as suppressed, never drops them', () => {
    const [f, ...rest] = scanText(`${KEY}  <!-- sot-gate:example -->\n${KEY}\n`, 'docs/a.md', OPTS);
    expect(rest.map((x) => [x.line, 'suppressed' in x])).toEqual([[2, false]]);
    expect(f).toMatchObject({ line: 1, ruleId: 'secret/openai', suppressed: { kind: 'inline', reason: REASON } });
  });
  it.each(['trace.jsonl', 'report.json', 'backend.log', 'notes.txt', 'a.md.txt'])('means nothing in %s', (file) => {
    const found = scanText(json({ t: KEY, m: 'sot-gate:example' }), file, OPTS);
    expect(found.map((f) => [f.ruleId, f.suppressed])).toEqual([['secret/openai', undefined]]);
  });
  it('applySuppressions lists a marked finding as suppressed and counts it', () => {
    const found = scanText(`${KEY} # sot-gate:example`, 'README.md', OPTS).map((f) => ({ ...f, ruleId: f.ruleId!, severity: 'error' as const }));
    const r = applySuppressions(found, [], [], '2026-06-01');
    expect(r.active).toEqual([]);
    expect(r.suppressed.map((f) => f.suppressed)).toEqual([{ kind: 'inline', reason: REASON }]);
  });
  it('the check path relies on the scanner\'s mark: an example line is no allow directive', () => {
    expect(parseAllowDirectives('a\nx sot-gate:example\n', 'docs/a.md')).toEqual([]);
  });
  it('scan: a marked trace line fails, a marked Markdown line is listed as suppressed', async () => {
    const root = mkdtempSync(path.join(tmpdir(), 'sot-gate-example-'));
    try {
      mkdirSync(path.join(root, 'runs'));
      writeFileSync(path.join(root, 'runs/trace.jsonl'), `${json({ t: KEY, m: 'sot-gate:example' })}\n`);
      writeFileSync(path.join(root, 'README.md'), `# Keys\n\n\`${KEY}\`  <!-- sot-gate:example -->\n`);
      const r = await scanPaths(root, ['.'], DEFAULT_CONFIG, '2026-06-01');
      expect(r.findings.map((f) => [f.file, f.ruleId])).toEqual([['runs/trace.jsonl', 'secret/openai']]);
      expect(r.suppressed.map((f) => [f.file, f.line, f.suppressed])).toEqual([['README.md', 3, { kind: 'inline', reason: REASON }]]);
      expect(r.summary).toMatchObject({ errors: 1, suppressed: 1 });
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });
  it('check: a marked SOT line is suppressed and counted, not dropped', () => {
    const text = `---\ntitle: x\n---\n# Keys\n\n${KEY} <!-- sot-gate:example -->\n`;
    const r = evaluate({ files: [{ path: '.sot/keys.md', kind: 'sot', bytes: new TextEncoder().encode(text) }], config: DEFAULT_CONFIG, today: '2026-06-01' });
    expect(r.findings.filter((f) => f.ruleId.startsWith('secret/'))).toEqual([]);
    expect(r.suppressed.map((f) => [f.file, f.line, f.ruleId, f.suppressed?.reason])).toEqual([['.sot/keys.md', 6, 'secret/openai', REASON]]);
    expect(r.summary.suppressed).toBe(1);
  });
});

describe('edgeFor: the escape branch is dropped only where no escape can be', () => {
  it('drops the branch for a text without a backslash or percent sign, and keeps the same matches', async () => {
    const { edgeFor, leftEdge } = await import('../../src/engine/scanner/util.js');
    const re = new RegExp(`${leftEdge()}ghp_[A-Za-z0-9]{4}`, 'g');
    const plain = edgeFor(re, 'x ghp_abcd');
    expect(plain).not.toBe(re);
    expect(plain.source).toBe('(?:(?<![A-Za-z0-9_-]))ghp_[A-Za-z0-9]{4}');
    expect(edgeFor(re, 'x ghp_abcd')).toBe(plain); // compiled once
    for (const text of ['x ghp_abcd', 'aghp_abcd', 'a\\nghp_abcd', 'a%22ghp_abcd']) {
      const want = [...text.matchAll(re)].map((m) => m.index);
      const used = edgeFor(re, text);
      expect([...text.matchAll(new RegExp(used.source, 'g'))].map((m) => m.index)).toEqual(want);
    }
    expect(edgeFor(re, 'a\\nghp_abcd')).toBe(re);
    expect(edgeFor(re, 'a%22ghp_abcd')).toBe(re);
  });
});

describe('assignments rescan from each value, with or without escapes in the line', () => {
  it('finds `key: <random>` after `debug:` on a plain line and after an escape', async () => {
    const { assignments } = await import('../../src/engine/scanner/keys.js');
    const v = 'sk-Zq8Rt2Lm5Np7Vx9Wb3Yc6Hd1Jf4Kg8Ts0Uv2Ew5Fz7Gh9Ai';
    for (const line of [`debug: key: ${v}`, `debug: key: ${v} \\n`, `("a", b) key: ${v}`]) {
      expect(assignments(line).map((a) => [a.key, a.value]), line).toContainEqual(['key', v]);
    }
  });
});
