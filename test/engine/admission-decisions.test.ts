/**
 * Admission decisions ignore suppression (#11 part 1) and read the whole tree (#11 part 4): preflight's governance
 * check, dispatch's readiness and the action's stage2-ready, each given a result in which a governance error was
 * suppressed (evaluate() never suppresses one; these guard every other producer of a result) or scoped away.
 */
import { describe, expect, it } from 'vitest';
import { isStage2Ready } from '../../src/action/outputs.js';
import { evaluate, treeErrorCount } from '../../src/engine/check.js';
import { DEFAULT_CONFIG } from '../../src/engine/config.js';
import { parseAdmission } from '../../src/engine/parse/admission.js';
import { readDecision } from '../../src/engine/rules/decision/unapproved-change.js';
import { admissionJson, admissionPath, decisionDoc, DECISION_PATH, EXTERNAL_DECISION, ISSUES_PATH, issuesDoc, localTree } from '../../src/engine/rules/fixtures.js';
import { decideAdmission } from '../../src/engine/stage2/preflight.js';
import { stage2Readiness } from '../../src/engine/stage2/dispatch.js';
import type { CheckResult, Finding } from '../../src/engine/types.js';
import { toInput, type Files } from '../helpers/tree.js';

const ANTHROPIC = admissionPath('anthropic', 'claude-sonnet-4-6');
const CODEX = admissionPath('openai-codex', 'gpt-5.5');
const DECIDED = ['external_provider_approved', 'local_provider_required'];
const tree: Files = {
  [DECISION_PATH]: decisionDoc({ ...EXTERNAL_DECISION, provider_class: '`external_anthropic`', provider: '`anthropic`', model: '`claude-sonnet-4-6`', credential_source_class: '`anthropic-api-key-env`', allowed_network_class: '`hosted`' }),
  [ANTHROPIC]: admissionJson({ provider: 'anthropic', model: 'claude-sonnet-4-6', credential_source_class: 'anthropic-api-key-env', allowed_network_class: 'hosted' }),
};
const files = toInput(tree);
const clean = () => evaluate({ files, config: DEFAULT_CONFIG, today: '2026-11-21' });
const suppressedError = (ruleId: string, file: string, line = 3): Finding => ({ ruleId, severity: 'error', file, line, message: 'm', fingerprint: 'ab'.repeat(16), suppressed: { kind: 'baseline', reason: 'accepted' } });
/** A result as some producer other than evaluate() might build it: one error suppressed, no treeErrors. */
const withSuppressed = (f: Finding): CheckResult => {
  const { treeErrors: _t, ...r } = clean();
  void _t;
  return { ...r, suppressed: [f], summary: { ...r.summary, suppressed: 1 } };
};

const env = { CTO_HARNESS_CASE_MODEL_ADMISSION_FILE: ANTHROPIC, CTO_HARNESS_CASE_MODEL_PROVIDER: 'anthropic', CTO_HARNESS_CASE_MODEL: 'claude-sonnet-4-6' };
function preflightWith(result: CheckResult) {
  const doc = parseAdmission(ANTHROPIC, tree[ANTHROPIC] as string);
  return decideAdmission({
    admission: { kind: 'ok', display: ANTHROPIC, abs: `/repo/${ANTHROPIC}`, rel: ANTHROPIC, doc, value: doc.value! },
    env,
    governance: { config: DEFAULT_CONFIG, result, decision: readDecision(files, DEFAULT_CONFIG)! },
  });
}

describe('preflight', () => {
  it('admits the clean anthropic admission the decision names (the control case)', () => {
    expect(preflightWith(clean())).toMatchObject({ status: 'admitted', case_model_provider: 'anthropic' });
  });
  it('a suppressed error on the admission file blocks it, whatever the rule (suppressed or not, it counts)', () => {
    for (const ruleId of ['admission/stale', 'admission/implicit-fallback', 'secret/openai']) {
      const d = preflightWith(withSuppressed(suppressedError(ruleId, ANTHROPIC)));
      expect(d.status, ruleId).toBe('blocked');
      expect(d.case_model_admission_status).toBe('not_admitted');
      expect(d.reason).toContain(`1 error finding, first ${ruleId} at line 3`);
    }
  });
  it('a suppressed governance error on the decision record blocks; a reviewed exposure suppression there does not', () => {
    const gov = preflightWith(withSuppressed(suppressedError('decision/history-not-updated', DECISION_PATH)));
    expect(gov.status).toBe('blocked');
    expect(gov.reason).toContain('first decision/history-not-updated at line 3');
    expect(preflightWith(withSuppressed(suppressedError('secret/openai', DECISION_PATH))).status).toBe('admitted');
  });
});

describe('dispatch readiness and stage2-ready', () => {
  it('are ready on the clean tree (the control case)', () => {
    expect(stage2Readiness(clean(), ANTHROPIC, DECIDED)).toMatchObject({ ready: true, provider: 'anthropic' });
    expect(isStage2Ready(clean(), DECIDED, [ANTHROPIC])).toBe(true);
  });
  it('a suppressed governance error anywhere counts as an error', () => {
    const r = withSuppressed(suppressedError('workitem/invalid-status', ISSUES_PATH));
    expect(treeErrorCount(r)).toBe(1);
    expect(stage2Readiness(r, ANTHROPIC, DECIDED).ready).toBe(false);
    expect(stage2Readiness(r, ANTHROPIC, DECIDED).reasons).toEqual([`sot-gate check reports 1 error finding (first: workitem/invalid-status in ${ISSUES_PATH}:3)`]);
    expect(isStage2Ready(r, DECIDED)).toBe(false);
    // a reviewed suppression of an exposure finding is not an error
    expect(isStage2Ready(withSuppressed(suppressedError('secret/openai', ISSUES_PATH)), DECIDED)).toBe(true);
  });
  it('stage2-ready reads the whole tree: a scope that leaves out the implicit-fallback codex admission does not make it ready', () => {
    const seeds = toInput({
      ...localTree(),
      [CODEX]: admissionJson({ provider: 'openai-codex', model: 'gpt-5.5', credential_source_class: 'pi-models-json-local-provider-no-secret-plus-codex-oauth-fallback', allowed_network_class: 'local-tailscale-vllm-spark1-plus-codex-oauth-fallback' }),
      [ISSUES_PATH]: issuesDoc('## CTO-WORK-1\n\nStatus: open'),
    });
    const scoped = evaluate({ files: seeds, config: DEFAULT_CONFIG, today: '2026-11-21', changed: new Set([ISSUES_PATH]) });
    expect(scoped.summary.errors).toBe(0);
    expect(scoped.admittedPairs.map((p) => p.file)).toEqual([admissionPath('qwen-local', 'qwen3.6-35b-a3b')]);
    expect(isStage2Ready(scoped, DECIDED, [])).toBe(false);
    expect(isStage2Ready(scoped, DECIDED)).toBe(false);
  });
});
