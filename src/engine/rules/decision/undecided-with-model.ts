import { DECISION_PATH, decisionDoc, UNDECIDED } from '../fixtures.js';
import type { Rule } from '../rule.js';

const PAIR_KEYS = ['provider', 'model', 'fallback_provider', 'fallback_model'] as const;

export const undecidedWithModel: Rule = {
  id: 'decision/undecided-with-model',
  defaultSeverity: 'error',
  summary: 'decision_status is not_decided but a provider or model is set.',
  description:
    '`not_decided` means no provider/model may run. A record that is undecided while naming a provider or model (primary or fallback) reads as if something were approved. Leave provider and model empty while blocked.',
  examples: {
    fire: [
      { description: 'undecided with a model', files: { [DECISION_PATH]: decisionDoc({ ...UNDECIDED, model: '`gpt-5.5`' }) } },
      { description: 'undecided with a fallback provider', files: { [DECISION_PATH]: decisionDoc({ ...UNDECIDED, fallback_provider: '`vllm`' }) } },
    ],
    quiet: [
      { description: 'undecided and empty', files: { [DECISION_PATH]: decisionDoc(UNDECIDED, []) } },
      { description: 'undecided with empty code spans', files: { [DECISION_PATH]: decisionDoc({ ...UNDECIDED, provider: '``', model: '' }, []) } },
      { description: 'decided with a model', files: { [DECISION_PATH]: decisionDoc() } },
    ],
  },
  check(ctx, report) {
    const d = ctx.decision;
    if (!d || d.fields.get('decision_status')?.value !== 'not_decided') return;
    for (const key of PAIR_KEYS) {
      const f = d.fields.get(key);
      if (f && f.value !== '') report({ file: d.file, line: f.line, message: `${key} "${f.value}" is set while decision_status is not_decided (nothing may run while undecided)` });
    }
  },
};
