import { admissionJson, admissionPath, DECISION_PATH, decisionDoc, localTree } from '../fixtures.js';
import type { Rule } from '../rule.js';

export const recordMissing: Rule = {
  id: 'decision/record-missing',
  defaultSeverity: 'error',
  summary: 'Admission files exist (or a decision record is configured) but no decision record was found.',
  description:
    'An admission must match the decision, so without a decision record nothing can be admitted: sot-gate fails closed instead of passing admissions it cannot check. The decision record is the SOT file with a `## Current Decision State` section, or the file named by `decision-record` in `.github/sot-gate.yml`. A record counts only when its `## Current Decision State` heading is visible content (read as GitHub renders it: not inside an HTML comment or a code block). Two candidate records without that setting are not reported here but by `decision/ambiguous`, which names both.',
  examples: {
    fire: [
      { description: 'an admission with no decision record', files: { [admissionPath('qwen-local', 'qwen3.6-35b-a3b')]: admissionJson() } },
      { description: 'configured record absent', files: localTree(), config: { 'decision-record': '.sot/nope.md' } },
      {
        description: 'an admission whose record has its state heading only inside an HTML comment',
        files: localTree({ [DECISION_PATH]: decisionDoc().replace('## Current Decision State', '<!--\n## Current Decision State\n-->') }),
      },
    ],
    quiet: [
      { description: 'one decision record', files: localTree() },
      { description: 'two records, one configured', files: localTree({ '.sot/other.md': decisionDoc() }), config: { 'decision-record': DECISION_PATH } },
      { description: 'two candidate records (decision/ambiguous reports them)', files: localTree({ '.sot/other.md': decisionDoc() }) },
    ],
  },
  check(ctx, report) {
    const configured = ctx.config['decision-record'];
    if (configured && !ctx.decision) {
      const at = ctx.admissions[0]?.file ?? ctx.sot[0]?.file ?? configured;
      report({ file: at, line: 1, message: `the configured decision record ${configured} was not found among the SOT files` });
      return;
    }
    // Two candidate records are not a missing record: decision/ambiguous names both.
    if (!configured && ctx.decisionCandidates.length > 1) return;
    if (!ctx.decision) {
      for (const a of ctx.admissions) {
        report({ file: a.file, line: 1, message: 'no decision record found (no SOT file has a "## Current Decision State"): nothing can be admitted' });
      }
    }
  },
};
