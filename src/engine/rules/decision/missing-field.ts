import { DECISION_PATH, decisionDoc, UNDECIDED } from '../fixtures.js';
import type { Rule } from '../rule.js';

export const REQUIRED_WHEN_DECIDED = [
  'provider',
  'model',
  'approval_source',
  'credential_source_class',
  'allowed_network_class',
  'review_trigger',
  'evidence_sources',
  'effect',
] as const;

export const missingField: Rule = {
  id: 'decision/missing-field',
  defaultSeverity: 'error',
  summary: 'A decided record lacks a required field.',
  description:
    'Per the CTO-WORK-020 template, a decided record (any status but `not_decided`) names provider, model, approval_source, credential_source_class (a class, never a secret), allowed_network_class, review_trigger, evidence_sources and effect.',
  examples: {
    fire: [
      { description: 'no approval source', files: { [DECISION_PATH]: decisionDoc({ approval_source: null }) } },
      { description: 'empty model', files: { [DECISION_PATH]: decisionDoc({ model: '``' }) } },
    ],
    quiet: [
      { description: 'complete record', files: { [DECISION_PATH]: decisionDoc() } },
      { description: 'undecided record need not name a model', files: { [DECISION_PATH]: decisionDoc(UNDECIDED, []) } },
    ],
  },
  check(ctx, report) {
    const d = ctx.decision;
    const status = d?.fields.get('decision_status')?.value;
    if (!d || !status || status === 'not_decided' || !ctx.config.vocabularies['decision-status'].includes(status)) return;
    for (const key of REQUIRED_WHEN_DECIDED) {
      const f = d.fields.get(key);
      if (!f || f.value === '') report({ file: d.file, line: f?.line ?? d.line, message: `${status} record lacks ${key}` });
    }
  },
};
