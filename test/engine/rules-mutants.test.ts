/**
 * Edge cases of the catalog rules that their own fire/quiet examples do not reach: a missing or empty field, an unknown
 * status, a second entry in a list, the exact line a finding points at. Every case asserts the rule's findings
 * (place and message) and that no rule threw (a rule that throws becomes an `engine/rule-error` finding).
 */
import { describe, expect, it } from 'vitest';
import { configSchema } from '../../src/engine/config.js';
import { parseAdmission } from '../../src/engine/parse/admission.js';
import { parseMarkdown } from '../../src/engine/parse/markdown.js';
import type { RawFinding } from '../../src/engine/types.js';
import {
  admissionJson,
  admissionPath,
  DECISION_PATH,
  decisionDoc,
  EXTERNAL_DECISION,
  frontMatter,
  issuesDoc,
  localTree,
  UNDECIDED,
} from '../../src/engine/rules/fixtures.js';
import type { RuleContext } from '../../src/engine/rules/rule.js';
import { hiddenCharacters } from '../../src/engine/rules/sot/hidden-characters.js';
import { evaluateFiles, type Files } from '../helpers/tree.js';

const RULE_ERROR = 'engine/rule-error';
const QWEN = admissionPath('qwen-local', 'qwen3.6-35b-a3b');
const ANTHROPIC = admissionPath('anthropic', 'claude-sonnet-4-6');
const anthropicAdmission = (overrides: Record<string, unknown> = {}) =>
  admissionJson({ provider: 'anthropic', model: 'claude-sonnet-4-6', credential_source_class: 'anthropic-api-key-env', allowed_network_class: 'hosted', ...overrides });

/** `severity file:line[:column] message` of one rule's findings; fails when any rule threw. */
function findings(id: string, files: Files, opts: Parameters<typeof evaluateFiles>[1] = {}): string[] {
  const all = evaluateFiles(files, opts).findings;
  expect(all.filter((f) => f.ruleId === RULE_ERROR)).toEqual([]);
  return all.filter((f) => f.ruleId === id).map((f) => `${f.severity} ${f.file}:${f.line}${f.column ? `:${f.column}` : ''} ${f.message}`);
}

/** 1-based line of the first line of `text` that contains `needle`. */
function lineOf(text: string, needle: string): number {
  const i = text.split('\n').findIndex((l) => l.includes(needle));
  if (i < 0) throw new Error(`${needle} not in text`);
  return i + 1;
}

const HEADING = lineOf(decisionDoc(), '## Current Decision State');

describe('admission/filename-mismatch', () => {
  const id = 'admission/filename-mismatch';

  it('points at the model line when the name has the right provider but another model', () => {
    const file = admissionPath('qwen-local', 'qwen3.7');
    expect(findings(id, localTree({ [file]: admissionJson() }))).toEqual([
      `error ${file}:${lineOf(admissionJson(), '"model"')} file name CTO-CASE-MODEL-PROVIDER-ADMISSION.qwen-local-qwen3.7.json should end in ADMISSION.qwen-local-qwen3.6-35b-a3b.json to name the pair it admits`,
    ]);
  });

  it('points at the provider line when the name has another provider', () => {
    const file = admissionPath('vllm', 'qwen3.6-35b-a3b');
    expect(findings(id, localTree({ [file]: admissionJson() }))).toEqual([
      `error ${file}:${lineOf(admissionJson(), '"provider"')} file name CTO-CASE-MODEL-PROVIDER-ADMISSION.vllm-qwen3.6-35b-a3b.json should end in ADMISSION.qwen-local-qwen3.6-35b-a3b.json to name the pair it admits`,
    ]);
  });

  it('leaves an admission that does not validate to admission/invalid, whatever its name', () => {
    const file = '.sot/CTO-ADMISSION.json';
    const files = localTree({ [file]: admissionJson({ model: undefined }) });
    expect(findings(id, files)).toEqual([]);
    expect(findings('admission/invalid', files)).toEqual([`error ${file}:1 missing required key "model"`]);
    // The same name with a valid body is reported.
    expect(findings(id, localTree({ [file]: admissionJson() }))).toHaveLength(1);
  });

  it('requires the name to end in .json right after the pair, when the globs admit other endings', () => {
    const config = { 'admission-files': ['**/*ADMISSION*'] };
    const bak = `${QWEN}.bak`;
    expect(findings(id, { [DECISION_PATH]: decisionDoc(), [bak]: admissionJson() }, { config })).toEqual([
      `error ${bak}:${lineOf(admissionJson(), '"provider"')} file name CTO-CASE-MODEL-PROVIDER-ADMISSION.qwen-local-qwen3.6-35b-a3b.json.bak should end in ADMISSION.qwen-local-qwen3.6-35b-a3b.json to name the pair it admits`,
    ]);
    expect(findings(id, localTree(), { config })).toEqual([]);
  });
});

