import { admissionJson, admissionPath, localTree } from '../fixtures.js';
import type { Rule } from '../rule.js';

const P = admissionPath('qwen-local', 'qwen3.6-35b-a3b');

export const invalid: Rule = {
  id: 'admission/invalid',
  defaultSeverity: 'error',
  summary: 'An admission file is not valid JSON or does not match the admission schema.',
  description:
    'The admission JSON is the execution gate the harness reads. It must be one strict JSON object (no comments, no duplicate keys: `JSON.parse` keeps the last `"provider"` while a reviewer reads the first) with status, provider, model, credential_source_class, allowed_network_class, approval_source, admission_timestamp (ISO 8601 with offset), review_trigger and optional role (`primary` or `fallback`). The JSON Schema is in `schemas/admission.schema.json`. Each problem is reported with its key path and line.',
  examples: {
    fire: [
      { description: 'trailing comma', files: localTree({ [P]: '{"status": "admitted",}\n' }) },
      { description: 'timestamp without offset', files: localTree({ [P]: admissionJson({ admission_timestamp: '2026-06-01T01:50:00' }) }) },
      { description: 'missing model', files: localTree({ [P]: admissionJson({ model: undefined }) }) },
      { description: 'duplicate provider key', files: localTree({ [P]: admissionJson().replace('"provider": "qwen-local",', '"provider": "qwen-local",\n  "provider": "anthropic",') }) },
      { description: 'unknown key', files: localTree({ [P]: admissionJson({ notes: 'x' }) }) },
      { description: 'empty file', files: localTree({ [P]: '' }) },
      { description: 'deep nesting', files: localTree({ [P]: '['.repeat(5000) + ']'.repeat(5000) }) },
    ],
    quiet: [
      { description: 'the seeds\' admission', files: localTree() },
      { description: 'a revoked admission is still well-formed', files: localTree({ [P]: admissionJson({ status: 'revoked' }) }) },
    ],
  },
  check(ctx, report) {
    for (const a of ctx.admissions) {
      for (const p of a.problems) report({ file: a.file, line: p.line, ...(p.column ? { column: p.column } : {}), message: p.message });
    }
  },
};
