import { inDir } from '../context.js';
import { blockedRun, PASS_TRACE, passRun, trace } from './fixtures.js';
import type { EvidenceRule } from './rule.js';

const MAX = 20;

export const traceInvalid: EvidenceRule = {
  id: 'evidence/trace-invalid',
  defaultSeverity: 'error',
  summary: 'trace.jsonl is missing, or a line is not a JSON object with an event name.',
  description:
    'trace.jsonl is the ordered record the other evidence rules read (admission check before `case_process_started`, no model outside the admitted pair). Each non-empty line must be one JSON object with a string `event`; a bad line is reported at its line number, since a line the rules cannot read could hide a start or a fallback. A run directory with a report but no trace.jsonl fires too. Fix the harness so that it writes one JSON object per line (JSON Lines).',
  examples: {
    fire: [
      { description: 'a truncated line', files: passRun({ 'trace.jsonl': trace([...PASS_TRACE.slice(0, 2), '{"event":"case_model_admission_checked"', ...PASS_TRACE.slice(2)]) }) },
      { description: 'no event name', files: passRun({ 'trace.jsonl': trace([...PASS_TRACE, '{"ts":"2026-06-01T02:01:17Z"}']) }) },
      { description: 'no trace', files: passRun({ 'trace.jsonl': undefined }) },
    ],
    quiet: [
      { description: 'a passing run', files: passRun() },
      { description: 'a blocked run', files: blockedRun() },
    ],
  },
  check(ctx, report) {
    const file = inDir(ctx, 'trace.jsonl');
    if (!ctx.trace.present) {
      if (ctx.report.present) report({ file, line: 1, message: 'no trace.jsonl next to report.json: the run order and the models used cannot be verified' });
      return;
    }
    for (const p of ctx.trace.problems.slice(0, MAX)) report({ file, line: p.line, message: p.message });
    if (ctx.trace.problems.length > MAX) report({ file, line: 1, message: `and ${ctx.trace.problems.length - MAX} more bad lines` });
  },
};