describe('admission/forbidden-provider', () => {
  const id = 'admission/forbidden-provider';
  const msg = (cls: string) => `error ${ANTHROPIC}:${lineOf(anthropicAdmission(), '"provider"')} anthropic / claude-sonnet-4-6 is on the deny list and the decision does not approve provider class ${cls}`;
  const anthropicDecision = (fields: Record<string, string | null> = {}) =>
    decisionDoc({ ...EXTERNAL_DECISION, provider_class: '`external_anthropic`', provider: '`anthropic`', model: '`claude-sonnet-4-6`', ...fields });

  it('stays quiet when a decided record approves the provider class', () => {
    expect(findings(id, { [DECISION_PATH]: anthropicDecision(), [ANTHROPIC]: anthropicAdmission() })).toEqual([]);
  });

  it('fires when the record names the class but is not_decided', () => {
    const files = { [DECISION_PATH]: decisionDoc({ ...UNDECIDED, provider_class: '`external_anthropic`' }, []), [ANTHROPIC]: anthropicAdmission() };
    expect(findings(id, files)).toEqual([msg('external_anthropic')]);
  });

  it('fires when the record names the class but its status is not a known decision status', () => {
    expect(findings(id, { [DECISION_PATH]: anthropicDecision({ decision_status: '`approved`' }), [ANTHROPIC]: anthropicAdmission() })).toEqual([msg('external_anthropic')]);
  });

  it('fires when the record names the class but has no decision_status', () => {
    expect(findings(id, { [DECISION_PATH]: anthropicDecision({ decision_status: null }), [ANTHROPIC]: anthropicAdmission() })).toEqual([msg('external_anthropic')]);
  });

  it('fires when the decided record has no provider_class', () => {
    expect(findings(id, { [DECISION_PATH]: anthropicDecision({ provider_class: null }), [ANTHROPIC]: anthropicAdmission() })).toEqual([msg('external_anthropic')]);
  });

  it('matches an admission against every entry of the deny list', () => {
    const config = { 'deny-list': [{ provider: 'vllm', model: 'llama-4' }, { provider: 'anthropic', model: 'claude-sonnet-4-6' }] };
    expect(findings(id, localTree({ [ANTHROPIC]: anthropicAdmission() }), { config })).toEqual([msg('external_anthropic')]);
  });

  it('denies the exact pair only: the same provider with another model, or another provider with the same model, is not denied', () => {
    const opus = admissionPath('anthropic', 'claude-opus-4');
    expect(findings(id, localTree({ [opus]: anthropicAdmission({ model: 'claude-opus-4' }) }))).toEqual([]);
    const codex = admissionPath('openai-codex', 'claude-sonnet-4-6');
    expect(findings(id, localTree({ [codex]: anthropicAdmission({ provider: 'openai-codex' }) }))).toEqual([]);
  });

  it('names an unknown class when the denied provider has none, even if the record has no class either', () => {
    const file = admissionPath('mystery', 'm1');
    const config = { 'deny-list': [{ provider: 'mystery', model: 'm1' }] };
    const files = { [DECISION_PATH]: decisionDoc({ provider_class: null }), [file]: admissionJson({ provider: 'mystery', model: 'm1' }) };
    expect(findings(id, files, { config })).toEqual([
      `error ${file}:${lineOf(admissionJson(), '"provider"')} mystery / m1 is on the deny list and the decision does not approve provider class (unknown class)`,
    ]);
  });
});

