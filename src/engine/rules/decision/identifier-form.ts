import { DECISION_PATH, decisionDoc } from '../fixtures.js';
import { identifierProblem } from '../../identity.js';
import type { Rule } from '../rule.js';

/** The decision record's fields that name a provider, a model or a provider class. */
const KEYS = ['provider', 'model', 'fallback_provider', 'fallback_model', 'provider_class'] as const;

export const decisionIdentifierForm: Rule = {
  id: 'decision/identifier-form',
  defaultSeverity: 'error',
  summary: 'A provider, model or provider_class in the decision record is not written in its normalised form.',
  description:
    'Providers, models and provider classes are compared on one normalised form (Unicode NFKC, default-ignorable characters removed, lower case, trimmed; see `src/engine/identity.ts`), the way a reviewer reads them. The record\'s `provider`, `model`, `fallback_provider`, `fallback_model` and `provider_class` must be written exactly in that form and in printable ASCII: a name that differs from it (`Claude-Sonnet-4-6`, `qwen\u2011local` with a non-breaking hyphen, a zero-width space inside) can be one pair to sot-gate and another to the harness or Case. Fix: write the name in lower case ASCII, as the admission and the policy name it.',
  examples: {
    fire: [
      { description: 'a case variant of the model', files: { [DECISION_PATH]: decisionDoc({ model: '`Qwen3.6-35B-A3B`' }) } },
      { description: 'a fullwidth provider', files: { [DECISION_PATH]: decisionDoc({ fallback_provider: '`\uFF4Fpenai-codex`' }) } },
      { description: 'a zero-width space in the provider', files: { [DECISION_PATH]: decisionDoc({ provider: '`qwen\u200B-local`' }) } },
    ],
    quiet: [{ description: 'the seeds\' record', files: { [DECISION_PATH]: decisionDoc() } }],
  },
  check(ctx, report) {
    const d = ctx.decision;
    if (!d) return;
    for (const key of KEYS) {
      const f = d.fields.get(key);
      if (!f || f.value === '') continue;
      const problem = identifierProblem(f.value);
      if (problem) report({ file: d.file, line: f.line, message: `${key} "${f.value}" ${problem}: write it in its normalised form` });
    }
  },
};
