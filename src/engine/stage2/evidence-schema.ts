/**
 * The Stage 2 evidence format: `report.json` of a harness run directory. JSON Schema in
 * schemas/evidence-report.schema.json is generated from this (npx tsx scripts/schemas.ts).
 *
 * Only the fields sot-gate reads are typed; a harness may add more (additional properties are allowed).
 */
import { z } from 'zod';
import { ADMISSION_STATUSES } from './vocabulary.js';

export const REPORT_STATUSES = ['pass', 'fail', 'blocked'] as const;

const text = z.string().max(4000);

export const baselineSchema = z
  .looseObject({
    backend: z.literal('fake').describe('The same-run comparison lane: always the fake backend.'),
    status: z.enum(REPORT_STATUSES).describe('Outcome of the fake baseline on the same fixture in the same run.'),
    run_id: z.string().min(1).max(200).optional().describe('Run id of the baseline: must equal the report run_id (required for the comparison).'),
    case: z.string().min(1).max(200).optional().describe('The fixture the baseline ran: must equal the report case (required for the comparison).'),
    started_at: z.string().max(100).optional().describe('When the baseline started (ISO 8601 with a time zone): not before the report started_at.'),
    finished_at: z.string().max(100).optional().describe('When the baseline finished (ISO 8601 with a time zone): the baseline completed; not after the report finished_at.'),
    failure_reason: text.nullable().optional(),
  })
  .describe('The same-run fake baseline: Stage 2 evidence is compared against it.');

export const evidenceReportSchema = z
  .looseObject({
    $schema: z.string().optional(),
    run_id: z.string().min(1).max(200).optional().describe('Id of this harness run (e.g. 20260601T020117Z-r1-string-slugify-2566310).'),
    case: z.string().min(1).max(200).optional().describe('The copied artificial fixture, e.g. r1-string-slugify.'),
    status: z.enum(REPORT_STATUSES).describe('pass: the agent solved the fixture; fail: it ran and failed; blocked: it was stopped before case_process_started.'),
    backend: z.string().min(1).max(100).describe('Execution backend of this run: `case` for real Stage 2, `fake` for the baseline lane.'),
    case_process_started: z.boolean().describe('Whether the Case process was started. Must be false in a blocked run.'),
    case_model_provider: z.string().max(200).nullable().describe('Provider the run requested / used ("" or null when the request was unset).'),
    case_model: z.string().max(200).nullable().describe('Model the run requested / used.'),
    case_model_admission_status: z.enum(ADMISSION_STATUSES).describe('Verdict of the admission gate for this run.'),
    failure_reason: text.nullable().optional().describe('Why the run failed or was blocked; null or absent for a pass.'),
    baseline: baselineSchema.optional(),
    markers: z.array(z.string().min(1).max(300)).optional().describe('Backend markers written by the run, relative to the run directory.'),
    admission_file: z.string().max(1000).optional().describe('The admission file the run used, as given (informational: verify-evidence reads the admission itself).'),
    started_at: z.string().max(100).optional().describe('When the harness run started (both lanes), ISO 8601 with a time zone.'),
    finished_at: z.string().max(100).optional().describe('When the harness run finished, ISO 8601 with a time zone.'),
    blocked_by: z.string().max(200).optional().describe('Who blocked the run, e.g. `sot-gate preflight`.'),
  })
  .superRefine((r, ctx) => {
    if (r.status !== 'pass' && (r.failure_reason === undefined || r.failure_reason === null || r.failure_reason.trim() === '')) {
      ctx.addIssue({ code: 'custom', path: ['failure_reason'], message: `a ${r.status} report must say why (failure_reason)` });
    }
  })
  .meta({
    title: 'sot-gate Stage 2 evidence report',
    description:
      'report.json of a Stage 2 harness run directory (next to trace.jsonl, backend/ and report.md). Checked by `sot-gate verify-evidence`.',
  });

export type EvidenceReport = z.infer<typeof evidenceReportSchema>;

/** A trace.jsonl line: a JSON object with an `event` name; anything else a harness records is kept. */
export const traceEventSchema = z.looseObject({ event: z.string().min(1), ts: z.string().optional() });
export type TraceEvent = z.infer<typeof traceEventSchema>;
