/**
 * Hardening of the policy file and the output formats (CLI audit items 2, 6, 9, 14, 15):
 * unknown rule ids and unknown YAML tags are config errors (exit 2, one line); file names are displayed with detected
 * secrets redacted (every format) and control or bidi characters escaped (text, summary); SARIF carries the notes.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { runCli } from '../../src/cli/main.js';
import { configSchema, knownRuleIds, parseConfig } from '../../src/engine/config.js';
import { toJson } from '../../src/engine/report/json.js';
import { relativeUri, toSarif } from '../../src/engine/report/sarif.js';
import { code, toSummary, type SummaryInfo } from '../../src/engine/report/summary.js';
import { toText } from '../../src/engine/report/text.js';
import { EvaluationError, type CheckResult, type Finding } from '../../src/engine/types.js';
import { validateSarif } from '../helpers/sarif-validate.js';

const tmp = mkdtempSync(path.join(os.tmpdir(), 'sot-gate-report-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

// Built at run time (never a literal token in the repository); shapes the detectors know.
const rand = (alphabet: string, n: number) => Array.from({ length: n }, (_, i) => alphabet[(i * 7 + 3) % alphabet.length]).join('');
const ALNUM = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
const GH = `ghp_${rand(ALNUM, 36)}`;
const AWS = `AKIA${rand('ABCDEFGHIJKLMNOPQRSTUVWXYZ234567', 16)}`;
const pieces = (s: string) => [s.slice(4, 20), s.slice(-12)];

async function cli(args: string[], cwd: string) {
  let stdout = '';
  let stderr = '';
  const code = await runCli(args, { stdout: (s) => (stdout += s), stderr: (s) => (stderr += s), cwd, env: {} });
  return { code, stdout, stderr };
}

function dirWith(files: Record<string, string>): string {
  const dir = mkdtempSync(path.join(tmp, 't-'));
  for (const [rel, content] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(dir, rel)), { recursive: true });
    writeFileSync(path.join(dir, rel), content);
  }
  return dir;
}

const messageOf = (text: string): string => {
  try {
    parseConfig(text);
  } catch (e) {
    expect(e).toBeInstanceOf(EvaluationError);
    return (e as Error).message;
  }
  return '(accepted)';
};

describe('rules: keys must name a rule (item 15)', () => {
  it('a misspelt id is a config error naming the key and the nearest id', () => {
    expect(messageOf('rules: {secret/githb: off}\n')).toBe(
      '.github/sot-gate.yml: invalid configuration: rules.secret/githb: "secret/githb" is not a known rule id; did you mean "secret/github"?',
    );
  });
  it('an id far from every known one: no guess', () => {
    expect(messageOf('rules: {zzzz/qqqq: off}\n')).toBe('.github/sot-gate.yml: invalid configuration: rules.zzzz/qqqq: "zzzz/qqqq" is not a known rule id');
  });
  it('a family glob must match at least one rule', () => {
    expect(messageOf('rules: {secrets/*: off}\n')).toBe('.github/sot-gate.yml: invalid configuration: rules.secrets/*: "secrets/*" matches no rule id; did you mean "secret/*"?');
    expect(messageOf('rules: {foo/*: off}\n')).toBe('.github/sot-gate.yml: invalid configuration: rules.foo/*: "foo/*" matches no rule id');
  });
  it('every known id and every family glob is accepted; the catalog spans every registry', () => {
    const ids = knownRuleIds();
    for (const id of ['sot/unreadable', 'decision/unapproved-change', 'admission/stale', 'workitem/invalid-status', 'secret/github', 'endpoint/exposed', 'path/target-repository', 'evidence/symlink', 'engine/rule-error']) {
      expect(ids).toContain(id);
    }
    const rules = Object.fromEntries([...ids, ...new Set(ids.map((id) => `${id.split('/')[0]}/*`))].map((k) => [k, 'warning']));
    expect(configSchema.safeParse({ rules }).success).toBe(true);
  });
  it('the CLI exits 2 with one line on stderr', async () => {
    const dir = dirWith({ 'a.txt': 'hello\n', 'p.yml': 'rules:\n  secret/githb: off\n' });
    const r = await cli(['scan', '.', '--config', 'p.yml'], dir);
    expect(r.code).toBe(2);
    expect(r.stderr.trimEnd().split('\n')).toHaveLength(1);
    expect(r.stderr).toContain('"secret/githb" is not a known rule id; did you mean "secret/github"?');
  });
});

describe('YAML tags the policy cannot mean (item 14)', () => {
  it('!!js/function is a config error naming its line, and the yaml library prints no warning', () => {
    const warn = vi.spyOn(process, 'emitWarning');
    try {
      expect(messageOf('approvers: [a]\nrules:\n  secret/github: !!js/function "function () {}"\n')).toBe(
        '.github/sot-gate.yml: not valid YAML: Unresolved tag: tag:yaml.org,2002:js/function at line 3, column 18:',
      );
      expect(messageOf('ignore: !custom [a]\n')).toMatch(/^\.github\/sot-gate\.yml: not valid YAML: Unresolved tag: !custom at line 1,/);
      expect(warn).not.toHaveBeenCalled();
    } finally {
      warn.mockRestore();
    }
  });
  it('plain YAML (empty, comments, aliases) still parses', () => {
    expect(parseConfig('').rules).toEqual({});
    expect(parseConfig('# nothing\n').rules).toEqual({});
    expect(parseConfig('ignore: &x [a/**]\nsecrets:\n  target-repository-patterns: *x\n').secrets['target-repository-patterns']).toEqual(['a/**']);
  });
  it('the CLI exits 2 with one line on stderr', async () => {
    const dir = dirWith({ 'a.txt': 'hello\n', 'p.yml': 'rules: !!js/function "function () {}"\n' });
    const r = await cli(['scan', '.', '--config', 'p.yml'], dir);
    expect(r.code).toBe(2);
    expect(r.stderr.trimEnd().split('\n')).toHaveLength(1);
    expect(r.stderr).toContain('line 1');
  });
});

const finding = (file: string, extra: Partial<Finding> = {}): Finding => ({
  ruleId: 'secret/openai',
  severity: 'error',
  file,
  line: 2,
  column: 3,
  message: 'OpenAI API key sk-pro…(164 chars)',
  fingerprint: 'f'.repeat(32),
  ...extra,
});

function result(findings: Finding[], notes: string[] = [], suppressed: Finding[] = []): CheckResult {
  return {
    version: 1,
    summary: { files: findings.length, errors: findings.length, warnings: 0, suppressed: suppressed.length },
    findings,
    suppressed,
    notes,
    admittedPairs: [],
    filesEvaluated: findings.map((f) => f.file),
  };
}

const info: SummaryInfo = { outcome: 'failed', scope: 'all', root: '.', policy: 'defaults' };
const UNSAFE = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/;

describe('file names with control or bidi characters (item 9)', () => {
  const forged = 'a\n::error file=x::forged\r\u001b[2Kb\u202egnp.exe\u2066.txt';
  const r = result([finding(forged)], [`skipped 1 binary file(s): ${forged}`], [finding(forged, { ruleId: 'admission/stale', suppressed: { kind: 'inline', reason: 'ok\n::warning::x' } })]);

  it('text: escaped, one line per finding, no forged workflow command', () => {
    const out = toText(r);
    expect(out.split('\n').filter(Boolean)).toHaveLength(4);
    expect(out).not.toMatch(UNSAFE);
    expect(out.split('\n').some((l) => l.startsWith('::'))).toBe(false);
    expect(out).toContain('a\\n::error file=x::forged\\r\\u001b[2Kb\\u202egnp.exe\\u2066.txt:2:3: error secret/openai:');
    expect(out).toContain('(inline: ok\\n::warning::x)');
  });
  it('summary: escaped in the table, the notes and the deleted list; no line starts a forged row or command', () => {
    const md = toSummary(r, { ...info, deleted: [forged], notes: [`note about ${forged}`] });
    expect(md).not.toMatch(UNSAFE);
    expect(md.split('\n').some((l) => l.startsWith('::'))).toBe(false);
    expect(md).toContain('`a\\n::error file=x::forged\\r\\u001b[2Kb\\u202egnp.exe\\u2066.txt:2:3`');
  });
  it('summary: a backtick or pipe in a name cannot close the code span or the cell', () => {
    expect(code('a`b|c')).toBe('``a`b\\|c``');
    expect(code('`x')).toBe('`` `x ``');
    const md = toSummary(result([finding('x` [link](https://evil.example) `y')]), info);
    expect(md).toContain('| ``x` [link](https://evil.example) `y:2:3`` |');
  });
  it('JSON keeps the exact name (JSON escapes it); SARIF percent-encodes it in the URI', () => {
    expect(JSON.parse(toJson(r)).findings[0].file).toBe(forged);
    const sarif = JSON.parse(toSarif(r));
    const uri = sarif.runs[0].results[0].locations[0].physicalLocation.artifactLocation.uri as string;
    expect(uri).toBe('a%0A%3A%3Aerror%20file%3Dx%3A%3Aforged%0D%1B%5B2Kb%E2%80%AEgnp.exe%E2%81%A6.txt');
    expect(decodeURIComponent(uri)).toBe(forged);
    expect(uri).toMatch(/^[A-Za-z0-9%._~!*'()/-]+$/);
  });
  it('ordinary names and messages are unchanged', () => {
    const plain = result([finding('.sot/dir with space/ü.md')], ['skipped 1 binary file(s): img/logo.png']);
    expect(toText(plain)).toBe(
      '.sot/dir with space/ü.md:2:3: error secret/openai: OpenAI API key sk-pro…(164 chars)\nnote: skipped 1 binary file(s): img/logo.png\n1 file checked: 1 error, 0 warnings, 0 suppressed\n',
    );
    expect(toSummary(plain, info)).toContain('| `.sot/dir with space/ü.md:2:3` |');
  });
});

describe('file and directory names holding a secret (item 6)', () => {
  const file = `n/${AWS}/${GH}.txt`;
  const r = result([finding(file)], [`skipped 1 binary file(s): ${file}`], [finding(file, { ruleId: 'admission/stale', suppressed: { kind: 'inline', reason: `was ${GH}` } })]);

  it('every format redacts the secret in the displayed path, notes and reasons', () => {
    const outputs = { text: toText(r), json: toJson(r), sarif: toSarif(r), summary: toSummary(r, { ...info, deleted: [file], notes: [file] }) };
    for (const [name, out] of Object.entries(outputs)) {
      for (const piece of [...pieces(GH), ...pieces(AWS)]) expect({ name, leaked: out.includes(piece) }).toEqual({ name, leaked: false });
    }
    expect(JSON.parse(outputs.json).findings[0].file).toBe(`n/${AWS.slice(0, 5)}…(20 chars)/${GH.slice(0, 6)}…(40 chars).txt`);
  });
  it('the fingerprint is unchanged (it is computed from the real path elsewhere)', () => {
    expect(JSON.parse(toJson(r)).findings[0].fingerprint).toBe('f'.repeat(32));
  });
  it('end to end: `scan` of a tree whose names hold keys prints none of them in any format', async () => {
    const dir = dirWith({ [`n/${AWS}/${GH}.txt`]: 'export const x = 1;\n', [`n/${GH}-bin.dat`]: 'a\u0000b' });
    writeFileSync(path.join(dir, `n/${AWS}/k.txt`), `token ${GH}\n`);
    for (const format of ['text', 'json', 'sarif']) {
      const out = await cli(['scan', 'n', '--format', format], dir);
      expect(out.code).toBe(1);
      for (const piece of [...pieces(GH), ...pieces(AWS)]) expect({ format, leaked: (out.stdout + out.stderr).includes(piece) }).toEqual({ format, leaked: false });
    }
  });
});

/** The same validation as test/action/sarif.test.ts (SARIF and GitHub rule sets); non-note results returned. */
const validate = (sarif: string, name: string): string[] =>
  validateSarif(sarif, tmp, name)
    .filter((x) => x.level !== 'note')
    .map((x) => `${x.ruleId}: ${x.message.arguments?.join(' ')}`);

