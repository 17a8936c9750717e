import { EVENTS } from '../vocabulary.js';
import { inDir } from '../context.js';
import { blockedRun, ev, PASS_TRACE, passRun, trace } from './fixtures.js';
import { keyLine, reportFile } from './pair.js';
import type { EvidenceRule } from './rule.js';

const [b1, b2, checked, started, finished] = PASS_TRACE as [string, string, string, string, string];

export const startedBeforeAdmission: EvidenceRule = {
  id: 'evidence/started-before-admission',
  defaultSeverity: 'error',
  summary: 'case_process_started before (or without) the admission check in trace.jsonl.',
  description:
    'The admission gate decides before Case starts: in trace.jsonl a `case_process_started` event must come after a `case_model_admission_checked` event (the one `sot-gate preflight` appends when it admits the pair). A start with no check before it means the run bypassed the gate. A report that says `case_process_started: true` while the trace has no admission check fires too. Fix: run `sot-gate preflight --run-dir <run-dir>` before the harness, in the same run directory.',
  examples: {
    fire: [
      { description: 'started before the check', files: passRun({ 'trace.jsonl': trace([b1, b2, started, checked, finished]) }) },
      { description: 'started with no check at all', files: passRun({ 'trace.jsonl': trace([b1, b2, started, finished]) }) },
      { description: 'the report says started, the trace records neither check nor start', files: passRun({ 'trace.jsonl': trace([b1, b2, ev('case_process_finished')]) }) },
    ],
    quiet: [
      { description: 'check, then start', files: passRun() },
      { description: 'a blocked run never starts', files: blockedRun() },
    ],
  },
  check(ctx, report) {
    let checkedAt: number | undefined;
    let started = false;
    for (const e of ctx.trace.entries) {
      if (e.event === EVENTS.checked && checkedAt === undefined) checkedAt = e.line;
      if (e.event !== EVENTS.processStarted) continue;
      started = true;
      if (checkedAt === undefined) {
        report({ file: inDir(ctx, 'trace.jsonl'), line: e.line, message: 'case_process_started with no case_model_admission_checked before it: the run bypassed the admission gate' });
      }
    }
    const r = ctx.report.present ? ctx.report.value : undefined;
    if (r?.case_process_started === true && ctx.trace.present && !started && checkedAt === undefined) {
      report({ file: reportFile(ctx), line: keyLine(ctx, 'case_process_started'), message: 'the report says case_process_started: true but trace.jsonl records neither the admission check nor the start' });
    }
  },
};
