import { EVENTS } from '../vocabulary.js';
import { inDir } from '../context.js';
import { BLOCKED_TRACE, blockedRun, ev, passRun, report as reportJson, trace } from './fixtures.js';
import { keyLine, reportFile } from './pair.js';
import type { EvidenceRule } from './rule.js';

export const blockedButStarted: EvidenceRule = {
  id: 'evidence/blocked-but-started',
  defaultSeverity: 'error',
  summary: 'A blocked run that still started the Case process.',
  description:
    'A block must happen before `case_process_started` (CTO-WORK-019, -020; Hermes commits f39d8ab and 5db23c7). This fires when report.json says `status: blocked` with `case_process_started: true`, and when trace.jsonl holds a `case_process_started` event in a run that is blocked (report status `blocked`, or a `case_model_admission_blocked` event in the trace). Either the gate ran after Case started, or the harness ignored it: fix the harness so that the preflight\'s failure ends the run.',
  examples: {
    fire: [
      { description: 'report blocked, process started', files: blockedRun({ 'report.json': reportJson({ status: 'blocked', failure_reason: 'local config missing', case_process_started: true, baseline: undefined }) }) },
      { description: 'blocked event, then the process', files: blockedRun({ 'trace.jsonl': trace([...BLOCKED_TRACE, ev('case_process_started')]) }) },
    ],
    quiet: [
      { description: 'a blocked run', files: blockedRun() },
      { description: 'a passing run', files: passRun() },
    ],
  },
  check(ctx, report) {
    const r = ctx.report.present ? ctx.report.value : undefined;
    if (r?.status === 'blocked' && r.case_process_started === true) {
      report({ file: reportFile(ctx), line: keyLine(ctx, 'case_process_started'), message: 'the report is blocked but says case_process_started: true: a block must happen before the Case process starts' });
    }
    const blockedEvent = ctx.trace.entries.find((e) => e.event === EVENTS.blocked);
    if (r?.status !== 'blocked' && !blockedEvent) return;
    for (const e of ctx.trace.entries) {
      if (e.event !== EVENTS.processStarted) continue;
      report({
        file: inDir(ctx, 'trace.jsonl'),
        line: e.line,
        message: blockedEvent
          ? `case_process_started although the admission gate blocked this run (case_model_admission_blocked on line ${blockedEvent.line})`
          : 'case_process_started in a run whose report is blocked',
      });
    }
  },
};
