import { DECISION_PATH, decisionDoc } from '../fixtures.js';
import type { Rule } from '../rule.js';

export const invalidStatus: Rule = {
  id: 'decision/invalid-status',
  defaultSeverity: 'error',
  summary: 'decision_status is missing or not one of not_decided, external_provider_approved, local_provider_required.',
  description:
    'The decision record\'s `decision_status` is the switch every other rule reads. It must be one of the configured statuses (by default `not_decided`, `external_provider_approved`, `local_provider_required`), written as `- \\`decision_status\\`: \\`value\\`.` in `## Current Decision State`.',
  examples: {
    fire: [
      { description: 'unknown status', files: { [DECISION_PATH]: decisionDoc({ decision_status: '`approved`' }) } },
      { description: 'status missing', files: { [DECISION_PATH]: decisionDoc({ decision_status: null }) } },
    ],
    quiet: [
      { description: 'local_provider_required', files: { [DECISION_PATH]: decisionDoc() } },
      { description: 'external_provider_approved', files: { [DECISION_PATH]: decisionDoc({ decision_status: '`external_provider_approved`', provider_class: '`external_openai_codex`' }) } },
    ],
  },
  check(ctx, report) {
    const d = ctx.decision;
    if (!d) return;
    const allowed = ctx.config.vocabularies['decision-status'];
    const f = d.fields.get('decision_status');
    if (!f || f.value === '') {
      report({ file: d.file, line: d.line, message: `Current Decision State has no decision_status (one of: ${allowed.join(', ')})` });
    } else if (!allowed.includes(f.value)) {
      report({ file: d.file, line: f.line, message: `decision_status "${f.value}" is not one of: ${allowed.join(', ')}` });
    }
  },
};
