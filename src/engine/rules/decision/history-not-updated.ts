import { DECISION_PATH, decisionDoc, EXTERNAL_DECISION } from '../fixtures.js';
import type { Rule } from '../rule.js';
import { withdrawal } from './forbidden-transition.js';

export const historyNotUpdated: Rule = {
  id: 'decision/history-not-updated',
  defaultSeverity: 'error',
  summary: 'decision_status changed but Decision History does not record the previous value.',
  description:
    'When decision_status changes against the base revision, the `## Decision History` section must record the previous value as a `- \\`decision_status\\`: \\`previous\\`.` bullet, so the record keeps its own audit trail. ' +
    'Only visible content of the Decision History section counts, read as GitHub renders it: a bullet inside an HTML comment, a fenced or indented code block or a link reference definition records nothing. ' +
    'A decided base record whose head has no readable state (heading renamed, `decision_status` removed or hidden, record deleted) is a withdrawal: it fires unless the history records the base value.',
  examples: {
    fire: [
      { description: 'external to local without history', base: { [DECISION_PATH]: decisionDoc(EXTERNAL_DECISION) }, files: { [DECISION_PATH]: decisionDoc({}, ['not_decided']) } },
      {
        description: 'the previous value recorded only inside an HTML comment',
        base: { [DECISION_PATH]: decisionDoc(EXTERNAL_DECISION) },
        files: { [DECISION_PATH]: decisionDoc({}, ['not_decided']).replace('Previous state:', 'Previous state:\n\n<!--\n- `decision_status`: `external_provider_approved`.\n-->') },
      },
      {
        description: 'withdrawn: the state heading renamed',
        base: { [DECISION_PATH]: decisionDoc() },
        files: { [DECISION_PATH]: decisionDoc().replace('## Current Decision State', '## Decision State (draft)') },
      },
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
    if (!before || before === after) return;
    if (!d || !after) {
      // A withdrawal of a decided record (no readable state in the head): its history must still record the value.
      if (before === 'not_decided' || d?.history.some((h) => h.value === before)) return;
      const w = withdrawal(ctx);
      report({
        file: w.file,
        line: d?.historyLine ?? w.line,
        message: `decision_status was ${before} in the base revision, but ${w.what}, and no Decision History records \`decision_status\`: \`${before}\``,
      });
      return;
    }
    if (d.history.some((h) => h.value === before)) return;
    report({
      file: d.file,
      line: d.historyLine ?? d.line,
      message: `decision_status changed from ${before} to ${after} but Decision History does not record \`decision_status\`: \`${before}\``,
    });
  },
};
