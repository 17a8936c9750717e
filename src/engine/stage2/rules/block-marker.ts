import { MARKERS } from '../vocabulary.js';
import { inDir } from '../context.js';
import { blockedRun, passRun, report as reportJson } from './fixtures.js';
import { keyLine, reportFile } from './pair.js';
import type { EvidenceRule } from './rule.js';

export const blockMarker: EvidenceRule = {
  id: 'evidence/block-marker',
  defaultSeverity: 'error',
  summary: 'A blocked run without its backend marker, or a passing run that carries one.',
  description:
    'A block leaves a marker in the run directory\'s `backend/` folder (CTO-WORK-019: "Requires `backend/provider-model-not-admitted.txt` when admission is missing"; Hermes 5db23c7: `backend/provider-auth-unavailable.txt`). A `blocked` report needs at least one `backend/provider-*.txt` marker, and a report whose `case_model_admission_status` is not `admitted` needs `backend/provider-model-not-admitted.txt`. A `pass` report next to a marker contradicts itself (the run was blocked, or the directory holds two runs). Fix: keep one run per directory, and let `sot-gate preflight` write the marker.',
  examples: {
    fire: [
      { description: 'blocked, no marker', files: blockedRun({ 'backend/provider-model-not-admitted.txt': undefined }) },
      { description: 'not admitted, only the auth marker', files: blockedRun({ 'backend/provider-model-not-admitted.txt': undefined, 'backend/provider-auth-unavailable.txt': 'x\n' }) },
      { description: 'a pass with a marker', files: passRun({ 'backend/provider-model-not-admitted.txt': 'x\n' }) },
    ],
    quiet: [
      { description: 'a blocked run with its marker', files: blockedRun() },
      {
        description: 'codex auth gap: admitted, auth marker',
        files: blockedRun({
          'report.json': reportJson({ status: 'blocked', case_process_started: false, case_model_admission_status: 'admitted', failure_reason: 'auth bridge', baseline: undefined }),
          'backend/provider-model-not-admitted.txt': undefined,
          'backend/provider-auth-unavailable.txt': 'x\n',
        }),
      },
      { description: 'a passing run', files: passRun() },
    ],
  },
  check(ctx, report) {
    const r = ctx.report.present ? ctx.report.value : undefined;
    if (!r) return;
    const file = reportFile(ctx);
    if (r.status === 'blocked') {
      if (ctx.markers.length === 0) {
        report({ file, line: keyLine(ctx, 'status'), message: 'a blocked run without a backend/provider-*.txt marker: the block is not recorded where the harness evidence expects it' });
      } else if (r.case_model_admission_status !== 'admitted' && !ctx.markers.includes(MARKERS.notAdmitted)) {
        report({ file, line: keyLine(ctx, 'case_model_admission_status'), message: `case_model_admission_status is ${r.case_model_admission_status} but ${MARKERS.notAdmitted} is missing` });
      }
    }
    if (r.status === 'pass') {
      for (const m of ctx.markers) report({ file: inDir(ctx, m), line: 1, message: 'a block marker in a run whose report is pass: the evidence contradicts itself' });
    }
  },
};
