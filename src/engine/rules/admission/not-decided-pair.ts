import { admissionJson, admissionPath, DECISION_PATH, decisionDoc, localTree, UNDECIDED } from '../fixtures.js';
import { fallbackPair, primaryPair } from '../../parse/decision.js';
import { sameId } from '../../identity.js';
import type { Rule } from '../rule.js';
import { admittedCases, pairText } from './pairs.js';

export const notDecidedPair: Rule = {
  id: 'admission/not-decided-pair',
  defaultSeverity: 'error',
  summary: 'An admitted pair is neither the decision\'s primary nor its fallback pair, or the decision is not_decided.',
  description:
    'Nothing runs without an admitted pair, and an admission must match the decision. An admission whose provider/model is not the decision record\'s primary pair (provider/model) or fallback pair (fallback_provider/fallback_model) admits something nobody decided; any admitted pair while the decision is `not_decided` (or has no valid status) admits something while nothing may run. An admission with `"role": "fallback"` must be the fallback pair.',
  examples: {
    fire: [
      { description: 'a third pair', files: localTree({ [admissionPath('vllm', 'llama-4')]: admissionJson({ provider: 'vllm', model: 'llama-4' }) }) },
      { description: 'admitted while undecided', files: { [DECISION_PATH]: decisionDoc(UNDECIDED, []), [admissionPath('qwen-local', 'qwen3.6-35b-a3b')]: admissionJson() } },
      { description: 'role fallback on the primary pair', files: localTree({ [admissionPath('qwen-local', 'qwen3.6-35b-a3b')]: admissionJson({ role: 'fallback' }) }) },
    ],
    quiet: [
      { description: 'the primary pair', files: localTree() },
      { description: 'a revoked third pair admits nothing', files: localTree({ [admissionPath('vllm', 'llama-4')]: admissionJson({ provider: 'vllm', model: 'llama-4', status: 'revoked' }) }) },
    ],
  },
  check(ctx, report) {
    const decided = ctx.config.vocabularies['decision-status'].filter((s) => s !== 'not_decided');
    for (const c of admittedCases(ctx)) {
      // Point at the key that differs: the model when the provider is one the decision names.
      const knownProvider = [primaryPair(c.decision), fallbackPair(c.decision)].some((p) => sameId(p?.provider, c.value.provider));
      const line = (knownProvider ? c.doc.keyLines.model : c.doc.keyLines.provider) ?? 1;
      const pair = pairText(c.value);
      if (!decided.includes(c.status)) {
        report({ file: c.doc.file, line: c.doc.keyLines.status ?? 1, message: `${pair} is admitted while decision_status is ${c.status || '(missing)'}: nothing may run until a decision is made` });
      } else if (c.position === 'none') {
        report({
          file: c.doc.file,
          line,
          message: `${pair} is not the decision's primary pair (${pairText(primaryPair(c.decision))}) nor its fallback pair (${pairText(fallbackPair(c.decision))})`,
        });
      } else if (c.value.role === 'fallback' && c.position === 'primary') {
        report({ file: c.doc.file, line: c.doc.keyLines.role ?? line, message: `${pair} is admitted as fallback but it is the decision's primary pair` });
      }
    }
  },
};
