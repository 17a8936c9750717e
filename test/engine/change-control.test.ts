/**
 * Change control over the protected surface (engine, pure): every class of change a hostile pull request used to slip
 * past the eight state fields, each both ways; the three-way tree merge that judges a stale branch by what it would
 * land; and the `changed` scope that keeps findings whose meaning the pull request changed.
 */
import { describe, expect, it } from 'vitest';
import { mergeTrees, protectedChanges, type ProtectedChange } from '../../src/engine/change-control.js';
import { evaluate } from '../../src/engine/check.js';
import { configSchema } from '../../src/engine/config.js';
import { unapprovedChangeRule } from '../../src/engine/rules/decision/unapproved-change.js';
import { admissionJson, admissionPath, DECISION_PATH, decisionDoc, ISSUES_PATH, issuesDoc, localTree } from '../../src/engine/rules/fixtures.js';
import { toInput, type Files } from '../helpers/tree.js';

const QWEN = admissionPath('qwen-local', 'qwen3.6-35b-a3b');
const CODEX = admissionPath('openai-codex', 'gpt-5.5');
const ISSUES = issuesDoc('### CTO-WORK-001\n\nStatus: open\n');
const BASE: Files = localTree({ [ISSUES_PATH]: ISSUES });
const cfg = (raw: Record<string, unknown> = {}) => configSchema.parse(raw);
const changes = (head: Files, base: Files = BASE, raw: Record<string, unknown> = {}, renames?: Array<{ from: string; to: string }>): ProtectedChange[] =>
  protectedChanges({ base: toInput(base, cfg(raw)), head: toInput(head, cfg(raw)), config: cfg(raw), ...(renames ? { renames } : {}) });
const lineOf = (text: string, needle: string) => text.split('\n').findIndex((l) => l.includes(needle)) + 1;

/** decision/unapproved-change findings of evaluating head against base, without an approval. */
function unapproved(head: Files, base: Files = BASE) {
  const config = cfg();
  return evaluate({ files: toInput(head), base: toInput(base), config, extraRules: [unapprovedChangeRule({ approvers: ['jp'], reason: 'no approving review yet' })], today: '2026-11-21' }).findings
    .filter((f) => f.ruleId === 'decision/unapproved-change')
    .map((f) => ({ ruleId: f.ruleId, file: f.file, line: f.line, message: f.message }));
}

