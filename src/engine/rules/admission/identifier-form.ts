import { admissionJson, admissionPath, localTree } from '../fixtures.js';
import { identifierProblem } from '../../identity.js';
import type { Rule } from '../rule.js';

const KEYS = ['provider', 'model'] as const;

export const admissionIdentifierForm: Rule = {
  id: 'admission/identifier-form',
  defaultSeverity: 'error',
  summary: 'An admission\'s provider or model is not written in its normalised form (lower case, ASCII, no surrounding spaces).',
  description:
    'sot-gate compares providers and models the way a human reads them: on one normalised form (Unicode NFKC, default-ignorable characters removed, lower case, trimmed; see `src/engine/identity.ts`), so `anthropic` / `Claude-Sonnet-4-6` is the deny-listed pair `anthropic` / `claude-sonnet-4-6`. The harness and Case may not: a name that differs from its normalised form can be one pair to sot-gate and another to the tool that runs it. So an admission must write `provider` and `model` exactly in that form, in printable ASCII. Fix: write the name in lower case, as the decision record names it.',
  examples: {
    fire: [
      { description: 'a case variant of the model', files: localTree({ [admissionPath('qwen-local', 'qwen3.6-35b-a3b')]: admissionJson({ model: 'Qwen3.6-35B-A3B' }) }) },
      { description: 'an upper-case provider', files: localTree({ [admissionPath('qwen-local', 'qwen3.6-35b-a3b')]: admissionJson({ provider: 'QWEN-local' }) }) },
    ],
    quiet: [
      { description: 'the seeds\' names', files: localTree() },
      { description: 'a model with a tag after a colon', files: localTree({ [admissionPath('vllm', 'qwen3:30b')]: admissionJson({ provider: 'vllm', model: 'qwen3:30b', status: 'revoked' }) }) },
    ],
  },
  check(ctx, report) {
    for (const a of ctx.admissions) {
      const raw = a.raw;
      if (!raw) continue;
      for (const key of KEYS) {
        const v = Object.hasOwn(raw, key) ? raw[key] : undefined;
        if (typeof v !== 'string') continue;
        const problem = identifierProblem(v);
        if (problem) report({ file: a.file, line: a.keyLines[key] ?? 1, message: `${key} "${v}" ${problem}: write it in its normalised form` });
      }
    }
  },
};
