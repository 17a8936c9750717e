/** evaluate(): reading files, choosing the decision record, failing closed, scoping, suppressing, sorting, admitting. */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { compareFindings, evaluate } from '../../src/engine/check.js';
import { configSchema } from '../../src/engine/config.js';
import { admissionJson, admissionPath, DECISION_PATH, decisionDoc, frontMatter, localTree } from '../../src/engine/rules/fixtures.js';
import type { Rule } from '../../src/engine/rules/rule.js';
import type { BaselineEntry } from '../../src/engine/suppress.js';
import type { InputFile } from '../../src/engine/tree.js';
import type { Finding } from '../../src/engine/types.js';
import { evaluateFiles, toInput, type Files } from '../helpers/tree.js';

const QWEN = admissionPath('qwen-local', 'qwen3.6-35b-a3b');
const OPENAI_KEY = 'sk-Zq8Rt2Lm5Np7Vx9Wb3Yc6Hd1Jf4Kg8Ts0Uv2Ew5Fz7Gh9AiX';
const HIGH_ENTROPY = 'uV3kP9qL2wX7zR5tY1mN8bC4';
const utf8 = (s: string) => new TextEncoder().encode(s);
const BOM = [0xef, 0xbb, 0xbf];
const withDoubleBom = (s: string) => new Uint8Array([...BOM, ...BOM, ...utf8(s)]);
const sotDoc = (body: string) => `${frontMatter()}\n# A\n\n${body}\n`;
const brief = (fs: Finding[]) => fs.map((f) => `${f.severity} ${f.file}:${f.line} ${f.ruleId}`);

function run(files: Files, opts: { config?: Record<string, unknown>; baseline?: BaselineEntry[]; today?: string; extraRules?: Rule[]; changed?: string[] } = {}) {
  const config = configSchema.parse(opts.config ?? {});
  return evaluate({
    files: toInput(files, config),
    config,
    ...(opts.today !== undefined ? { today: opts.today } : {}),
    ...(opts.baseline ? { baseline: opts.baseline } : {}),
    ...(opts.extraRules ? { extraRules: opts.extraRules } : {}),
    ...(opts.changed ? { changed: new Set(opts.changed) } : {}),
  });
}

function throwingRule(id: string, thrown: unknown): Rule {
  return {
    id,
    defaultSeverity: 'error',
    summary: 'a rule that always throws',
    description: 'test rule',
    examples: { fire: [], quiet: [] },
    check() {
      throw thrown;
    },
  };
}

describe('files that cannot be read', () => {
  it('a matched file with neither content nor an error reason is reported as "cannot be read"', () => {
    const files: InputFile[] = [{ path: '.sot/a.md', kind: 'sot' }];
    const r = evaluate({ files, config: configSchema.parse({}), today: '2026-11-21' });
    expect(r.findings).toEqual([
      expect.objectContaining({ ruleId: 'sot/unreadable', severity: 'error', file: '.sot/a.md', line: 1, message: 'file cannot be evaluated: cannot be read' }),
    ]);
  });
});

describe('byte order marks', () => {
  it('one BOM is the encoding mark: the record is read and nothing is reported (LF and CRLF)', () => {
    const r = evaluateFiles({ [DECISION_PATH]: `\uFEFF${decisionDoc()}` });
    expect(r.findings).toEqual([]);
    expect(r.decision).toEqual({ status: 'local_provider_required', file: DECISION_PATH });
    expect(evaluateFiles({ '.sot/a.md': `\uFEFF${sotDoc('Text.').replace(/\n/g, '\r\n')}` }).findings).toEqual([]);
  });
  it('a second BOM is content: a hidden character at 1:1, and the admission it starts is not admitted', () => {
    const r = evaluateFiles({ ...localTree(), [QWEN]: withDoubleBom(admissionJson()) });
    expect(r.findings.filter((f) => f.file === QWEN).map((f) => `${f.ruleId} ${f.line}:${f.column ?? ''}`)).toContain('sot/hidden-characters 1:1');
    expect(r.admittedPairs).toEqual([]);
    const md = evaluateFiles({ '.sot/a.md': withDoubleBom(sotDoc('Text.')) });
    expect(md.findings.map((f) => `${f.ruleId} ${f.line}:${f.column ?? ''}`)).toContain('sot/hidden-characters 1:1');
  });
});

