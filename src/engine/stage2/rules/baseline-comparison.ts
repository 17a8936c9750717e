import { BASELINE, FIXTURE, passRun, report as reportJson, RUN_ID, T } from './fixtures.js';
import { keyLine, reportFile } from './pair.js';
import type { EvidenceRule } from './rule.js';

/** ISO 8601 date-time with a time zone (`2026-06-01T02:01:17Z`, `…+02:00`): anything else cannot be ordered. */
const ISO = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d{1,9})?(?:Z|[+-]\d{2}:\d{2})$/;

function instant(v: unknown): number | undefined {
  if (typeof v !== 'string' || !ISO.test(v)) return undefined;
  const t = Date.parse(v);
  return Number.isFinite(t) ? t : undefined;
}

const base = (b: Record<string, unknown>) => passRun({ 'report.json': reportJson({ baseline: { ...BASELINE, ...b } }) });

export const baselineComparison: EvidenceRule = {
  id: 'evidence/baseline-comparison',
  defaultSeverity: 'error',
  summary: 'The same-run fake baseline does not compare with the Case run: another run or fixture, not completed, not passed, or out of order.',
  description:
    '"Same-run fake baseline comparison remains required" (CTO-WORK-020): the baseline is compared, not only present. Whenever a report needs a baseline (status `pass`, or `case_process_started: true`; evidence/baseline-missing fires when there is none), all of these must hold. ' +
    '(1) Same run: `baseline.run_id` and the report\'s `run_id` are both present and equal. ' +
    '(2) Same fixture: `baseline.case` and the report\'s `case` are both present and equal (evidence/fixture-not-allowed checks that the fixture is an allowed one). ' +
    '(3) Completed: `baseline.started_at` and `baseline.finished_at` are present. ' +
    '(4) Ordered: the report\'s `started_at`, `baseline.started_at`, `baseline.finished_at` and the report\'s `finished_at` are ISO 8601 date-times with a time zone, in that order (each not after the next): the baseline ran inside this harness run. ' +
    '(5) Passed, for a Case pass: a report with `status: pass` needs `baseline.status: pass` (a Case pass next to a failing baseline on the same fixture proves nothing about the fixture). A Case `fail` may sit next to any baseline status. ' +
    'The message names the first field that breaks the comparison, at the `baseline` key\'s line. Fix the harness: run the fake lane first, in the same run directory, on the same fixture, and record its run id, fixture and times.',
  examples: {
    fire: [
      { description: 'a failed baseline next to a Case pass', files: base({ status: 'fail', failure_reason: 'fixture tests fail' }) },
      { description: 'a baseline on another fixture', files: base({ case: 'r2-array-chunk' }) },
      { description: 'a baseline without run id', files: base({ run_id: undefined }) },
      { description: 'a report without run id', files: passRun({ 'report.json': reportJson({ run_id: undefined, baseline: { ...BASELINE, run_id: undefined } }) }) },
      { description: 'a baseline that never finished', files: base({ finished_at: undefined }) },
      { description: 'a baseline finished after the report', files: base({ finished_at: '2026-06-01T03:00:00Z' }) },
      { description: 'a baseline started before the run', files: base({ started_at: '2026-05-31T23:00:00Z' }) },
      { description: 'a time without a time zone', files: base({ started_at: '2026-06-01T02:01:18' }) },
    ],
    quiet: [
      { description: 'a pass with its same-run, same-fixture, passed, ordered baseline', files: passRun() },
      { description: 'a Case fail next to a failed baseline', files: passRun({ 'report.json': reportJson({ status: 'fail', failure_reason: 'agent-protocol-error', baseline: { ...BASELINE, status: 'fail', failure_reason: 'x' } }) }) },
      { description: 'equal times (a fast fake lane)', files: base({ started_at: T.runStart, finished_at: T.runStart }) },
      { description: 'a blocked run needs no baseline', files: passRun({ 'report.json': reportJson({ status: 'blocked', case_process_started: false, failure_reason: 'x', baseline: undefined, run_id: RUN_ID, case: FIXTURE }) }) },
    ],
  },
  check(ctx, report) {
    const r = ctx.report.present ? ctx.report.value : undefined;
    if (!r || !r.baseline || (r.status !== 'pass' && r.case_process_started !== true)) return;
    const b = r.baseline;
    const file = reportFile(ctx);
    const line = keyLine(ctx, 'baseline');
    const problems: string[] = [];
    if (!r.run_id || !b.run_id) problems.push(`the run ids cannot be compared (${!r.run_id ? 'the report has no run_id' : 'the baseline has no run_id'})`);
    else if (b.run_id !== r.run_id) problems.push(`baseline.run_id ${b.run_id} is not this run's ${r.run_id}`);
    if (!r.case || !b.case) problems.push(`the fixtures cannot be compared (${!r.case ? 'the report has no case' : 'the baseline has no case'})`);
    else if (b.case !== r.case) problems.push(`the baseline ran fixture ${b.case}, the Case run ${r.case}`);
    if (b.started_at === undefined || b.finished_at === undefined) problems.push(`the baseline did not complete (no ${b.started_at === undefined ? 'started_at' : 'finished_at'})`);
    else {
      const times: Array<[string, unknown]> = [
        ['started_at', r.started_at],
        ['baseline.started_at', b.started_at],
        ['baseline.finished_at', b.finished_at],
        ['finished_at', r.finished_at],
      ];
      const bad = times.find(([, v]) => instant(v) === undefined);
      if (bad) problems.push(`${bad[0]} is ${bad[1] === undefined ? 'missing' : 'not an ISO 8601 date-time with a time zone'}: the baseline cannot be placed inside this run`);
      else {
        for (let i = 0; i + 1 < times.length; i++) {
          const [a, av] = times[i]!;
          const [c, cv] = times[i + 1]!;
          if (instant(av)! > instant(cv)!) {
            problems.push(`${a} (${String(av)}) is after ${c} (${String(cv)}): the baseline did not run inside this run`);
            break;
          }
        }
      }
    }
    if (r.status === 'pass' && b.status !== 'pass') problems.push(`the baseline's status is ${b.status}: a Case pass needs a passing same-run baseline on the same fixture`);
    for (const p of problems) report({ file, line, message: `same-run fake baseline: ${p}` });
  },
};
