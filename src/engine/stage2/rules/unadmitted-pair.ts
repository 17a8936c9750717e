import { passRun, report as reportJson, validAdmission } from './fixtures.js';
import { admittedPair, gateRefusal, keyLine, reportFile, show } from './pair.js';
import type { EvidenceRule } from './rule.js';

export const unadmittedPair: EvidenceRule = {
  id: 'evidence/unadmitted-pair',
  defaultSeverity: 'error',
  summary: 'Case started (in a run that did not pass) with a pair that is not the admitted one.',
  description:
    '"Missing or unadmitted provider/model blocks before `case_process_started`" (CTO-WORK-020). A report that says `case_process_started: true` must name the admitted pair and `case_model_admission_status: admitted`, and the admission must pass the governance bar `sot-gate preflight` applies (inside `--root`, governed by `sot-gate check`, backed by a decided decision record), whatever its status: a failing run that started Case with another model is a gate failure even though it proves no pass. (Passing runs are checked by evidence/pass-not-admitted.) Fix the harness gate: run `sot-gate preflight` before the harness and let it decide.',
  examples: {
    fire: [
      { description: 'a fail that ran another model', files: passRun({ 'report.json': reportJson({ status: 'fail', failure_reason: 'x', case_model: 'claude-sonnet-4-6', case_model_provider: 'anthropic' }) }) },
      { description: 'a fail that ran without an admission', files: passRun({ 'report.json': reportJson({ status: 'fail', failure_reason: 'x' }) }), admission: null },
      { description: 'a fail that ran under an admission preflight would refuse', files: passRun({ 'report.json': reportJson({ status: 'fail', failure_reason: 'x' }) }), gateRefusal: 'no decision record found in the repository' },
      { description: 'a fail that ran after a mismatch', files: passRun({ 'report.json': reportJson({ status: 'fail', failure_reason: 'x', case_model_admission_status: 'mismatch' }) }) },
    ],
    quiet: [
      { description: 'a fail with the admitted pair', files: passRun({ 'report.json': reportJson({ status: 'fail', failure_reason: 'case agent result protocol failed' }) }) },
      { description: 'a blocked run that never started Case', files: passRun({ 'report.json': reportJson({ status: 'blocked', case_process_started: false, failure_reason: 'x', case_model_admission_status: 'not_admitted' }) }), admission: validAdmission({ status: 'revoked' }) },
    ],
  },
  check(ctx, report) {
    const r = ctx.report.present ? ctx.report.value : undefined;
    if (!r || r.status === 'pass' || r.case_process_started !== true) return;
    const file = reportFile(ctx);
    const adm = admittedPair(ctx);
    if (!adm.ok) {
      report({ file, line: keyLine(ctx, 'case_process_started'), message: `Case started but no pair is admitted: ${adm.why}` });
      return;
    }
    const refused = gateRefusal(ctx);
    if (refused) {
      report({ file, line: keyLine(ctx, 'case_process_started'), message: `Case started but preflight would not admit ${adm.provider} / ${adm.model} from ${adm.file}: ${refused}` });
      return;
    }
    // Exact comparison: stricter than the normalised form (identity.ts); a case variant is not the admitted spelling.
    if (r.case_model_provider !== adm.provider || r.case_model !== adm.model) {
      report({
        file,
        line: keyLine(ctx, 'case_model'),
        message: `Case started with ${show(r.case_model_provider)} / ${show(r.case_model)}, not the admitted pair ${adm.provider} / ${adm.model} (${adm.file})`,
      });
    }
    if (r.case_model_admission_status !== 'admitted') {
      report({ file, line: keyLine(ctx, 'case_model_admission_status'), message: `Case started although case_model_admission_status is ${r.case_model_admission_status}` });
    }
  },
};