describe('admission/not-decided-pair', () => {
  const id = 'admission/not-decided-pair';
  const modelLine = lineOf(admissionJson(), '"model"');
  const providerLine = lineOf(admissionJson(), '"provider"');

  it('points at the model line when the provider is the decision\'s primary provider', () => {
    const file = admissionPath('qwen-local', 'qwen3.7');
    expect(findings(id, localTree({ [file]: admissionJson({ model: 'qwen3.7' }) }))).toEqual([
      `error ${file}:${modelLine} qwen-local / qwen3.7 is not the decision's primary pair (qwen-local / qwen3.6-35b-a3b) nor its fallback pair (openai-codex / gpt-5.5)`,
    ]);
  });

  it('points at the model line when the provider is the decision\'s fallback provider', () => {
    const file = admissionPath('openai-codex', 'gpt-4');
    expect(findings(id, localTree({ [file]: admissionJson({ provider: 'openai-codex', model: 'gpt-4' }) }))).toEqual([
      `error ${file}:${modelLine} openai-codex / gpt-4 is not the decision's primary pair (qwen-local / qwen3.6-35b-a3b) nor its fallback pair (openai-codex / gpt-5.5)`,
    ]);
  });

  it('points at the provider line when the decision does not name the provider', () => {
    const file = admissionPath('vllm', 'qwen3.6-35b-a3b');
    expect(findings(id, localTree({ [file]: admissionJson({ provider: 'vllm' }) }))).toEqual([
      `error ${file}:${providerLine} vllm / qwen3.6-35b-a3b is not the decision's primary pair (qwen-local / qwen3.6-35b-a3b) nor its fallback pair (openai-codex / gpt-5.5)`,
    ]);
  });

  it('says (missing) when the record has no decision_status', () => {
    expect(findings(id, { [DECISION_PATH]: decisionDoc({ decision_status: null }), [QWEN]: admissionJson() })).toEqual([
      `error ${QWEN}:${lineOf(admissionJson(), '"status"')} qwen-local / qwen3.6-35b-a3b is admitted while decision_status is (missing): nothing may run until a decision is made`,
    ]);
  });

  it('says (none) for a primary pair the decided record does not name', () => {
    expect(findings(id, { [DECISION_PATH]: decisionDoc({ provider: null, model: null }), [QWEN]: admissionJson() })).toEqual([
      `error ${QWEN}:${providerLine} qwen-local / qwen3.6-35b-a3b is not the decision's primary pair ((none)) nor its fallback pair (openai-codex / gpt-5.5)`,
    ]);
  });
});

describe('admission/stale', () => {
  const id = 'admission/stale';

  it('fires with (none) when the record has no credential_source_class', () => {
    expect(findings(id, { [DECISION_PATH]: decisionDoc({ credential_source_class: null }), [QWEN]: admissionJson() })).toEqual([
      `error ${QWEN}:${lineOf(admissionJson(), '"credential_source_class"')} credential_source_class "pi-models-json-local-provider-no-secret" of qwen-local / qwen3.6-35b-a3b is not covered by the decision record's "(none)": the record's review trigger fired, review this admission`,
    ]);
  });

  it('leaves a pair the decision does not name to admission/not-decided-pair', () => {
    const file = admissionPath('vllm', 'llama-4');
    const files = localTree({ [file]: admissionJson({ provider: 'vllm', model: 'llama-4', credential_source_class: 'other-credentials' }) });
    expect(findings(id, files)).toEqual([]);
    expect(findings('admission/not-decided-pair', files)).toHaveLength(1);
    // The same credential class on the primary pair is stale.
    expect(findings(id, localTree({ [QWEN]: admissionJson({ credential_source_class: 'other-credentials' }) }))).toHaveLength(1);
  });
});

