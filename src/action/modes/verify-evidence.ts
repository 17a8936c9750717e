/**
 * `mode: verify-evidence` — after the harness: verify the run directory (evidence/* rules, secret and endpoint scan).
 * Inputs: run-dir (required), repository-root, admission-file (default: CTO_HARNESS_CASE_MODEL_ADMISSION_FILE),
 * config, sarif-file, fail-on (error | warning | never). Outputs: errors, warnings, findings, exposures, conclusion
 * (success | failure), set as soon as the run directory is verified, before the summary and the SARIF file are
 * written. Annotations point at the artifacts (paths relative to the workspace).
 */
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { toSarif } from '../../engine/report/sarif.js';
import { cell } from '../../engine/report/summary.js';
import { annotate } from '../annotations.js';
import { evidenceMarkdown, evidenceSummary } from '../../engine/stage2/evidence-block.js';
import { EVIDENCE_RULES } from '../../engine/stage2/rules/index.js';
import { loadEvidence, verifyEvidence } from '../../engine/stage2/verify.js';
import type { ActionDeps } from '../deps.js';
import { setFindingsOutputs } from '../outputs.js';
import { maskEndpoints, policy, repoRoot, workspaceRel, writeSummary } from './preflight.js';

export async function runVerifyEvidence(deps: ActionDeps): Promise<void> {
  const { core } = deps;
  const root = repoRoot(deps);
  const config = await policy(deps, root);
  maskEndpoints(core, deps.env, config);
  const runDirInput = core.getInput('run-dir');
  if (!runDirInput) throw new Error('mode verify-evidence needs the run-dir input (the harness run directory)');
  const failOn = core.getInput('fail-on') || 'error';
  if (!['error', 'warning', 'never'].includes(failOn)) throw new Error(`fail-on must be error, warning or never, not ${JSON.stringify(failOn)}`);
  const runDir = path.resolve(deps.cwd, runDirInput);
  const display = workspaceRel(deps, runDir);
  const admissionFile = core.getInput('admission-file') || undefined;
  // Like preflight: relative to the run directory, as CASE_DATA_DIR is; default CASE_DATA_DIR, else case-data.
  const caseDataDir = core.getInput('case-data-dir') || undefined;
  const opts = {
    runDir,
    display,
    root,
    config,
    env: deps.env,
    ...(admissionFile ? { admissionFile } : {}),
    ...(caseDataDir ? { caseDataDir } : {}),
    today: deps.now().toISOString().slice(0, 10),
  };
  const loaded = await loadEvidence(opts);
  const result = await verifyEvidence(opts, loaded);
  const failing = failOn !== 'never' && (result.summary.errors > 0 || (failOn === 'warning' && result.summary.warnings > 0));

  const sarifFile = core.getInput('sarif-file');
  annotate(core, result.findings, [], Boolean(sarifFile));
  setFindingsOutputs(core, result, {
    fullList: sarifFile ? 'the SARIF file has them all' : 'set `sarif-file` for the full list',
    exposuresWithSuppressed: true,
  });
  core.setOutput('conclusion', failing ? 'failure' : 'success');
  const block = evidenceMarkdown(evidenceSummary({ ctx: loaded.ctx, dir: display, config, env: deps.env }));
  const rows = result.findings.slice(0, 100).map((f) => `| ${f.severity} | \`${f.ruleId}\` | \`${cell(f.file)}:${f.line}\` | ${cell(f.message)} |`);
  await writeSummary(
    core,
    [
      `## ${failing ? '⛔' : '✅'} sot-gate verify-evidence: ${result.summary.errors} error${result.summary.errors === 1 ? '' : 's'}, ${result.summary.warnings} warning${result.summary.warnings === 1 ? '' : 's'}`,
      '',
      block,
      ...(rows.length ? ['| severity | rule | where | message |', '| --- | --- | --- | --- |', ...rows, ''] : []),
    ].join('\n'),
  );
  // Last, so that a SARIF problem loses neither the outputs nor the summary; the message names the input as given.
  let sarifProblem: string | undefined;
  if (sarifFile) {
    const abs = path.resolve(deps.cwd, sarifFile);
    try {
      await mkdir(path.dirname(abs), { recursive: true });
      await writeFile(abs, toSarif(result, EVIDENCE_RULES));
    } catch (e) {
      sarifProblem = `cannot write the SARIF file (input sarif-file: ${sarifFile}): ${(e as NodeJS.ErrnoException).code ?? 'error'}`;
    }
  }
  const first = result.findings[0];
  const problems = [
    ...(failing ? [`the Stage 2 evidence in ${display} does not verify: ${result.summary.errors} error(s)${first ? `, first ${first.ruleId} at ${first.file}:${first.line}: ${first.message}` : ''}`] : []),
    ...(sarifProblem ? [sarifProblem] : []),
  ];
  if (problems.length) throw new Error(problems.join('; '));
}
