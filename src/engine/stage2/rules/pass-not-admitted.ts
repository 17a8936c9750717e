import { passRun, report as reportJson, validAdmission } from './fixtures.js';
import { admittedPair, gateRefusal, keyLine, reportFile, show } from './pair.js';
import type { EvidenceRule } from './rule.js';

export const passNotAdmitted: EvidenceRule = {
  id: 'evidence/pass-not-admitted',
  defaultSeverity: 'error',
  summary: 'A `pass` report that does not prove the admitted provider/model ran.',
  description:
    '"Real Case Stage 2 produces a pass report only if the admitted provider/model was used" (CTO-WORK-020). A report with `status: pass` counts only when all of these hold: the admission file (`CTO_HARNESS_CASE_MODEL_ADMISSION_FILE` or `--admission-file`, relative to `--root`) exists, is valid and has `status: admitted`; it passes the same governance bar `sot-gate preflight` applies (inside `--root`, governed by `sot-gate check` without error findings, backed by a decided decision record whose primary or explicit fallback pair it is, and for a local provider `decision_status: local_provider_required`); the report\'s `case_model_provider` / `case_model` are exactly that pair; `case_model_admission_status` is `admitted`; `case_process_started` is `true`; and `backend` is `case` (a fake-lane pass is a baseline, not Stage 2). Anything else is a pass that proves nothing: rerun Stage 2 with the admitted pair, or give verify-evidence the admission file the run used.',
  examples: {
    fire: [
      { description: 'a pass with a different model', files: passRun({ 'report.json': reportJson({ case_model: 'qwen3-coder-30b' }) }) },
      { description: 'a pass without an admission file', files: passRun(), admission: null },
      { description: 'a pass whose admission was revoked', files: passRun(), admission: validAdmission({ status: 'revoked' }) },
      { description: 'a pass whose admission preflight would refuse (outside the root, not backed by the decision)', files: passRun(), gateRefusal: 'decision_status is not_decided in .sot/03-PROTOCOLS/CTO-CASE-PROVIDER-DECISION-RECORD.md: nothing may run until a decision is made' },
      { description: 'a pass whose report says mismatch', files: passRun({ 'report.json': reportJson({ case_model_admission_status: 'mismatch' }) }) },
      { description: 'a pass of the fake backend', files: passRun({ 'report.json': reportJson({ backend: 'fake' }) }) },
      { description: 'a pass where Case never started', files: passRun({ 'report.json': reportJson({ case_process_started: false }) }) },
    ],
    quiet: [
      { description: 'a pass with the admitted pair', files: passRun() },
      { description: 'a fail with the admitted pair', files: passRun({ 'report.json': reportJson({ status: 'fail', failure_reason: 'case agent result protocol failed' }) }) },
    ],
  },
  check(ctx, report) {
    const r = ctx.report.present ? ctx.report.value : undefined;
    if (!r || r.status !== 'pass') return;
    const file = reportFile(ctx);
    const adm = admittedPair(ctx);
    const refused = gateRefusal(ctx);
    if (!adm.ok) report({ file, line: keyLine(ctx, 'status'), message: `a pass cannot count: ${adm.why}` });
    else if (refused) report({ file, line: keyLine(ctx, 'status'), message: `a pass cannot count: preflight would not admit ${adm.provider} / ${adm.model} from ${adm.file}: ${refused}` });
    else if (r.case_model_provider !== adm.provider || r.case_model !== adm.model) {
      report({
        file,
        line: keyLine(ctx, r.case_model_provider !== adm.provider ? 'case_model_provider' : 'case_model'),
        message: `a pass with ${show(r.case_model_provider)} / ${show(r.case_model)} does not count: the admitted pair is ${adm.provider} / ${adm.model} (${adm.file})`,
      });
    }
    if (r.case_model_admission_status !== 'admitted') {
      report({ file, line: keyLine(ctx, 'case_model_admission_status'), message: `a pass with case_model_admission_status ${r.case_model_admission_status} does not count: it must be admitted` });
    }
    if (r.case_process_started !== true) report({ file, line: keyLine(ctx, 'case_process_started'), message: 'a pass where case_process_started is false does not count: Case never ran' });
    if (r.backend !== 'case') report({ file, line: keyLine(ctx, 'backend'), message: `a pass of backend ${r.backend} is not a real Case Stage 2 pass (backend must be case)` });
  },
};
