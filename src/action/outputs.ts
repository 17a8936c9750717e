/** The check mode's step outputs: counts, the findings (the CLI's JSON finding shape), decision state, stage2-ready. */
import { toJson } from '../engine/report/json.js';
import type { CheckResult } from '../engine/types.js';
import type { Core } from './deps.js';

/** GitHub limits a job's outputs to 1 MB in total: past this, the findings output is cut (the count says so). */
export const FINDINGS_OUTPUT_LIMIT = 512 * 1024;

/**
 * Stage 2 may run only when the record is decided (a decided status of the policy's vocabulary), every changed
 * admission file is valid and matches it (it is among the admitted pairs), at least one pair is admitted, and no
 * error was found.
 */
export function isStage2Ready(result: CheckResult, decidedStatuses: readonly string[], changedAdmissions: readonly string[]): boolean {
  const status = result.decision?.status;
  if (!status || status === 'not_decided' || !decidedStatuses.includes(status)) return false;
  if (result.summary.errors > 0) return false;
  if (!result.admittedPairs.length) return false;
  const admitted = new Set(result.admittedPairs.map((p) => p.file));
  return changedAdmissions.every((f) => admitted.has(f));
}

export function findingsJson(result: CheckResult, limit = FINDINGS_OUTPUT_LIMIT): { json: string; truncated: number } {
  const all = (JSON.parse(toJson(result)) as { findings: unknown[] }).findings;
  let json = JSON.stringify(all);
  let kept = all.length;
  while (json.length > limit && kept > 0) {
    kept = Math.floor(kept / 2);
    json = JSON.stringify(all.slice(0, kept));
  }
  return { json, truncated: all.length - kept };
}

export function setCheckOutputs(core: Pick<Core, 'setOutput' | 'warning'>, result: CheckResult, stage2Ready: boolean): void {
  core.setOutput('errors', String(result.summary.errors));
  core.setOutput('warnings', String(result.summary.warnings));
  const { json, truncated } = findingsJson(result);
  if (truncated) core.warning(`sot-gate: the \`findings\` output lists the first ${result.findings.length - truncated} of ${result.findings.length} findings (GitHub limits output size); the SARIF file and the job summary have them all.`);
  core.setOutput('findings', json);
  core.setOutput('decision-status', result.decision?.status ?? '');
  core.setOutput('admitted-pairs', JSON.stringify(result.admittedPairs));
  core.setOutput('stage2-ready', stage2Ready ? 'true' : 'false');
}
