import { describe, expect, it } from 'vitest';
import { DEFAULT_CONFIG, parseConfig, severityFor } from '../../src/engine/config.js';
import { EvaluationError } from '../../src/engine/types.js';
import { DECISION_PATH, decisionDoc } from '../../src/engine/rules/fixtures.js';
import { evaluateFiles } from '../helpers/tree.js';

describe('config', () => {
  it('defaults are the seeds policy', () => {
    expect(DEFAULT_CONFIG['sot-files']).toEqual(['.sot/**/*.md']);
    expect(DEFAULT_CONFIG['admission-files']).toEqual(['**/*ADMISSION*.json']);
    expect(DEFAULT_CONFIG['deny-list']).toEqual([{ provider: 'anthropic', model: 'claude-sonnet-4-6' }]);
    expect(DEFAULT_CONFIG.secrets['endpoint-variables']).toEqual(['CTO_HARNESS_CASE_LOCAL_BASE_URL']);
  });
  it('a bad key is an error naming its path', () => {
    expect(() => parseConfig('rules:\n  decision/invalid-status: fatal\n')).toThrow(/rules\.decision\/invalid-status/);
    expect(() => parseConfig('sot-files: 3\n')).toThrow(/sot-files/);
    expect(() => parseConfig('bogus: 1\n')).toThrow(EvaluationError);
  });
  it('cross-field rules (superRefine)', () => {
    expect(() => parseConfig('vocabularies:\n  decision-status: [a, b]\n')).toThrow(/must keep not_decided/);
    expect(() => parseConfig('vocabularies:\n  provider-classes:\n    not_decided: [x]\n')).toThrow(/cannot approve/);
  });
  it('rejects YAML with duplicate keys', () => {
    expect(() => parseConfig('approvers: [a]\napprovers: [b]\n')).toThrow(EvaluationError);
  });
  it('empty file is the defaults', () => {
    expect(parseConfig('')).toEqual(DEFAULT_CONFIG);
  });
  it('severity: exact id, then group, then default', () => {
    const cfg = parseConfig('rules:\n  decision/*: warning\n  decision/invalid-status: off\n');
    expect(severityFor(cfg, 'decision/invalid-status', 'error')).toBe('off');
    expect(severityFor(cfg, 'decision/class-mismatch', 'error')).toBe('warning');
    expect(severityFor(cfg, 'admission/stale', 'error')).toBe('error');
  });
  it('severity and off apply to findings', () => {
    const files = { [DECISION_PATH]: decisionDoc({ decision_status: '`bogus`' }) };
    expect(evaluateFiles(files).findings.find((f) => f.ruleId === 'decision/invalid-status')?.severity).toBe('error');
    expect(evaluateFiles(files, { config: { rules: { 'decision/invalid-status': 'warning' } } }).findings.find((f) => f.ruleId === 'decision/invalid-status')?.severity).toBe('warning');
    expect(evaluateFiles(files, { config: { rules: { 'decision/invalid-status': 'off' } } }).findings.some((f) => f.ruleId === 'decision/invalid-status')).toBe(false);
  });
});
