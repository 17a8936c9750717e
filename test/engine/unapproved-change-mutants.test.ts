/**
 * decision/unapproved-change beyond its examples: which fields count as changed when one side lacks a key, how
 * readDecision finds the record among other files, where the finding points, and its exact messages. The rule is
 * built inside each test (the action builds it per pull request).
 */
import { describe, expect, it } from 'vitest';
import { configSchema } from '../../src/engine/config.js';
import { evaluate } from '../../src/engine/check.js';
import { decisionStateChanges, readDecision, unapprovedChangeRule, type ApprovalState } from '../../src/engine/rules/decision/unapproved-change.js';
import { DECISION_PATH, decisionDoc, EXTERNAL_DECISION, frontMatter, localTree } from '../../src/engine/rules/fixtures.js';
import type { InputFile } from '../../src/engine/tree.js';
import { toInput, type Files } from '../helpers/tree.js';

const ID = 'decision/unapproved-change';
const config = () => configSchema.parse({});
const NO_REVIEW: ApprovalState = { approvers: ['jp'] };
const NEEDS_JP = 'it needs an approving review on the current head commit from one of @jp';

/** Every finding of the rule as `severity file:line message`; fails when any rule threw. */
function run(approval: ApprovalState, files: Files, base?: Files): string[] {
  const all = evaluate({ files: toInput(files), config: config(), ...(base ? { base: toInput(base) } : {}), extraRules: [unapprovedChangeRule(approval)], today: '2026-11-21' }).findings;
  expect(all.filter((f) => f.ruleId === 'engine/rule-error')).toEqual([]);
  return all.filter((f) => f.ruleId === ID).map((f) => `${f.severity} ${f.file}:${f.line} ${f.message}`);
}

const record = (text: string) => readDecision(toInput({ [DECISION_PATH]: text }), config());
const lineOf = (text: string, needle: string) => text.split('\n').findIndex((l) => l.includes(needle)) + 1;

describe('decisionStateChanges when one record lacks a key', () => {
  const noFallback = () => record(decisionDoc({ fallback_provider: null, fallback_model: null }));

  it('a key removed or added is a change', () => {
    const full = record(decisionDoc());
    expect(decisionStateChanges(full, noFallback())).toEqual(['fallback_provider', 'fallback_model']);
    expect(decisionStateChanges(noFallback(), full)).toEqual(['fallback_provider', 'fallback_model']);
  });

  it('a missing key and an empty value are the same state', () => {
    const empty = record(decisionDoc({ fallback_provider: '``', fallback_model: '``' }));
    expect(empty?.fields.get('fallback_provider')?.value).toBe('');
    expect(decisionStateChanges(noFallback(), empty)).toEqual([]);
    expect(decisionStateChanges(empty, noFallback())).toEqual([]);
  });
});

describe('readDecision finds the record evaluate() uses', () => {
  const found = (files: InputFile[]) => readDecision(files, config())?.file;

  it('ignores admission files, even one whose text has a Current Decision State', () => {
    const files = toInput(localTree({ 'notes-ADMISSION.json': decisionDoc(EXTERNAL_DECISION) }));
    expect(files.find((f) => f.path === 'notes-ADMISSION.json')?.kind).toBe('admission');
    expect(found(files)).toBe(DECISION_PATH);
  });

  it('ignores SOT files without a Current Decision State', () => {
    expect(found(toInput(localTree({ '.sot/notes.md': `${frontMatter()}\n# Notes\n` })))).toBe(DECISION_PATH);
  });

  it('skips SOT files that could not be read or decoded', () => {
    const files: InputFile[] = [
      ...toInput(localTree({ '.sot/bad.md': new Uint8Array([0x23, 0x20, 0xc3, 0x28, 0x0a]) })),
      { path: '.sot/link.md', kind: 'sot', error: 'is a symbolic link' },
    ];
    expect(found(files)).toBe(DECISION_PATH);
  });

  it('drops the byte order mark like evaluate() does (one, the decoder\'s), and reads the rest unchanged', () => {
    const plain = record(decisionDoc());
    expect(record(`\uFEFF${decisionDoc()}`)).toEqual(plain);
    // A zero-width no-break space inside a value is kept: it makes a different provider.
    const hidden = record(decisionDoc({ provider: '`qwen\uFEFF-local`' }));
    expect(hidden?.fields.get('provider')?.value).toBe('qwen\uFEFF-local');
    expect(decisionStateChanges(plain, hidden)).toEqual(['provider']);
  });
});

