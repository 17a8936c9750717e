/** .github/sot-gate.yml: the exact errors a user sees for a bad policy file, and what the exported schema reports. */
import { describe, expect, it } from 'vitest';
import { configSchema, DEFAULT_CONFIG, parseConfig } from '../../src/engine/config.js';
import { EvaluationError } from '../../src/engine/types.js';

function errorOf(fn: () => unknown): EvaluationError {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(EvaluationError);
    return e as EvaluationError;
  }
  throw new Error('expected an EvaluationError, nothing was thrown');
}

const messageOf = (text: string, source?: string) => errorOf(() => (source === undefined ? parseConfig(text) : parseConfig(text, source))).message;

describe('invalid configuration messages', () => {
  it('name the default config path, the offending key path and why', () => {
    expect(messageOf('bogus: 1\n')).toBe('.github/sot-gate.yml: invalid configuration: (root): Unrecognized key: "bogus"');
  });
  it('name the file they were read from when one is given', () => {
    expect(messageOf('bogus: 1\n', 'policy/custom.yml')).toBe('policy/custom.yml: invalid configuration: (root): Unrecognized key: "bogus"');
  });
  it('a decision-status vocabulary without not_decided (the default provider classes then name unknown statuses too)', () => {
    expect(messageOf('vocabularies:\n  decision-status: [a, b]\n')).toBe(
      '.github/sot-gate.yml: invalid configuration: vocabularies.decision-status: must keep not_decided (nothing may run while undecided); ' +
        'vocabularies.provider-classes.external_provider_approved: "external_provider_approved" is not a decision status; ' +
        'vocabularies.provider-classes.local_provider_required: "local_provider_required" is not a decision status',
    );
  });
  it('provider classes for a status that is not in the decision-status vocabulary', () => {
    expect(messageOf('vocabularies:\n  provider-classes:\n    approved_somehow: [external_anthropic]\n')).toBe(
      '.github/sot-gate.yml: invalid configuration: vocabularies.provider-classes.approved_somehow: "approved_somehow" is not a decision status',
    );
  });
  it('provider classes for not_decided', () => {
    expect(messageOf('vocabularies:\n  provider-classes:\n    not_decided: [x]\n')).toBe(
      '.github/sot-gate.yml: invalid configuration: vocabularies.provider-classes.not_decided: not_decided cannot approve a provider class',
    );
  });
  it('a rules key that is not a group/name rule id', () => {
    expect(messageOf('rules:\n  Decision/Invalid: warning\n')).toBe(
      '.github/sot-gate.yml: invalid configuration: rules.Decision/Invalid: "Decision/Invalid" is not a rule id (group/name)',
    );
  });
  it('several problems are all listed, separated by "; "', () => {
    expect(messageOf('vocabularies:\n  decision-status: [a]\n  provider-classes:\n    a: [x]\nrules:\n  nope: off\n')).toBe(
      '.github/sot-gate.yml: invalid configuration: vocabularies.decision-status: must keep not_decided (nothing may run while undecided); ' +
        'rules.nope: "nope" is not a rule id (group/name)',
    );
  });
  it('group wildcards and kebab-case rule ids are accepted', () => {
    const cfg = parseConfig('rules:\n  secret/*: warning\n  admission/not-decided-pair: off\n');
    expect(cfg.rules).toEqual({ 'secret/*': 'warning', 'admission/not-decided-pair': 'off' });
  });
});

describe('the schema reports cross-field problems as custom issues at the offending path', () => {
  it('decision-status without not_decided', () => {
    const r = configSchema.safeParse({ vocabularies: { 'decision-status': ['x'], 'provider-classes': {} } });
    expect(r.success).toBe(false);
    expect(r.error?.issues).toEqual([
      { code: 'custom', path: ['vocabularies', 'decision-status'], message: 'must keep not_decided (nothing may run while undecided)' },
    ]);
  });
  it('provider classes for an unknown status and for not_decided', () => {
    const r = configSchema.safeParse({ vocabularies: { 'provider-classes': { bogus: ['a'], not_decided: ['b'] } } });
    expect(r.error?.issues).toEqual([
      { code: 'custom', path: ['vocabularies', 'provider-classes', 'bogus'], message: '"bogus" is not a decision status' },
      { code: 'custom', path: ['vocabularies', 'provider-classes', 'not_decided'], message: 'not_decided cannot approve a provider class' },
    ]);
  });
  it('a bad rule id', () => {
    const r = configSchema.safeParse({ rules: { 'a/b/c': 'error' } });
    expect(r.error?.issues).toEqual([{ code: 'custom', path: ['rules', 'a/b/c'], message: '"a/b/c" is not a rule id (group/name)' }]);
  });
});

describe('YAML errors', () => {
  it('duplicate keys: the message names the config path and where the duplicate is', () => {
    expect(messageOf('approvers: [a]\napprovers: [b]\n')).toBe('.github/sot-gate.yml: not valid YAML: Map keys must be unique at line 2, column 1:');
  });
  it('a syntax error: only the first line of the parser message, with its position', () => {
    expect(messageOf('rules: [\n', 'x.yml')).toMatch(/^x\.yml: not valid YAML: .+ at line \d+, column \d+:$/);
  });
  it('aliases are expanded within the limit', () => {
    const cfg = parseConfig('ignore: &x [a/**]\nsecrets:\n  target-repository-patterns: *x\n');
    expect(cfg.secrets['target-repository-patterns']).toEqual(['a/**']);
  });
});

describe('empty documents are the defaults', () => {
  it.each([['a comment only', '# nothing here\n'], ['an explicit null', '~\n'], ['a bare document marker', '---\n']])('%s', (_name, text) => {
    expect(parseConfig(text)).toEqual(DEFAULT_CONFIG);
  });
});