describe('decision/class-mismatch', () => {
  const id = 'decision/class-mismatch';

  it('reports an empty provider_class as missing, at the Current Decision State heading', () => {
    expect(findings(id, { [DECISION_PATH]: decisionDoc({ provider_class: '``' }) })).toEqual([
      `error ${DECISION_PATH}:${HEADING} local_provider_required needs a provider_class (local_case_compatible)`,
    ]);
  });

  it('lists every allowed class when one is missing', () => {
    expect(findings(id, { [DECISION_PATH]: decisionDoc({ ...EXTERNAL_DECISION, provider_class: null }) })).toEqual([
      `error ${DECISION_PATH}:${HEADING} external_provider_approved needs a provider_class (external_anthropic or external_openai_codex)`,
    ]);
  });

  it('is silent without a decision_status (decision/invalid-status reports that)', () => {
    const files = { [DECISION_PATH]: decisionDoc({ decision_status: null, provider_class: '`external_openai_codex`' }) };
    expect(findings(id, files)).toEqual([]);
    expect(findings('decision/invalid-status', files)).toHaveLength(1);
  });

  it('does not read a missing decision_status as a status named "undefined"', () => {
    const config = {
      vocabularies: {
        'decision-status': ['not_decided', 'undefined', 'local_provider_required'],
        'provider-classes': { undefined: ['external_anthropic'], local_provider_required: ['local_case_compatible'] },
      },
    };
    expect(findings(id, { [DECISION_PATH]: decisionDoc({ decision_status: null }) }, { config })).toEqual([]);
    expect(findings(id, { [DECISION_PATH]: decisionDoc({ decision_status: '`undefined`' }) }, { config })).toHaveLength(1);
  });
});

describe('decision/forbidden-transition', () => {
  const id = 'decision/forbidden-transition';

  it('fires when a decided record moves back to not_decided', () => {
    const head = decisionDoc(UNDECIDED, ['local_provider_required']);
    expect(findings(id, { [DECISION_PATH]: head }, { base: { [DECISION_PATH]: decisionDoc() } })).toEqual([
      `error ${DECISION_PATH}:${lineOf(head, '`decision_status`')} decision_status moved from local_provider_required to not_decided: a decided record may only move to external_provider_approved or local_provider_required`,
    ]);
  });

  it('is silent when the base record had no decision_status', () => {
    expect(findings(id, { [DECISION_PATH]: decisionDoc(UNDECIDED, []) }, { base: { [DECISION_PATH]: decisionDoc({ decision_status: null }) } })).toEqual([]);
  });

  it('fires when the head record lost its decision_status (a withdrawal), at the state heading', () => {
    const files = { [DECISION_PATH]: decisionDoc({ decision_status: null }) };
    expect(findings(id, files, { base: { [DECISION_PATH]: decisionDoc() } })).toEqual([
      `error ${DECISION_PATH}:${HEADING} decision_status was local_provider_required in the base revision, but its Current Decision State has no decision_status: a decided record cannot be withdrawn; it may only move to external_provider_approved or local_provider_required`,
    ]);
    expect(findings('decision/invalid-status', files)).toHaveLength(1);
  });

  it('is silent when the base status was not a decided value', () => {
    const files = { [DECISION_PATH]: decisionDoc(UNDECIDED, ['approved']) };
    expect(findings(id, files, { base: { [DECISION_PATH]: decisionDoc({ decision_status: '`approved`' }) } })).toEqual([]);
  });
});

describe('decision/history-not-updated', () => {
  const id = 'decision/history-not-updated';
  const base = { [DECISION_PATH]: decisionDoc(EXTERNAL_DECISION) };

  it('fires when the status changed without history (contrast)', () => {
    expect(findings(id, { [DECISION_PATH]: decisionDoc({}, ['not_decided']) }, { base })).toHaveLength(1);
  });

  it('is silent when the base record had no decision_status', () => {
    expect(findings(id, { [DECISION_PATH]: decisionDoc({}, ['not_decided']) }, { base: { [DECISION_PATH]: decisionDoc({ decision_status: null }) } })).toEqual([]);
  });

  it('a head record without decision_status (a withdrawal) fires unless its history records the base value', () => {
    expect(findings(id, { [DECISION_PATH]: decisionDoc({ decision_status: null }, ['not_decided']) }, { base })).toHaveLength(1);
    expect(findings(id, { [DECISION_PATH]: decisionDoc({ decision_status: null }, ['not_decided', 'external_provider_approved']) }, { base })).toEqual([]);
  });
});

