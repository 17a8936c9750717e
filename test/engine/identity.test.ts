/** One normalised form for providers, models and provider classes (src/engine/identity.ts), and the rules that use it. */
import { describe, expect, it } from 'vitest';
import { configSchema } from '../../src/engine/config.js';
import {
  deniedIdsIn,
  deniedPair,
  denyIdMap,
  identifierProblem,
  normId,
  pairReadings,
  providerClassOf,
  sameId,
  samePair,
  spellsPair,
} from '../../src/engine/identity.js';
import { admissionJson, admissionPath, DECISION_PATH, decisionDoc, EXTERNAL_DECISION, localTree } from '../../src/engine/rules/fixtures.js';
import { evaluateFiles } from '../helpers/tree.js';

const cfg = configSchema.parse({});
const hits = (r: ReturnType<typeof evaluateFiles>, id: string) => r.findings.filter((f) => f.ruleId === id).map((f) => ({ file: f.file, line: f.line, message: f.message }));

describe('normId', () => {
  it('folds case, NFKC forms, default-ignorable characters and surrounding spaces', () => {
    expect(normId('Claude-Sonnet-4-6')).toBe('claude-sonnet-4-6');
    expect(normId('  anthropic\t')).toBe('anthropic');
    expect(normId('\uFF41nthropic')).toBe('anthropic'); // fullwidth a
    expect(normId('anth\u200Bropic')).toBe('anthropic'); // zero-width space
    expect(normId('anthropic\u{E0041}')).toBe('anthropic'); // tag character
    expect(normId('ANTHROPIC\u00A0')).toBe('anthropic'); // NBSP -> space (NFKC), trimmed
    expect(normId('qwen3.6-35b-a3b')).toBe('qwen3.6-35b-a3b');
  });
  it('keeps different names different', () => {
    expect(sameId('qwen-local', 'qwen-locai')).toBe(false);
    expect(sameId('openai-codex', 'openai_codex')).toBe(false);
    expect(sameId(undefined, 'x')).toBe(false);
    expect(samePair({ provider: 'Anthropic', model: 'Claude-Sonnet-4-6' }, { provider: 'anthropic', model: 'claude-sonnet-4-6' })).toBe(true);
    expect(samePair({ provider: 'anthropic', model: 'claude-sonnet-4-5' }, { provider: 'anthropic', model: 'claude-sonnet-4-6' })).toBe(false);
  });
});

describe('identifierProblem', () => {
  it('accepts the normalised ASCII form', () => {
    for (const s of ['qwen-local', 'qwen3.6-35b-a3b', 'gpt-5.5', 'qwen3:30b', 'meta/llama-4', 'local_case_compatible']) expect(identifierProblem(s)).toBeUndefined();
  });
  it('reports case variants, spaces, non-ASCII and control characters', () => {
    expect(identifierProblem('Claude-Sonnet-4-6')).toMatch(/normalised form "claude-sonnet-4-6"/);
    expect(identifierProblem(' qwen-local')).toMatch(/normalised form/);
    expect(identifierProblem('qwen\u2011local')).toMatch(/non-ASCII character U\+2011/);
    expect(identifierProblem('qwen\u200B-local')).toMatch(/U\+200B/);
    expect(identifierProblem('qwen\x01')).toMatch(/control character U\+0001/);
  });
});

describe('pair spellings', () => {
  const deny = { provider: 'anthropic', model: 'claude-sonnet-4-6' };
  it('reads provider/model and provider:model at every separator', () => {
    expect(spellsPair('anthropic/claude-sonnet-4-6', deny)).toBe(true);
    expect(spellsPair('Anthropic:Claude-Sonnet-4-6', deny)).toBe(true);
    expect(spellsPair('anthropic / claude-sonnet-4-6', deny)).toBe(true);
    expect(spellsPair('anthropic-claude-sonnet-4-6', deny)).toBe(false);
    expect(spellsPair('claude-sonnet-4-6', deny)).toBe(false);
    expect(pairReadings('vllm/qwen3:30b')).toEqual([
      { provider: 'vllm', model: 'qwen3:30b' },
      { provider: 'vllm/qwen3', model: '30b' },
    ]);
    expect(spellsPair('vllm/qwen3:30b', { provider: 'vllm', model: 'qwen3:30b' })).toBe(true);
  });
  it('finds deny-list ids in any segment, normalised', () => {
    const ids = denyIdMap(cfg);
    expect(deniedIdsIn('anthropic/claude-sonnet-4-6', ids)).toEqual(['anthropic', 'claude-sonnet-4-6']);
    expect(deniedIdsIn('openrouter:Claude-Sonnet-4-6', ids)).toEqual(['claude-sonnet-4-6']);
    expect(deniedIdsIn('ANTHROPIC', ids)).toEqual(['anthropic']);
    expect(deniedIdsIn('claude-sonnet-4-6-mini', ids)).toEqual([]);
    expect(deniedIdsIn('qwen-local/qwen3.6-35b-a3b', ids)).toEqual([]);
  });
  it('deniedPair: same pair normalised, or the model spelling a denied pair', () => {
    expect(deniedPair({ provider: 'Anthropic', model: 'Claude-Sonnet-4-6' }, cfg)).toEqual(deny);
    expect(deniedPair({ provider: 'openrouter', model: 'anthropic:claude-sonnet-4-6' }, cfg)).toEqual(deny);
    expect(deniedPair({ provider: 'anthropic', model: 'claude-opus-4' }, cfg)).toBeUndefined();
  });
});

