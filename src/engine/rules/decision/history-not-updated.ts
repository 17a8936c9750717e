import { DECISION_PATH, decisionDoc, EXTERNAL_DECISION } from '../fixtures.js';
import type { Rule } from '../rule.js';

export const historyNotUpdated: Rule = {
  id: 'decision/history-not-updated',
  defaultSeverity: 'error',
  summary: 'decision_status changed but Decision History does not record the previous value.',
  description:
    'When decision_status changes against the base revision, the `## Decision History` section must record the previous value as a `- \\`decision_status\\`: \\`previous\\`.` bullet, so the record keeps its own audit trail.',
  examples: {
    fire: [
      { description: 'external to local without history', base: { [DECISION_PATH]: decisionDoc(EXTERNAL_DECISION) }, files: { [DECISION_PATH]: decisionDoc({}, ['not_decided']) } },
    ],
    quiet: [
      { description: 'external to local with history', base: { [DECISION_PATH]: decisionDoc(EXTERNAL_DECISION) }, files: { [DECISION_PATH]: decisionDoc({}, ['not_decided', 'external_provider_approved']) } },
      { description: 'unchanged status', base: { [DECISION_PATH]: decisionDoc() }, files: { [DECISION_PATH]: decisionDoc({ model: '`qwen3.7`' }) } },
    ],
  },
  check(ctx, report) {
    const before = ctx.base?.decision?.fields.get('decision_status')?.value;
    const d = ctx.decision;
    const after = d?.fields.get('decision_status')?.value;
    if (!d || !before || !after || before === after) return;
    if (d.history.some((h) => h.value === before)) return;
    report({
      file: d.file,
      line: d.historyLine ?? d.line,
      message: `decision_status changed from ${before} to ${after} but Decision History does not record \`decision_status\`: \`${before}\``,
    });
  },
};
