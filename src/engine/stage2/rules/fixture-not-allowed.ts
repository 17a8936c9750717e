import { inDir } from '../context.js';
import { BASELINE, blockedRun, ev, PASS_TRACE, passRun, report as reportJson, trace } from './fixtures.js';
import { keyLine, reportFile } from './pair.js';
import type { EvidenceRule } from './rule.js';

export const fixtureNotAllowed: EvidenceRule = {
  id: 'evidence/fixture-not-allowed',
  defaultSeverity: 'error',
  summary: 'The run names a fixture (case) that is not an allowed copied artificial fixture.',
  description:
    'Stage 2 runs only on the copied artificial fixture, never on a real repository (CTO-WORK-020; the Target Repository paths must not be exposed). The allowed fixtures are policy: `stage2.allowed-fixtures` in .github/sot-gate.yml, default `[r1-string-slugify]`. The report\'s `case` must be one of them, compared exactly (`owned-repo:acme/payments`, `R1-String-Slugify` or `r1-string-slugify/../payments` are not), and a report that started Case or passed must name its `case`. The same holds for `baseline.case` and for every string under a key named `case`, `fixture`, `case_name`, `fixture_name`, `case_id` or `fixture_id` in trace.jsonl. Fix the harness so that it copies an allowed fixture, or add the fixture to the policy through a reviewed change of .github/sot-gate.yml.',
  examples: {
    fire: [
      { description: 'a case naming a real repository', files: passRun({ 'report.json': reportJson({ case: 'owned-repo:acme/payments', baseline: { ...BASELINE, case: 'owned-repo:acme/payments' } }) }) },
      { description: 'a pass without a case', files: passRun({ 'report.json': reportJson({ case: undefined }) }) },
      { description: 'a case variant in another letter case', files: passRun({ 'report.json': reportJson({ case: 'R1-String-Slugify' }) }) },
      { description: 'the baseline on another fixture', files: passRun({ 'report.json': reportJson({ baseline: { ...BASELINE, case: 'acme-payments' } }) }) },
      { description: 'a trace event on another fixture', files: passRun({ 'trace.jsonl': trace([...PASS_TRACE, ev('fixture_copied', { fixture: '/srv/repos/acme/payments' })]) }) },
    ],
    quiet: [
      { description: 'the default fixture', files: passRun() },
      { description: 'a blocked run that names no case', files: blockedRun() },
    ],
  },
  check(ctx, report) {
    const allowed = ctx.config.stage2['allowed-fixtures'];
    const list = allowed.join(', ');
    const r = ctx.report.present ? ctx.report.value : undefined;
    if (r) {
      const file = reportFile(ctx);
      if (r.case !== undefined && !allowed.includes(r.case)) {
        report({ file, line: keyLine(ctx, 'case'), message: `case ${r.case} is not an allowed fixture (stage2.allowed-fixtures: ${list}): Stage 2 runs only on the copied artificial fixture` });
      } else if (r.case === undefined && (r.status === 'pass' || r.case_process_started === true)) {
        report({ file, line: keyLine(ctx, 'status'), message: `the report names no case: a run that started Case must name its fixture (one of ${list})` });
      }
      if (r.baseline?.case !== undefined && !allowed.includes(r.baseline.case)) {
        report({ file, line: keyLine(ctx, 'baseline'), message: `baseline.case ${r.baseline.case} is not an allowed fixture (stage2.allowed-fixtures: ${list})` });
      }
    }
    for (const e of ctx.trace.entries) {
      for (const f of e.fixtures ?? []) {
        if (!allowed.includes(f.value)) report({ file: inDir(ctx, 'trace.jsonl'), line: e.line, message: `${f.key} ${f.value} is not an allowed fixture (stage2.allowed-fixtures: ${list})` });
      }
    }
  },
};