describe('provider classes', () => {
  it('looks providers up by normalised name in a Map: prototype names are unknown', () => {
    expect(providerClassOf(cfg, 'qwen-local')).toBe('local_case_compatible');
    expect(providerClassOf(cfg, 'VLLM')).toBe('local_case_compatible');
    expect(providerClassOf(cfg, 'openai-codex')).toBe('external_openai_codex');
    expect(providerClassOf(cfg, 'anthropic')).toBe('external_anthropic');
    for (const p of ['constructor', '__proto__', 'toString', 'hasOwnProperty', 'openrouter']) expect(providerClassOf(cfg, p)).toBeUndefined();
  });
});

describe('check: identities compared as a human reads them', () => {
  it('a case variant of the deny-listed pair is forbidden, and its form is reported', () => {
    const file = admissionPath('anthropic', 'Claude-Sonnet-4-6');
    const r = evaluateFiles(localTree({ [file]: admissionJson({ provider: 'anthropic', model: 'Claude-Sonnet-4-6' }) }));
    expect(hits(r, 'admission/forbidden-provider')).toEqual([expect.objectContaining({ file, line: 3, message: expect.stringMatching(/deny list \(as anthropic \/ claude-sonnet-4-6\)/) })]);
    expect(hits(r, 'admission/identifier-form')).toEqual([expect.objectContaining({ file, line: 4, message: expect.stringMatching(/model "Claude-Sonnet-4-6" is not in its normalised form/) })]);
  });
  it('the approved case variant under an external_openai_codex record: class-mismatch, forbidden-provider and identifier-form fire', () => {
    const file = admissionPath('anthropic', 'Claude-Sonnet-4-6');
    const r = evaluateFiles({
      [DECISION_PATH]: decisionDoc({ ...EXTERNAL_DECISION, provider: '`anthropic`', model: '`Claude-Sonnet-4-6`' }),
      [file]: admissionJson({ provider: 'anthropic', model: 'Claude-Sonnet-4-6', credential_source_class: 'hermes-openai-codex-oauth-and-local-vllm-config', allowed_network_class: 'codex-oauth-hosted-model-plus-local-vllm-fallback' }),
    });
    expect(hits(r, 'decision/class-mismatch')).toEqual([expect.objectContaining({ file: DECISION_PATH, line: 18, message: expect.stringMatching(/provider "anthropic" is of class external_anthropic, not the record's provider_class "external_openai_codex"/) })]);
    expect(hits(r, 'decision/identifier-form')).toEqual([expect.objectContaining({ file: DECISION_PATH, line: 19 })]);
    expect(hits(r, 'admission/forbidden-provider')).toHaveLength(1);
    expect(hits(r, 'admission/identifier-form')).toHaveLength(1);
    expect(hits(r, 'admission/not-decided-pair')).toEqual([]);
  });
  it('a case variant of the fallback pair is the fallback (implicit-fallback applies), not a third pair', () => {
    const file = admissionPath('openai-codex', 'gpt-5.5');
    const r = evaluateFiles(localTree({ [file]: admissionJson({ provider: 'OpenAI-Codex', model: 'gpt-5.5' }) }));
    expect(hits(r, 'admission/implicit-fallback')).toHaveLength(1);
    expect(hits(r, 'admission/not-decided-pair')).toEqual([]);
    expect(hits(r, 'admission/identifier-form')).toEqual([expect.objectContaining({ line: 3 })]);
  });
  it('a provider named constructor is unknown: class-mismatch names it', () => {
    const r = evaluateFiles({ [DECISION_PATH]: decisionDoc({ provider: '`constructor`', model: '`x`' }) });
    expect(hits(r, 'decision/class-mismatch')).toEqual([expect.objectContaining({ line: 18, message: expect.stringMatching(/provider "constructor" has no provider class/) })]);
  });
  it('a policy map keyed in another case still finds the class; a policy without the provider makes it unknown', () => {
    const upper = { vocabularies: { 'provider-class-of': { 'QWEN-LOCAL': 'local_case_compatible', 'openai-codex': 'external_openai_codex' } } };
    expect(hits(evaluateFiles(localTree(), { config: upper }), 'decision/class-mismatch')).toEqual([]);
    const noCodex = { vocabularies: { 'provider-class-of': { 'qwen-local': 'local_case_compatible' } } };
    expect(hits(evaluateFiles(localTree(), { config: noCodex }), 'decision/class-mismatch')).toEqual([
      expect.objectContaining({ line: 20, message: expect.stringMatching(/fallback_provider "openai-codex" has no provider class/) }),
    ]);
  });
  it('the seeds\' local record and its explicit codex fallback stay quiet', () => {
    const r = evaluateFiles(localTree({ [admissionPath('openai-codex', 'gpt-5.5')]: admissionJson({ provider: 'openai-codex', model: 'gpt-5.5', role: 'fallback', credential_source_class: 'codex-oauth-fallback', allowed_network_class: 'codex-oauth-fallback' }) }));
    expect(r.findings).toEqual([]);
  });
});

describe('lookups keyed by user data are own-property lookups', () => {
  it('front matter: a __proto__ key cannot supply a required key, and constructor is a key like any other', () => {
    const fm = '---\ntitle: A\n__proto__:\n  status: draft\nlifecycle_classification: sot\nowner: jp\ncreated: 2026-05-31\nlast_reviewed: 2026-05-31\ncore_promotion_status: not-promoted\nroute: cto\nconstructor: x\n---\n# A\n';
    const r = evaluateFiles({ '.sot/a.md': fm });
    expect(hits(r, 'sot/frontmatter-invalid')).toEqual([expect.objectContaining({ line: 1, message: 'front matter lacks required key "status"' })]);
  });
});