describe('the decision record', () => {
  it('two candidate records without decision-record configured: no decision is chosen', () => {
    const r = evaluateFiles({ [DECISION_PATH]: decisionDoc(), '.sot/other.md': decisionDoc({ decision_status: '`external_provider_approved`' }) });
    expect(r.decision).toBeUndefined();
    expect(brief(r.findings)).toEqual([`error ${DECISION_PATH}:14 decision/ambiguous`, 'error .sot/other.md:14 decision/ambiguous']);
    expect(r.findings[0]?.message).toBe(`2 decision records in one tree (${DECISION_PATH}:14, .sot/other.md:14): keep one, or set decision-record in .github/sot-gate.yml`);
  });
  it('a record without a decision_status reports its file and no status', () => {
    const r = evaluateFiles({ [DECISION_PATH]: decisionDoc({ decision_status: null }) });
    expect(r.decision).toEqual({ status: undefined, file: DECISION_PATH });
    expect(r.findings.map((f) => f.ruleId)).toEqual(['decision/invalid-status']);
  });
});

describe('a rule that throws fails closed', () => {
  it('is an error finding on the decision record naming the rule and the error class', () => {
    const r = run(localTree(), { extraRules: [throwingRule('test/boom', new TypeError('secret detail'))] });
    expect(r.findings).toEqual([
      {
        ruleId: 'engine/rule-error',
        severity: 'error',
        file: DECISION_PATH,
        line: 1,
        message: 'rule test/boom could not evaluate this tree (TypeError): the check fails closed',
        fingerprint: expect.stringMatching(/^[0-9a-f]{32}$/),
      },
    ]);
    expect(r.summary.errors).toBe(1);
  });
  it('without a decision record it points at the first file; a non-Error throw is named "error"', () => {
    const r = run({ '.sot/b.md': sotDoc('B'), '.sot/a.md': sotDoc('A') }, { extraRules: [throwingRule('test/boom', 'a string')] });
    expect(r.findings.map((f) => [f.ruleId, f.severity, f.file, f.line, f.message])).toEqual([
      ['engine/rule-error', 'error', '.sot/a.md', 1, 'rule test/boom could not evaluate this tree (error): the check fails closed'],
    ]);
  });
  it('with no files at all it points at "."', () => {
    const r = run({}, { extraRules: [throwingRule('test/boom', new RangeError('x'))] });
    expect(r.findings.map((f) => [f.ruleId, f.file, f.line, f.message])).toEqual([
      ['engine/rule-error', '.', 1, 'rule test/boom could not evaluate this tree (RangeError): the check fails closed'],
    ]);
  });
  it('is kept whatever files changed', () => {
    const r = run(localTree(), { extraRules: [throwingRule('test/boom', new Error('x'))], changed: ['.sot/unrelated.md'] });
    expect(r.findings.map((f) => f.ruleId)).toEqual(['engine/rule-error']);
  });
});

describe('secret scanner findings', () => {
  it('known formats are errors and high-entropy guesses are warnings', () => {
    const r = evaluateFiles({ '.sot/a.md': sotDoc(`setting = "${HIGH_ENTROPY}"\nkey: ${OPENAI_KEY}`) });
    expect(r.findings.map((f) => [f.severity, f.line, f.ruleId])).toEqual([
      ['error', 15, 'secret/openai'],
      ['warning', 14, 'secret/high-entropy'],
    ]);
    expect(r.summary).toEqual({ files: 1, errors: 1, warnings: 1, suppressed: 0 });
  });
  it('an inline allow directive with a reason suppresses the finding on its line', () => {
    const r = evaluateFiles({ '.sot/a.md': sotDoc(`key: ${OPENAI_KEY} <!-- sot-gate:allow secret/openai -- revoked test key -->`) });
    expect(r.findings).toEqual([]);
    expect(r.suppressed.map((f) => [f.ruleId, f.line, f.suppressed])).toEqual([['secret/openai', 14, { kind: 'inline', reason: 'revoked test key' }]]);
    expect(r.summary.suppressed).toBe(1);
  });
});

