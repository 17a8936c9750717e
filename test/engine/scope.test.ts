/** The changed-files scope of a pull request never hides a tree without a usable decision record (fail closed). */
import { describe, expect, it } from 'vitest';
import { admissionJson, admissionPath, DECISION_PATH, decisionDoc, EXTERNAL_DECISION, localTree } from '../../src/engine/rules/fixtures.js';
import { evaluateFiles, ruleIds } from '../helpers/tree.js';

const QWEN = admissionPath('qwen-local', 'qwen3.6-35b-a3b');

describe('decision/record-missing under a changed-files scope', () => {
  it('two candidate records: a PR changing only an admission still fails, and nothing is admitted', () => {
    const files = { [DECISION_PATH]: decisionDoc(EXTERNAL_DECISION), '.sot/other.md': decisionDoc(EXTERNAL_DECISION), [QWEN]: admissionJson() };
    const r = evaluateFiles(files, { changed: [QWEN] });
    expect(ruleIds(r)).toContain('decision/ambiguous');
    expect(r.summary.errors).toBeGreaterThan(0);
    expect(r.admittedPairs).toEqual([]);
  });
  it('a configured record that is absent: a PR changing the second admission still fails', () => {
    const second = admissionPath('openai-codex', 'gpt-5.5');
    const files = { ...localTree(), [second]: admissionJson({ provider: 'openai-codex', model: 'gpt-5.5' }) };
    const r = evaluateFiles(files, { changed: [second], config: { 'decision-record': '.sot/nope.md' } });
    expect(ruleIds(r)).toContain('decision/record-missing');
    expect(r.admittedPairs).toEqual([]);
  });
  it('stays quiet with one record, and the admission is admitted', () => {
    const r = evaluateFiles(localTree(), { changed: [QWEN] });
    expect(ruleIds(r)).not.toContain('decision/record-missing');
    expect(r.admittedPairs.map((p) => p.model)).toEqual(['qwen3.6-35b-a3b']);
  });
  it('a record with a field given twice: a PR changing only an admission still fails, and nothing is admitted', () => {
    const twice = decisionDoc().replace(/^- `provider`:.*$/m, '$&\n- `provider`: `qwen-local`.');
    const r = evaluateFiles({ ...localTree(), [DECISION_PATH]: twice }, { changed: [QWEN] });
    expect(r.findings.map((f) => `${f.ruleId} ${f.file}:${f.line}`)).toEqual([`decision/ambiguous ${DECISION_PATH}:18`]);
    expect(r.findings[0]?.message).toBe('`provider` is given 2 times as bullets (lines 18, 19): give each state field exactly once');
    expect(r.admittedPairs).toEqual([]);
    expect(evaluateFiles(localTree(), { changed: [QWEN] }).admittedPairs).toHaveLength(1);
  });
  it('a full scan of an ambiguous tree admits nothing either', () => {
    const r = evaluateFiles({ ...localTree(), '.sot/other.md': decisionDoc() });
    expect(r.admittedPairs).toEqual([]);
  });
});

describe('names of Object.prototype members are plain values to the rules', () => {
  it('decision_status `constructor` is an invalid status, not a rule that throws', () => {
    const r = evaluateFiles({ ...localTree(), [DECISION_PATH]: decisionDoc({ decision_status: '`constructor`' }) });
    expect(ruleIds(r)).toContain('decision/invalid-status');
    expect(ruleIds(r)).not.toContain('engine/rule-error');
  });
  it('a deny-listed provider named `constructor` has an unknown class, not a function printed in the message', () => {
    const file = admissionPath('constructor', 'm1');
    const r = evaluateFiles(
      { ...localTree(), [file]: admissionJson({ provider: 'constructor', model: 'm1' }) },
      { config: { 'deny-list': [{ provider: 'constructor', model: 'm1' }] } },
    );
    const f = r.findings.find((x) => x.ruleId === 'admission/forbidden-provider');
    expect(f?.message).toContain('(unknown class)');
    expect(f?.message).not.toContain('function');
  });
});
