import { ENV } from '../vocabulary.js';
import { inDir } from '../context.js';
import { passRun } from './fixtures.js';
import type { EvidenceRule } from './rule.js';

const VALUE = 'http://127.0.0.1:8000/v1';

export const endpointValue: EvidenceRule = {
  id: 'evidence/endpoint-value',
  defaultSeverity: 'error',
  summary: 'The value of CTO_HARNESS_CASE_LOCAL_BASE_URL appears in a run artifact.',
  description:
    '"The endpoint value must not be copied into SOT, commits, task files, argv examples, backend logs, reports, or traces" (Spark endpoint config reference). verify-evidence reads the value of every endpoint variable (`secrets.endpoint-variables`, default `CTO_HARNESS_CASE_LOCAL_BASE_URL`) from its own environment and looks for it, literally, in every file of the run directory, streaming. This catches the value even where the pattern scanner (endpoint/exposed) cannot tell it is private, e.g. a loopback or public host name. The message names the variable, never the value. Fix the harness or Case logging so that the endpoint is not written, and delete the artifact; do not upload it.',
  examples: {
    fire: [{ description: 'the endpoint in a backend log', files: passRun({ 'backend/case-stderr.log': `connecting to ${VALUE}/chat/completions\n` }), env: { [ENV.localBaseUrl]: VALUE } }],
    quiet: [
      { description: 'the variable name only', files: passRun({ 'backend/case-stderr.log': `using ${ENV.localBaseUrl}\n` }), env: { [ENV.localBaseUrl]: VALUE } },
      { description: 'no value in the environment', files: passRun({ 'backend/case-stderr.log': `connecting to ${VALUE}\n` }) },
    ],
  },
  check(ctx, report) {
    for (const h of ctx.endpointHits) report({ file: inDir(ctx, h.file), line: h.line, message: `the value of ${h.variable} appears in this artifact: the endpoint must never be written` });
  },
};
