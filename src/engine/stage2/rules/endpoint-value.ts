import { ENV } from '../vocabulary.js';
import { inDir } from '../context.js';
import { passRun } from './fixtures.js';
import type { EvidenceRule } from './rule.js';

const VALUE = 'http://127.0.0.1:8000/v1';
const HOST = 'gpu-box.acme-internal.com';
const REMOTE = `http://${HOST}:8000/v1`;

export const endpointValue: EvidenceRule = {
  id: 'evidence/endpoint-value',
  defaultSeverity: 'error',
  summary: 'The value of CTO_HARNESS_CASE_LOCAL_BASE_URL appears in a run artifact.',
  description:
    '"The endpoint value must not be copied into SOT, commits, task files, argv examples, backend logs, reports, or traces" (Spark endpoint config reference). verify-evidence reads the value of every endpoint variable (`secrets.endpoint-variables`, default `CTO_HARNESS_CASE_LOCAL_BASE_URL`) from its own environment and looks for it in every file of the run directory (and in the file names), streaming, ignoring case: the value itself, its `host:port`, its host name alone when that is specific (a dotted name or an IP literal, not loopback and not a single-label name like `spark`), and the URL-encoded form of each. This catches the value even where the pattern scanner (endpoint/exposed) cannot tell it is private, e.g. a loopback or public host name. The message names the variable, never the value; any finding message or path that would contain it shows `<endpoint>` instead. Fix the harness or Case logging so that the endpoint is not written, and delete the artifact; do not upload it.',
  examples: {
    fire: [
      { description: 'the endpoint in a backend log', files: passRun({ 'backend/case-stderr.log': `connecting to ${VALUE}/chat/completions\n` }), env: { [ENV.localBaseUrl]: VALUE } },
      { description: 'the host name alone', files: passRun({ 'backend/case-stderr.log': `resolving ${HOST}\n` }), env: { [ENV.localBaseUrl]: REMOTE } },
      { description: 'in upper case', files: passRun({ 'backend/case-stderr.log': `${HOST.toUpperCase()}:8000/V1/chat/completions\n` }), env: { [ENV.localBaseUrl]: REMOTE } },
      { description: 'URL-encoded', files: passRun({ 'backend/case-stderr.log': `debug: url=${encodeURIComponent(REMOTE)}\n` }), env: { [ENV.localBaseUrl]: REMOTE } },
    ],
    quiet: [
      { description: 'the variable name only', files: passRun({ 'backend/case-stderr.log': `using ${ENV.localBaseUrl}\n` }), env: { [ENV.localBaseUrl]: VALUE } },
      { description: 'no value in the environment', files: passRun({ 'backend/case-stderr.log': `connecting to ${VALUE}\n` }) },
      { description: 'a loopback address without the port', files: passRun({ 'backend/case-stderr.log': 'health check on 127.0.0.1 passed\n' }), env: { [ENV.localBaseUrl]: VALUE } },
      { description: 'a single-label host name alone in prose', files: passRun({ 'backend/case-stderr.log': 'the spark node answered\n' }), env: { [ENV.localBaseUrl]: 'http://spark:8000/v1' } },
    ],
  },
  check(ctx, report) {
    for (const h of ctx.endpointHits) {
      report({ file: inDir(ctx, h.file), line: h.line, message: `the value of ${h.variable} appears in this artifact${h.inName ? "'s name" : ''}: the endpoint must never be written` });
    }
  },
};