describe('decision/invalid-status', () => {
  it('reports an empty decision_status as missing, at the Current Decision State heading', () => {
    expect(findings('decision/invalid-status', { [DECISION_PATH]: decisionDoc({ decision_status: '``' }) })).toEqual([
      `error ${DECISION_PATH}:${HEADING} Current Decision State has no decision_status (one of: not_decided, external_provider_approved, local_provider_required)`,
    ]);
  });
});

describe('decision/missing-field and decision/undecided-with-model without a decision_status', () => {
  it('missing-field is silent for a record without decision_status, and fires once it is decided', () => {
    expect(findings('decision/missing-field', { [DECISION_PATH]: decisionDoc({ decision_status: null, approval_source: null }) })).toEqual([]);
    expect(findings('decision/missing-field', { [DECISION_PATH]: decisionDoc({ approval_source: null }) })).toHaveLength(1);
  });

  it('undecided-with-model is silent for a record without decision_status, and fires once it is not_decided', () => {
    expect(findings('decision/undecided-with-model', { [DECISION_PATH]: decisionDoc({ ...UNDECIDED, decision_status: null, model: '`gpt-5.5`' }, []) })).toEqual([]);
    expect(findings('decision/undecided-with-model', { [DECISION_PATH]: decisionDoc({ ...UNDECIDED, model: '`gpt-5.5`' }, []) })).toHaveLength(1);
  });
});

describe('decision/record-missing with a configured record that is absent', () => {
  const id = 'decision/record-missing';
  const config = { 'decision-record': '.sot/nope.md' };

  it('reports at the first SOT file when there is no admission', () => {
    expect(findings(id, { '.sot/notes.md': `${frontMatter()}\n# Notes\n` }, { config })).toEqual([
      'error .sot/notes.md:1 the configured decision record .sot/nope.md was not found among the SOT files',
    ]);
  });

  it('reports at the configured path when the tree is empty', () => {
    expect(findings(id, {}, { config })).toEqual(['error .sot/nope.md:1 the configured decision record .sot/nope.md was not found among the SOT files']);
  });
});

describe('sot/frontmatter-invalid', () => {
  const id = 'sot/frontmatter-invalid';
  const doc = (fm: Record<string, string | null>) => ({ '.sot/a.md': `${frontMatter(fm)}\n# A\n` });
  const at = (line: number, message: string) => `error .sot/a.md:${line} ${message}`;
  const line = (key: string) => lineOf(frontMatter(), `${key}:`);

  it('rejects a date that JavaScript parses but that is not YYYY-MM-DD', () => {
    expect(findings(id, doc({ created: "'+010000-01'" }))).toEqual([at(line('created'), 'front matter created "+010000-01" is not a date (YYYY-MM-DD)')]);
    expect(findings(id, doc({ last_reviewed: "'-000001-01'" }))).toEqual([at(line('last_reviewed'), 'front matter last_reviewed "-000001-01" is not a date (YYYY-MM-DD)')]);
  });

  it('reports an empty key (YAML null) as missing, not as a non-string', () => {
    expect(findings(id, doc({ owner: '' }))).toEqual([at(1, 'front matter lacks required key "owner"')]);
  });

  it('reports a blank string as missing', () => {
    expect(findings(id, doc({ owner: "'   '" }))).toEqual([at(1, 'front matter lacks required key "owner"')]);
  });

  it('reports a missing or blank vocabulary key once, as missing, not also as an unknown value', () => {
    expect(findings(id, doc({ status: null }))).toEqual([at(1, 'front matter lacks required key "status"')]);
    expect(findings(id, doc({ status: "'  '" }))).toEqual([at(1, 'front matter lacks required key "status"')]);
  });

  it('reports a non-string vocabulary key once, as a non-string', () => {
    expect(findings(id, doc({ status: '3' }))).toEqual([at(line('status'), 'front matter "status" must be a string, not number')]);
  });

  it('reports a missing, blank or non-string date once, not also as "not a date"', () => {
    expect(findings(id, doc({ created: null }))).toEqual([at(1, 'front matter lacks required key "created"')]);
    expect(findings(id, doc({ created: "'  '" }))).toEqual([at(1, 'front matter lacks required key "created"')]);
    expect(findings(id, doc({ created: '20260531' }))).toEqual([at(line('created'), 'front matter "created" must be a string, not number')]);
  });
});