describe('decision/unapproved-change findings', () => {
  it('without a base revision, only a policy change is reported', () => {
    expect(run(NO_REVIEW, localTree())).toEqual([]);
    expect(run({ ...NO_REVIEW, configChanged: '.github/sot-gate.yml' }, localTree())).toEqual([
      `error .github/sot-gate.yml:1 this pull request changes the policy file (the check judges it with the base branch's policy): ${NEEDS_JP}`,
    ]);
  });

  it('ends the message with the approvers when no reason is known', () => {
    const head = decisionDoc({ model: '`qwen3.7`' });
    expect(run(NO_REVIEW, { [DECISION_PATH]: head }, { [DECISION_PATH]: decisionDoc() })).toEqual([
      `error ${DECISION_PATH}:${lineOf(head, '`model`')} this pull request changes the decision record (decision state: model): ${NEEDS_JP}`,
    ]);
  });

  it('points at the Current Decision State heading when every changed key was removed', () => {
    const head = decisionDoc({ fallback_provider: null, fallback_model: null });
    expect(run(NO_REVIEW, { [DECISION_PATH]: head }, { [DECISION_PATH]: decisionDoc() })).toEqual([
      `error ${DECISION_PATH}:${lineOf(head, '## Current Decision State')} this pull request changes the decision record (decision state: fallback_provider, fallback_model): ${NEEDS_JP}`,
    ]);
  });

  it('points at the first changed key still present when an earlier one was removed', () => {
    const head = decisionDoc({ provider_class: null, provider: '`vllm`' });
    expect(run(NO_REVIEW, { [DECISION_PATH]: head }, { [DECISION_PATH]: decisionDoc() })).toEqual([
      `error ${DECISION_PATH}:${lineOf(head, '`provider`')} this pull request changes the decision record (decision state: provider_class, provider): ${NEEDS_JP}`,
    ]);
  });

  it('is silent once approved, whatever changed', () => {
    const approved = { approvers: ['jp'], approvedBy: 'jp', configChanged: '.github/sot-gate.yml' };
    expect(run(approved, localTree(), { [DECISION_PATH]: decisionDoc(EXTERNAL_DECISION) })).toEqual([]);
  });
});

describe('decision/unapproved-change examples follow the approval', () => {
  const names = (state: ApprovalState) => {
    const rule = unapprovedChangeRule(state);
    return { fire: rule.examples.fire.map((e) => e.description), quiet: rule.examples.quiet.map((e) => e.description) };
  };
  const CHANGED = 'decision_status and the pairs changed from external to local';
  const POLICY = 'the policy file changed';
  const SURFACE = [
    'approval_source rewritten (any content change of the record counts, not only the eight state fields)',
    'the Current Decision State heading renamed (the record "has no decision")',
    'an admission file changed ("role": "fallback" added)',
    'the decision record and every admission deleted',
  ];
  const UNCHANGED = ['the protected files are unchanged', 'only a work item outside the protected surface changed', 'no base revision (not a pull request)'];

  it('an unapproved policy change has no quiet example: it fires whatever the tree', () => {
    const state = { ...NO_REVIEW, configChanged: '.github/sot-gate.yml' };
    expect(names(state)).toEqual({ fire: [CHANGED, ...SURFACE, POLICY], quiet: [] });
    for (const ex of unapprovedChangeRule(state).examples.fire) expect(run(state, ex.files, ex.base)).not.toEqual([]);
    expect(run(state, localTree())).toHaveLength(1);
  });

  it('without approval and without a policy change, the unchanged trees are quiet', () => {
    expect(names(NO_REVIEW)).toEqual({ fire: [CHANGED, ...SURFACE], quiet: UNCHANGED });
    for (const ex of unapprovedChangeRule(NO_REVIEW).examples.quiet) expect(run(NO_REVIEW, ex.files, ex.base)).toEqual([]);
  });

  it('once approved, the changes are quiet examples too', () => {
    const state = { approvers: ['jp'], approvedBy: 'jp', configChanged: '.github/sot-gate.yml' };
    expect(names(state)).toEqual({ fire: [], quiet: [CHANGED, ...SURFACE, POLICY, ...UNCHANGED] });
    expect(names({ approvers: ['jp'], approvedBy: 'jp' })).toEqual({ fire: [], quiet: [CHANGED, ...SURFACE, ...UNCHANGED] });
  });
});
