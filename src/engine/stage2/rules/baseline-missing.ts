import { blockedRun, passRun, report as reportJson } from './fixtures.js';
import { keyLine, reportFile } from './pair.js';
import type { EvidenceRule } from './rule.js';

export const baselineMissing: EvidenceRule = {
  id: 'evidence/baseline-missing',
  defaultSeverity: 'error',
  summary: 'A run that started Case (or passed) has no same-run fake baseline.',
  description:
    '"Same-run fake baseline comparison remains required" (CTO-WORK-020) and the route "keeps fake as the default validation lane" (local provider route PRD). A report whose status is `pass`, or whose `case_process_started` is `true`, must carry `baseline` with `backend: "fake"` and the baseline\'s status; when both the report and the baseline have a `run_id`, they must be equal (the baseline of another run is no comparison). A run blocked before Case started needs no baseline. Fix: run the fake lane in the same harness run and record it under `baseline`.',
  examples: {
    fire: [
      { description: 'a pass without baseline', files: passRun({ 'report.json': reportJson({ baseline: undefined }) }) },
      { description: 'the baseline of another run', files: passRun({ 'report.json': reportJson({ baseline: { backend: 'fake', status: 'pass', run_id: '20260531T235421Z-r1-string-slugify-1875638' } }) }) },
      { description: 'a fail that started Case without baseline', files: passRun({ 'report.json': reportJson({ status: 'fail', failure_reason: 'x', baseline: undefined }) }) },
    ],
    quiet: [
      { description: 'a pass with its baseline', files: passRun() },
      { description: 'a baseline without run id', files: passRun({ 'report.json': reportJson({ baseline: { backend: 'fake', status: 'pass' } }) }) },
      { description: 'a blocked run', files: blockedRun() },
    ],
  },
  check(ctx, report) {
    const r = ctx.report.present ? ctx.report.value : undefined;
    if (!r || (r.status !== 'pass' && r.case_process_started !== true)) return;
    if (!r.baseline) {
      report({ file: reportFile(ctx), line: keyLine(ctx, 'status'), message: `no same-run fake baseline (baseline with backend fake) in a ${r.status} report where Case ${r.case_process_started ? 'started' : 'passed'}` });
      return;
    }
    if (r.run_id && r.baseline.run_id && r.baseline.run_id !== r.run_id) {
      report({ file: reportFile(ctx), line: keyLine(ctx, 'baseline'), message: `the baseline belongs to run ${r.baseline.run_id}, not to this run ${r.run_id}: the comparison must be same-run` });
    }
  },
};
