/** The default policy is the seeds' policy, word for word: a user who writes no config gets exactly this. */
import { describe, expect, it } from 'vitest';
import { DEFAULT_CONFIG, parseConfig } from '../../src/engine/config.js';

describe('default policy', () => {
  it('is exactly the seeds policy', () => {
    expect(DEFAULT_CONFIG).toEqual({
      'sot-files': ['.sot/**/*.md'],
      'admission-files': ['**/*ADMISSION*.json'],
      ignore: [],
      vocabularies: {
        'decision-status': ['not_decided', 'external_provider_approved', 'local_provider_required'],
        'provider-classes': {
          external_provider_approved: ['external_anthropic', 'external_openai_codex'],
          local_provider_required: ['local_case_compatible'],
        },
        'provider-class-of': {
          anthropic: 'external_anthropic',
          'openai-codex': 'external_openai_codex',
          'qwen-local': 'local_case_compatible',
          vllm: 'local_case_compatible',
        },
        'work-item-status': ['proposed', 'open', 'ready', 'in_progress', 'blocked', 'validated', 'resolved', 'done', 'cancelled', 'superseded'],
        'frontmatter-status': ['draft', 'active', 'validated', 'superseded', 'archived'],
        'lifecycle-classification': ['sot', 'core', 'archive'],
        'core-promotion-status': ['not-promoted', 'candidate', 'promoted'],
      },
      'deny-list': [{ provider: 'anthropic', model: 'claude-sonnet-4-6' }],
      rules: {},
      approvers: [],
      stage2: { 'allowed-fixtures': ['r1-string-slugify'] },
      'change-control': { protect: ['decision-record', 'admissions', 'policy', 'baseline'], files: [] },
      secrets: {
        'endpoint-variables': ['CTO_HARNESS_CASE_LOCAL_BASE_URL'],
        'target-repository-patterns': [],
        'max-file-size': 8 * 1024 * 1024,
      },
    });
  });
  it('approvers are logins or org/team slugs', () => {
    expect(parseConfig('approvers: [jp, my-org/governance, a1/team.x_y-z]\n').approvers).toHaveLength(3);
    expect(() => parseConfig('approvers: ["@jp"]\n')).toThrow(/approvers\.0: a GitHub login or org\/team slug/);
    expect(() => parseConfig('approvers: ["a/b/c"]\n')).toThrow(/approvers\.0/);
  });
  it('rule keys must be ids or group wildcards', () => {
    expect(parseConfig('rules:\n  secret/*: off\n  decision/invalid-status: warning\n').rules).toEqual({ 'secret/*': 'off', 'decision/invalid-status': 'warning' });
    expect(() => parseConfig('rules:\n  Decision: off\n')).toThrow(/"Decision" is not a rule id/);
    expect(() => parseConfig('rules:\n  a/b/c: off\n')).toThrow(/is not a rule id/);
  });
  it('provider classes may only be keyed by a decision status', () => {
    expect(() => parseConfig('vocabularies:\n  provider-classes:\n    approved: [x]\n')).toThrow(/"approved" is not a decision status/);
  });
  it('endpoint variables are variable names; sizes are positive integers; lists are not empty', () => {
    expect(() => parseConfig('secrets:\n  endpoint-variables: ["BAD-NAME"]\n')).toThrow(/secrets\.endpoint-variables\.0/);
    expect(() => parseConfig('secrets:\n  max-file-size: 0\n')).toThrow(/max-file-size/);
    expect(() => parseConfig('sot-files: []\n')).toThrow(/sot-files/);
    expect(() => parseConfig('deny-list: [{provider: anthropic}]\n')).toThrow(/deny-list\.0\.model/);
  });
  it('YAML that is not valid names the file', () => {
    expect(() => parseConfig('a: [\n', 'x.yml')).toThrow(/^x\.yml: not valid YAML/);
  });
});