describe('protectedChanges: the decision record is protected as a whole', () => {
  it('approval_source rewritten: fires at its line, naming the field', () => {
    const head = decisionDoc({ approval_source: 'anyone may approve' });
    expect(changes({ ...BASE, [DECISION_PATH]: head })).toEqual([
      { file: DECISION_PATH, surface: 'decision-record', change: 'modified', fields: ['approval_source'], line: lineOf(head, '`approval_source`') },
    ]);
    const [f] = unapproved({ ...BASE, [DECISION_PATH]: head });
    expect(f).toMatchObject({ ruleId: 'decision/unapproved-change', file: DECISION_PATH, line: lineOf(head, '`approval_source`') });
    expect(f!.message).toMatch(/^this pull request changes the decision record \(decision state: approval_source\): it needs an approving review on the current head commit from one of @jp/);
  });

  it('review_trigger set to "never": fires at its line', () => {
    const head = decisionDoc({ review_trigger: 'never' });
    expect(unapproved({ ...BASE, [DECISION_PATH]: head })).toEqual([expect.objectContaining({ file: DECISION_PATH, line: lineOf(head, '`review_trigger`') })]);
  });

  it('governance prose edited outside the state fields: fires at the first changed line', () => {
    const before = BASE[DECISION_PATH] as string;
    const head = `${before}\nOnly JP or a governed Core route may change this record.\n`;
    const base = { ...BASE, [DECISION_PATH]: head };
    const edited = head.replace('Only JP or a governed Core route may change this record.', 'Anyone may change this record.');
    const [c] = changes({ ...BASE, [DECISION_PATH]: edited }, base);
    expect(c).toEqual({ file: DECISION_PATH, surface: 'decision-record', change: 'modified', line: lineOf(edited, 'Anyone may') });
    expect(unapproved({ ...BASE, [DECISION_PATH]: edited }, base)[0]!.message).toContain('its text outside the state fields');
  });

  it('the Current Decision State heading renamed ("has no decision"): a withdrawal, reported on the record', () => {
    const head = decisionDoc().replace('## Current Decision State', '## Former Decision State');
    const [c] = changes({ ...BASE, [DECISION_PATH]: head });
    expect(c).toMatchObject({ file: DECISION_PATH, change: 'modified', state: 'gone', line: lineOf(head, '## Former Decision State') });
    expect(unapproved({ ...BASE, [DECISION_PATH]: head })[0]!.message).toContain('no longer has a Current Decision State');
  });

  it('the record deleted together with every admission: one finding per file', () => {
    const head: Files = { [ISSUES_PATH]: ISSUES };
    expect(changes(head).map((c) => [c.file, c.surface, c.change])).toEqual([
      [QWEN, 'admissions', 'deleted'],
      [DECISION_PATH, 'decision-record', 'deleted'],
    ]);
    const found = unapproved(head);
    expect(found.map((f) => [f.file, f.line])).toEqual([
      [QWEN, 1],
      [DECISION_PATH, 1],
    ]);
    expect(found.find((f) => f.file === DECISION_PATH)!.message).toContain('deletes the decision record: deleting or withdrawing the decision is a decision change');
  });

  it('a second decision record (a work item gains a Current Decision State) is a change of that file', () => {
    const second = `${ISSUES}\n## Current Decision State\n\n- \`decision_status\`: \`not_decided\`.\n`;
    expect(changes({ ...BASE, [ISSUES_PATH]: second })).toEqual([expect.objectContaining({ file: ISSUES_PATH, surface: 'decision-record', change: 'modified', state: 'new' })]);
    expect(changes({ ...BASE, '.sot/OTHER-RECORD.md': decisionDoc() })).toEqual([expect.objectContaining({ file: '.sot/OTHER-RECORD.md', change: 'added' })]);
  });

  it('a renamed record is one change at the new name, naming the old one', () => {
    const moved = '.sot/03-PROTOCOLS/RECORD.md';
    const head: Files = { ...BASE, [moved]: BASE[DECISION_PATH]! };
    delete head[DECISION_PATH];
    expect(changes(head, BASE, {}, [{ from: DECISION_PATH, to: moved }])).toEqual([
      { file: moved, surface: 'decision-record', change: 'renamed', from: DECISION_PATH, line: 1 },
    ]);
    expect(unapproved(head)[0]).toBeDefined();
  });
});

describe('protectedChanges: admissions, policy, baseline, configured files', () => {
  it('"role": "fallback" added to an admission fires at the first changed line', () => {
    const head = admissionJson({ role: 'fallback' });
    expect(changes({ ...BASE, [QWEN]: head })).toEqual([{ file: QWEN, surface: 'admissions', change: 'modified', line: firstDiff(BASE[QWEN] as string, head) }]);
  });

  it('an admission added, and one renamed, are changes', () => {
    expect(changes({ ...BASE, [CODEX]: admissionJson({ provider: 'openai-codex', model: 'gpt-5.5' }) })).toEqual([expect.objectContaining({ file: CODEX, change: 'added' })]);
  });

  it('a work-item-only edit changes nothing protected (no false red)', () => {
    expect(changes({ ...BASE, [ISSUES_PATH]: issuesDoc('### CTO-WORK-001\n\nStatus: in_progress\n') })).toEqual([]);
    expect(unapproved({ ...BASE, [ISSUES_PATH]: issuesDoc('### CTO-WORK-001\n\nStatus: in_progress\n') })).toEqual([]);
  });

  it('the policy and the baseline are protected through `others`; unchanged ones are not reported', () => {
    const enc = (t: string) => new TextEncoder().encode(t);
    const others = [
      { file: '.github/sot-gate.yml', surface: 'policy' as const, base: enc('approvers: [jp]\n'), head: enc('approvers: [jp, me]\n') },
      { file: 'secrets.baseline', surface: 'baseline' as const, base: enc('[]\n'), head: enc('[]\n') },
      { file: 'new.baseline', surface: 'baseline' as const, head: enc('[]\n') },
    ];
    const found = protectedChanges({ base: toInput(BASE), head: toInput(BASE), config: cfg(), others });
    expect(found.map((c) => [c.file, c.surface, c.change, c.line])).toEqual([
      ['.github/sot-gate.yml', 'policy', 'modified', 1],
      ['new.baseline', 'baseline', 'added', 1],
    ]);
  });

  it('is configurable: change-control.protect narrows it, change-control.files widens it', () => {
    const head = { ...BASE, [QWEN]: admissionJson({ role: 'fallback' }), [ISSUES_PATH]: issuesDoc('### CTO-WORK-001\n\nStatus: in_progress\n') };
    expect(changes(head, BASE, { 'change-control': { protect: ['decision-record'] } })).toEqual([]);
    expect(changes(head, BASE, { 'change-control': { files: ['.sot/**/*ISSUES*.md'] } }).map((c) => [c.file, c.surface])).toEqual([
      [ISSUES_PATH, 'files'],
      [QWEN, 'admissions'],
    ]);
    expect(() => cfg({ 'change-control': { protect: ['everything'] } })).toThrow();
  });
});

