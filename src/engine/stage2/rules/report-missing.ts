import { blockedRun, passRun } from './fixtures.js';
import { reportFile } from './pair.js';
import type { EvidenceRule } from './rule.js';

export const reportMissing: EvidenceRule = {
  id: 'evidence/report-missing',
  defaultSeverity: 'error',
  summary: 'The run directory has no report.json.',
  description:
    'Every Stage 2 run directory must hold `report.json` (the Harness Evidence Interface report): it records `status`, `backend`, `case_process_started`, `case_model_provider`, `case_model`, `case_model_admission_status` and `failure_reason` (CTO-WORK-020). A run without a report is no evidence of anything, neither a pass nor a block. Fix: point verify-evidence at the run directory the harness wrote (not its parent), or fix the harness so it always writes the report, also when it fails.',
  examples: {
    fire: [{ description: 'no report.json', files: passRun({ 'report.json': undefined }) }],
    quiet: [
      { description: 'a passing run', files: passRun() },
      { description: 'a blocked run', files: blockedRun() },
    ],
  },
  check(ctx, report) {
    if (ctx.report.present) return;
    report({ file: reportFile(ctx), line: 1, message: `no report.json in the run directory${ctx.report.reason ? ` (${ctx.report.reason})` : ''}: a Stage 2 run without a report is no evidence` });
  },
};