describe('fingerprints', () => {
  it('differ between findings, so a baseline entry suppresses only the finding it names', () => {
    const files = { '.sot/a.md': sotDoc(`key: ${OPENAI_KEY}`), '.sot/b.md': sotDoc(`key: ${OPENAI_KEY}`) };
    const first = evaluateFiles(files).findings;
    expect(first.map((f) => f.file)).toEqual(['.sot/a.md', '.sot/b.md']);
    expect(first[0]!.fingerprint).not.toBe(first[1]!.fingerprint);
    const baseline = [{ fingerprint: first[0]!.fingerprint!, rule: 'secret/openai', reason: 'revoked test key' }];
    const r = run(files, { baseline, today: '2026-11-21' });
    expect(r.findings.map((f) => f.file)).toEqual(['.sot/b.md']);
    expect(r.suppressed.map((f) => [f.file, f.suppressed])).toEqual([['.sot/a.md', { kind: 'baseline', reason: 'revoked test key' }]]);
  });
  it('a baseline entry never covers a governance finding: it suppresses nothing and is reported', () => {
    const files = { '.sot/a.md': '# A\n' };
    const fp = evaluateFiles(files).findings[0]!.fingerprint!;
    for (const rule of ['sot/frontmatter-missing', 'sot/*']) {
      const r = run(files, { baseline: [{ fingerprint: fp, rule, reason: 'legacy file' }], today: '2026-11-21', config: { secrets: { baseline: 'b.json' } } });
      expect(r.suppressed).toEqual([]);
      expect(brief(r.findings)).toEqual(['error .sot/a.md:1 sot/frontmatter-missing', 'warning b.json:1 suppress/ignored-directive']);
      expect(r.findings[1]!.message).toContain(`names ${rule}, a rule no suppression covers`);
    }
    // `*` covers the exposure rules only: not reported, and the governance finding stays active
    const star = run(files, { baseline: [{ fingerprint: fp, rule: '*', reason: 'everything' }], today: '2026-11-21' });
    expect(brief(star.findings)).toEqual(['error .sot/a.md:1 sot/frontmatter-missing']);
  });
});

describe('baseline expiry and today', () => {
  const files = { '.sot/a.md': sotDoc(`key: ${OPENAI_KEY}`) };
  const fp = () => evaluateFiles(files).findings[0]!.fingerprint!;
  afterEach(() => {
    vi.useRealTimers();
  });
  it('uses the given today, not the clock', () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(new Date('2030-06-15T12:00:00Z'));
    const baseline = [{ fingerprint: fp(), rule: 'secret/openai', reason: 'legacy', expires: '2020-01-02' }];
    expect(run(files, { baseline, today: '2020-01-01' }).suppressed).toHaveLength(1);
    const after = run(files, { baseline, today: '2020-01-03' }).findings;
    expect(after.map((f) => f.ruleId)).toEqual(['secret/openai']);
    expect(after[0]!.message).toMatch(/ \(baseline entry expired on 2020-01-02\)$/);
  });
  it('defaults to the current UTC date: an entry is honoured through its expiry day', () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(new Date('2030-06-15T12:00:00Z'));
    const entry = { fingerprint: fp(), rule: 'secret/openai', reason: 'legacy' };
    const today = run(files, { baseline: [{ ...entry, expires: '2030-06-15' }] });
    expect(today.findings).toEqual([]);
    expect(today.suppressed.map((f) => f.suppressed)).toEqual([{ kind: 'baseline', reason: 'legacy', expires: '2030-06-15' }]);
    const yesterday = run(files, { baseline: [{ ...entry, expires: '2030-06-14' }] });
    expect(yesterday.suppressed).toEqual([]);
    expect(yesterday.findings).toHaveLength(1);
  });
});

describe('pull request scope (changed files)', () => {
  const tree = () => ({ ...localTree(), [QWEN]: admissionJson({ allowed_network_class: 'public' }), '.sot/n.md': '# no fm\n' });
  it('keeps the findings of a changed admission file', () => {
    const r = evaluateFiles(tree(), { changed: [QWEN] });
    expect(brief(r.findings)).toEqual([`error ${QWEN}:6 admission/stale`]);
  });
  it('an unchanged decision record does not bring admission findings into scope', () => {
    const r = evaluateFiles(tree(), { changed: ['.sot/n.md'] });
    expect(brief(r.findings)).toEqual(['error .sot/n.md:1 sot/frontmatter-missing']);
  });
  it('nothing changed that has findings: no findings', () => {
    const r = evaluateFiles(tree(), { changed: ['.sot/elsewhere.md'] });
    expect(r.findings).toEqual([]);
  });
});