function firstDiff(a: string, b: string): number {
  const x = a.split('\n');
  const y = b.split('\n');
  return x.findIndex((l, i) => l !== y[i]) + 1;
}

describe('mergeTrees: the tree a pull request would land', () => {
  const t = (files: Files) => toInput(files);
  it("takes the base branch's version where the pull request left a file alone (a stale branch is not blamed)", () => {
    const mergeBase = BASE;
    const main = { ...BASE, [DECISION_PATH]: decisionDoc({ review_trigger: 'monthly' }) };
    const head = { ...BASE, [ISSUES_PATH]: issuesDoc('### CTO-WORK-001\n\nStatus: in_progress\n') };
    const merged = mergeTrees(t(mergeBase), t(main), t(head));
    expect(merged.conflicts).toEqual([]);
    const byPath = Object.fromEntries(merged.files.map((f) => [f.path, new TextDecoder().decode(f.bytes)]));
    expect(byPath[DECISION_PATH]).toBe(main[DECISION_PATH]);
    expect(byPath[ISSUES_PATH]).toBe(head[ISSUES_PATH]);
    // the merged tree compared with the base branch: only the work item changed, nothing protected
    expect(protectedChanges({ base: t(main), head: merged.files, config: cfg() })).toEqual([]);
  });

  it('keeps deletions from either side, and reports a file both sides changed differently as a conflict', () => {
    const main = { ...BASE };
    delete main[QWEN];
    expect(mergeTrees(t(BASE), t(main), t(BASE)).files.map((f) => f.path)).not.toContain(QWEN);
    const a = { ...BASE, [ISSUES_PATH]: issuesDoc('### CTO-WORK-001\n\nStatus: done\n') };
    const b = { ...BASE, [ISSUES_PATH]: issuesDoc('### CTO-WORK-001\n\nStatus: blocked\n') };
    expect(mergeTrees(t(BASE), t(a), t(b)).conflicts).toEqual([ISSUES_PATH]);
    expect(mergeTrees(t(BASE), t(a), t(a)).conflicts).toEqual([]);
  });
});

describe('scope `changed`: a finding the pull request caused is kept on an unchanged file', () => {
  const config = cfg();
  const codexPrimary = admissionJson({ provider: 'openai-codex', model: 'gpt-5.5' });
  const base = { ...BASE, [CODEX]: codexPrimary.replace('"status": "admitted"', '"status": "admitted", "role": "fallback"') };
  // the pull request moves the fallback away from openai-codex: the unchanged codex admission no longer matches
  const head = { ...base, [DECISION_PATH]: decisionDoc({ fallback_provider: '`vllm`', fallback_model: '`qwen3.6-35b-a3b`' }, ['not_decided']) };
  const known = new Set(evaluate({ files: toInput(base), config, today: '2026-11-21' }).findings.map((f) => f.fingerprint!));
  const scoped = (k?: Set<string>) =>
    evaluate({ files: toInput(head), config, base: toInput(base), changed: new Set([ISSUES_PATH]), ...(k ? { known: k } : {}), today: '2026-11-21' }).findings.map((f) => `${f.ruleId} ${f.file}`);

  it('without `known` the old filter drops it; with `known` it is kept', () => {
    expect(scoped()).toEqual([]);
    expect(scoped(known)).toContain(`admission/not-decided-pair ${CODEX}`);
  });

  it('a finding the base branch already had stays out of scope', () => {
    const all = new Set(evaluate({ files: toInput(head), config, today: '2026-11-21' }).findings.map((f) => f.fingerprint!));
    expect(scoped(all)).toEqual([]);
  });
});
