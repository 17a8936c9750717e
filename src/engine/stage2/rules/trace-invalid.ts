import { inDir } from '../context.js';
import { blockedRun, PASS_TRACE, passRun, trace } from './fixtures.js';
import type { EvidenceRule } from './rule.js';

const MAX = 20;

export const traceInvalid: EvidenceRule = {
  id: 'evidence/trace-invalid',
  defaultSeverity: 'error',
  summary: 'trace.jsonl is missing, or a line is not a JSON object with an event name.',
  description:
    'trace.jsonl is the ordered record the other evidence rules read (admission check before `case_process_started`, no model outside the admitted pair). Each non-empty line must be one JSON object with a string `event` and no duplicate key at any level (`{"model":"a","model":"b"}`: `JSON.parse` keeps the last one while another reader keeps the first, so the line says two things); a bad line is reported at its line number, since a line the rules cannot read could hide a start or a fallback. A line longer than 1 MiB is reported without being read (its content is skipped, never held in memory), as is a line nested deeper than 32 levels or naming more than 100 providers/models, and a trace with more lines that name a provider, model or admission event than verify-evidence keeps (10,000 distinct ones): what it cannot read, it does not pass. A run directory with a report but no trace.jsonl fires too. Fix the harness so that it writes one JSON object per line (JSON Lines).',
  examples: {
    fire: [
      { description: 'a truncated line', files: passRun({ 'trace.jsonl': trace([...PASS_TRACE.slice(0, 2), '{"event":"case_model_admission_checked"', ...PASS_TRACE.slice(2)]) }) },
      { description: 'no event name', files: passRun({ 'trace.jsonl': trace([...PASS_TRACE, '{"ts":"2026-06-01T02:01:17Z"}']) }) },
      { description: 'no trace', files: passRun({ 'trace.jsonl': undefined }) },
      { description: 'a line with two "model" keys (JSON.parse would read the last)', files: passRun({ 'trace.jsonl': trace([...PASS_TRACE, '{"event":"llm_request","model":"claude-sonnet-4-6","model":"qwen3.6-35b-a3b"}']) }) },
      { description: 'duplicate keys in a nested object', files: passRun({ 'trace.jsonl': trace([...PASS_TRACE, '{"event":"llm_request","request":{"provider":"anthropic","provider":"qwen-local"}}']) }) },
      { description: 'a line longer than 1 MiB', files: passRun({ 'trace.jsonl': trace([...PASS_TRACE, JSON.stringify({ event: 'llm_response', text: 'x'.repeat(1024 * 1024) })]) }) },
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
    const shown = ctx.trace.problems.slice(0, MAX);
    for (const p of shown) report({ file, line: p.line, message: p.message });
    const more = ctx.trace.problems.length + (ctx.trace.moreProblems ?? 0) - shown.length;
    if (more > 0) report({ file, line: 1, message: `and ${more} more bad lines` });
  },
};