describe('SARIF carries the notes (item 2)', () => {
  const notes = ['skipped 1 binary file(s): run/trace.jsonl', 'skipped 2 symbolic link(s), never followed: a, b'];

  it('as invocations[0].toolExecutionNotifications, level note', () => {
    const run = JSON.parse(toSarif(result([finding('run/log.txt')], notes))).runs[0];
    expect(run.invocations).toEqual([
      {
        executionSuccessful: true,
        toolExecutionNotifications: notes.map((text) => ({ level: 'note', message: { text } })),
      },
    ]);
  });
  it('no notes: no invocations block (the output is as before)', () => {
    expect(JSON.parse(toSarif(result([finding('run/log.txt')]))).runs[0].invocations).toBeUndefined();
  });
  it('valid SARIF 2.1.0 with notes, hostile names and redacted paths (multitool, SARIF and GitHub rules)', () => {
    const hostile = result(
      [finding('a\n\u202eb.txt'), finding(`n/${GH}.txt`, { fingerprint: 'e'.repeat(32) })],
      [...notes, `skipped 1 binary file(s): n/${AWS}.bin`],
    );
    expect(validate(toSarif(hostile, [], { repository: { uri: 'https://github.com/acme/governance' } }), 'notes')).toEqual([]);
  }, 180_000);
});

describe('relativeUri', () => {
  it('percent-encodes each segment and keeps the slashes', () => {
    expect(relativeUri('a b/c#d?/e%f')).toBe('a%20b/c%23d%3F/e%25f');
  });
});
