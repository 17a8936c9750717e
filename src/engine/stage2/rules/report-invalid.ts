import { passRun, report as reportJson } from './fixtures.js';
import { reportFile } from './pair.js';
import type { EvidenceRule } from './rule.js';

const MAX = 20;

export const reportInvalid: EvidenceRule = {
  id: 'evidence/report-invalid',
  defaultSeverity: 'error',
  summary: 'report.json is not valid JSON or does not match the evidence report schema.',
  description:
    'report.json must be one strict JSON object (no comments, no trailing commas, no duplicate keys: `JSON.parse` keeps the last of two keys while another reader keeps the first) that matches schemas/evidence-report.schema.json: `status` is `pass`, `fail` or `blocked`; `case_process_started` is a boolean; `case_model_admission_status` is one of `admitted`, `missing_admission`, `mismatch`, `invalid_admission`, `not_admitted`; a `fail` or `blocked` report says why in `failure_reason`; a `baseline`, when present, has `backend: "fake"` and a status. Fix the harness so that it writes the documented format.',
  examples: {
    fire: [
      { description: 'not JSON', files: passRun({ 'report.json': '{"status": "pass",' }) },
      { description: 'unknown status', files: passRun({ 'report.json': reportJson({ status: 'passed' }) }) },
      { description: 'duplicate key', files: passRun({ 'report.json': '{"status":"fail","status":"pass","backend":"case","case_process_started":true,"case_model_provider":"qwen-local","case_model":"qwen3.6-35b-a3b","case_model_admission_status":"admitted"}' }) },
      { description: 'a fail without failure_reason', files: passRun({ 'report.json': reportJson({ status: 'fail', failure_reason: null }) }) },
    ],
    quiet: [
      { description: 'a passing run', files: passRun() },
      { description: 'extra fields of the harness are allowed', files: passRun({ 'report.json': reportJson({ diff_lines: 12 }) }) },
    ],
  },
  check(ctx, report) {
    if (!ctx.report.present) return;
    const problems = ctx.report.problems;
    for (const p of problems.slice(0, MAX)) report({ file: reportFile(ctx), line: p.line, ...(p.column ? { column: p.column } : {}), message: p.message });
    if (problems.length > MAX) report({ file: reportFile(ctx), line: 1, message: `and ${problems.length - MAX} more problems` });
  },
};
