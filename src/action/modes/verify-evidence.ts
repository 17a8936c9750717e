/**
 * `mode: verify-evidence` — after the harness: verify the run directory (evidence/* rules, secret and endpoint scan).
 * Inputs: run-dir (required), repository-root, admission-file (default: CTO_HARNESS_CASE_MODEL_ADMISSION_FILE),
 * config, sarif-file, fail-on (error | warning | never). Outputs: errors, warnings, findings, conclusion
 * (success | failure). Annotations point at the artifacts (paths relative to the workspace).
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
import { findingsJson } from '../outputs.js';
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
  const opts = { runDir, display, root, config, env: deps.env, ...(admissionFile ? { admissionFile } : {}), today: deps.now().toISOString().slice(0, 10) };
  const loaded = await loadEvidence(opts);
  const result = await verifyEvidence(opts, loaded);
  const failing = failOn !== 'never' && (result.summary.errors > 0 || (failOn === 'warning' && result.summary.warnings > 0));

  const sarifFile = core.getInput('sarif-file');
  annotate(core, result.findings, [], Boolean(sarifFile));
  core.setOutput('errors', String(result.summary.errors));
  core.setOutput('warnings', String(result.summary.warnings));
  core.setOutput('findings', findingsJson(result).json);
  core.setOutput('conclusion', failing ? 'failure' : 'success');
  if (sarifFile) {
    const abs = path.resolve(deps.cwd, sarifFile);
    await mkdir(path.dirname(abs), { recursive: true });
    await writeFile(abs, toSarif(result, EVIDENCE_RULES));
  }
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
  if (failing) {
    const first = result.findings[0];
    throw new Error(`the Stage 2 evidence in ${display} does not verify: ${result.summary.errors} error(s)${first ? `, first ${first.ruleId} at ${first.file}:${first.line}: ${first.message}` : ''}`);
  }
}
