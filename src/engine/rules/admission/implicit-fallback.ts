import { admissionJson, admissionPath, localTree } from '../fixtures.js';
import type { Rule } from '../rule.js';
import { admittedCases, pairText } from './pairs.js';

const CODEX = admissionPath('openai-codex', 'gpt-5.5');
const codex = (extra: Record<string, unknown>) =>
  admissionJson({
    provider: 'openai-codex',
    model: 'gpt-5.5',
    credential_source_class: 'codex-oauth-fallback',
    allowed_network_class: 'codex-oauth-fallback',
    ...extra,
  });

export const implicitFallback: Rule = {
  id: 'admission/implicit-fallback',
  defaultSeverity: 'error',
  summary: 'The decision\'s fallback pair is admitted without "role": "fallback".',
  description:
    'The seeds: a fallback counts only when explicit ("Fallback to `openai-codex` with `gpt-5.5` must be explicit in admission evidence before it may count as a Case provider/model path"). An admission of the fallback pair must say `"role": "fallback"`; without it the harness would treat the fallback as a primary path.',
  examples: {
    fire: [{ description: 'fallback pair without role', files: localTree({ [CODEX]: codex({}) }) }],
    quiet: [
      { description: 'fallback pair with role fallback', files: localTree({ [CODEX]: codex({ role: 'fallback' }) }) },
      { description: 'primary pair without role', files: localTree() },
    ],
  },
  check(ctx, report) {
    for (const c of admittedCases(ctx)) {
      if (c.position === 'fallback' && c.value.role !== 'fallback') {
        report({
          file: c.doc.file,
          line: c.doc.keyLines.role ?? c.doc.keyLines.provider ?? 1,
          message: `${pairText(c.value)} is the decision's fallback pair but the admission does not say "role": "fallback" (a fallback counts only when explicit)`,
        });
      }
    }
  },
};
