import { DECISION_PATH, decisionDoc, EXTERNAL_DECISION } from '../fixtures.js';
import type { Rule } from '../rule.js';

export const classMismatch: Rule = {
  id: 'decision/class-mismatch',
  defaultSeverity: 'error',
  summary: 'provider_class does not fit decision_status.',
  description:
    '`local_provider_required` needs provider_class `local_case_compatible`; `external_provider_approved` needs `external_anthropic` or `external_openai_codex` (configurable under `vocabularies.provider-classes`). A mismatch means the record approves one route while naming another.',
  examples: {
    fire: [
      { description: 'local status with an external class', files: { [DECISION_PATH]: decisionDoc({ provider_class: '`external_openai_codex`' }) } },
      { description: 'external status with the local class', files: { [DECISION_PATH]: decisionDoc({ ...EXTERNAL_DECISION, provider_class: '`local_case_compatible`' }) } },
      { description: 'decided without a class', files: { [DECISION_PATH]: decisionDoc({ provider_class: null }) } },
    ],
    quiet: [
      { description: 'local/local', files: { [DECISION_PATH]: decisionDoc() } },
      { description: 'external/openai-codex', files: { [DECISION_PATH]: decisionDoc(EXTERNAL_DECISION) } },
    ],
  },
  check(ctx, report) {
    const d = ctx.decision;
    const status = d?.fields.get('decision_status')?.value;
    if (!d || !status) return;
    const classes = ctx.config.vocabularies['provider-classes'];
    const allowed = Object.hasOwn(classes, status) ? classes[status] : undefined;
    if (!allowed) return;
    const cls = d.fields.get('provider_class');
    if (!cls || cls.value === '') {
      report({ file: d.file, line: d.line, message: `${status} needs a provider_class (${allowed.join(' or ')})` });
    } else if (!allowed.includes(cls.value)) {
      report({ file: d.file, line: cls.line, message: `provider_class "${cls.value}" does not fit ${status}: expected ${allowed.join(' or ')}` });
    }
  },
};