describe('sot/hidden-characters', () => {
  const id = 'sot/hidden-characters';

  it('reports the line and column of a look-alike inside a multi-line admission', () => {
    const text = admissionJson({ provider: 'qwen\u2011local' });
    const l = lineOf(text, '"provider"');
    const col = text.split('\n')[l - 1]!.indexOf('\u2011') + 1;
    expect(col).toBeGreaterThan(1);
    expect(findings(id, localTree({ [QWEN]: text }))).toEqual([`error ${QWEN}:${l}:${col} non-ASCII look-alike U+2011 in an identifier: use the ASCII character`]);
  });

  it('reports a BOM that is not at the start of the file', () => {
    expect(findings(id, { '.sot/a.md': '# A\uFEFF\n' })).toEqual(['error .sot/a.md:1:4 hidden character U+FEFF (format character, invisible or zero-width): remove it']);
    expect(findings(id, { '.sot/a.md': '# A\n\uFEFFB\n' })).toEqual(['error .sot/a.md:2:1 hidden character U+FEFF (format character, invisible or zero-width): remove it']);
  });

  it('reports a zero-width space at the very start of the file (only a BOM is allowed there)', () => {
    expect(findings(id, { '.sot/a.md': '\u200B# A\n' })).toEqual(['error .sot/a.md:1:1 hidden character U+200B (format character, invisible or zero-width): remove it']);
  });

  it('reports a U+FEFF even at the very start of the text (the decoder has already removed the real BOM)', () => {
    const ctx = (text: string): RuleContext => ({
      config: configSchema.parse({}),
      sot: [parseMarkdown('.sot/a.md', text, text.split('\n'))],
      admissions: [parseAdmission('x.ADMISSION.json', text)],
      decisionCandidates: [],
      workItems: [],
      unreadable: [],
    });
    const seen = (text: string) => {
      const out: RawFinding[] = [];
      hiddenCharacters.check(ctx(text), (f) => out.push(f));
      return out.map((f) => `${f.file}:${f.line}:${f.column} ${f.message.split(' (')[0]}`);
    };
    expect(seen('{}\n')).toEqual([]);
    expect(seen('\uFEFF{}\n')).toEqual(['.sot/a.md:1:1 hidden character U+FEFF', 'x.ADMISSION.json:1:1 hidden character U+FEFF']);
  });

  it('treats the closing --- line as front matter, where look-alikes are flagged anywhere', () => {
    const fm = frontMatter().replace(/---\n$/, '---\u00A0\n');
    const closing = lineOf(fm, '---\u00A0');
    expect(findings(id, { '.sot/a.md': `${fm}\n# A\n` })).toEqual([`error .sot/a.md:${closing}:4 non-ASCII look-alike U+00A0 in an identifier: use the ASCII character`]);
    // The same character in body prose is not flagged.
    expect(findings(id, { '.sot/a.md': `${frontMatter()}\n# A\n\nText\u00A0here.\n` })).toEqual([]);
  });
});

describe('workitem/blocked-without-blocker', () => {
  it('is silent for a work item without a Status line (workitem/invalid-status reports that)', () => {
    const files = { '.sot/ISSUES.md': issuesDoc('## CTO-WORK-031 - Thing\n\nAcceptance:\n\n- x.\n') };
    expect(findings('workitem/blocked-without-blocker', files)).toEqual([]);
    expect(findings('workitem/invalid-status', files)).toHaveLength(1);
  });
});