describe('ordering', () => {
  it('findings are sorted by severity, then file, whatever the order the rules and the scanner found them in', () => {
    const r = evaluateFiles({
      '.sot/a.md': sotDoc(`key: ${OPENAI_KEY}\nsetting = "${HIGH_ENTROPY}"`),
      '.sot/b.md': '# B\n',
    });
    expect(brief(r.findings)).toEqual(['error .sot/a.md:14 secret/openai', 'error .sot/b.md:1 sot/frontmatter-missing', 'warning .sot/a.md:15 secret/high-entropy']);
  });
  it('findings on the same line of the same rule are sorted by message', () => {
    const r = evaluateFiles({ '.sot/a.md': '---\nfoo: bar\n---\n# A\n' });
    expect(r.findings.map((f) => f.message.replace('front matter lacks required key ', ''))).toEqual([
      '"core_promotion_status"',
      '"created"',
      '"last_reviewed"',
      '"lifecycle_classification"',
      '"owner"',
      '"route"',
      '"status"',
      '"title"',
    ]);
  });
  it('suppressed findings are sorted the same way', () => {
    const files = { '.sot/b.md': sotDoc(`key: ${OPENAI_KEY}`), '.sot/a.md': sotDoc(`setting = "${HIGH_ENTROPY}"\nkey: ${OPENAI_KEY}`) };
    const baseline = evaluateFiles(files).findings.map((f) => ({ fingerprint: f.fingerprint!, rule: f.ruleId, reason: 'known' }));
    const r = run(files, { baseline, today: '2026-11-21' });
    expect(r.findings).toEqual([]);
    expect(brief(r.suppressed)).toEqual(['error .sot/a.md:15 secret/openai', 'error .sot/b.md:14 secret/openai', 'warning .sot/a.md:14 secret/high-entropy']);
  });
  it('at the same location, the rule id decides before the message', () => {
    const at = { severity: 'error', file: 'f', line: 3, column: 2 } as const;
    const a: Finding = { ...at, ruleId: 'a/rule', message: 'zzz' };
    const b: Finding = { ...at, ruleId: 'b/rule', message: 'aaa' };
    expect([b, a].sort(compareFindings)).toEqual([a, b]);
    expect(compareFindings(a, b)).toBeLessThan(0);
    expect(compareFindings(b, a)).toBeGreaterThan(0);
  });
  it('at the same location and rule, the message decides', () => {
    const at = { severity: 'warning', file: 'f', line: 3, ruleId: 'a/rule' } as const;
    const x: Finding = { ...at, message: 'x' };
    const y: Finding = { ...at, message: 'y' };
    expect(compareFindings(x, y)).toBeLessThan(0);
    expect(compareFindings(y, x)).toBeGreaterThan(0);
    expect([y, x].sort(compareFindings)).toEqual([x, y]);
  });
});

describe('admitted pairs', () => {
  const look = { [QWEN]: admissionJson({ review_trigger: 'before any credential source change \u2014 always' }) };
  it('a warning in an admission file does not withdraw its pair', () => {
    const r = evaluateFiles(localTree(look), { config: { rules: { 'sot/hidden-characters': 'warning' } } });
    expect(brief(r.findings)).toEqual([`warning ${QWEN}:9 sot/hidden-characters`]);
    expect(r.admittedPairs).toEqual([{ provider: 'qwen-local', model: 'qwen3.6-35b-a3b', role: 'primary', file: QWEN }]);
  });
  it('an error in an admission file withdraws its pair', () => {
    const r = evaluateFiles(localTree(look));
    expect(brief(r.findings)).toEqual([`error ${QWEN}:9 sot/hidden-characters`]);
    expect(r.admittedPairs).toEqual([]);
  });
  it('an error in another file does not withdraw the pair', () => {
    const r = evaluateFiles(localTree({ '.sot/n.md': '# no fm\n' }));
    expect(brief(r.findings)).toEqual(['error .sot/n.md:1 sot/frontmatter-missing']);
    expect(r.admittedPairs).toHaveLength(1);
  });
});
