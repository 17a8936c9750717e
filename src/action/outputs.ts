/** The step outputs of the evaluating modes: counts, the findings (the CLI's JSON finding shape), exposures, decision state, stage2-ready. */
import { toJson } from '../engine/report/json.js';
import { treeErrorCount } from '../engine/check.js';
import type { CheckResult } from '../engine/types.js';
import type { Core } from './deps.js';

/** GitHub limits a job's outputs to 1 MB in total: past this, the findings output is cut (the count says so). */
export const FINDINGS_OUTPUT_LIMIT = 512 * 1024;

/**
 * Stage 2 may run only when the record is decided (a decided status of the policy's vocabulary), the whole tree has no
 * error finding (whatever the scope: `treeErrors`, where a suppressed governance error counts), at least one pair is
 * admitted (the engine's admitted pairs come from the whole tree and ignore suppression), and every admission in
 * `requiredAdmissions` (the changed ones) is among them.
 */
export function isStage2Ready(result: CheckResult, decidedStatuses: readonly string[], requiredAdmissions: readonly string[] = []): boolean {
  const status = result.decision?.status;
  if (!status || status === 'not_decided' || !decidedStatuses.includes(status)) return false;
  if (treeErrorCount(result) > 0) return false;
  if (!result.admittedPairs.length) return false;
  const admitted = new Set(result.admittedPairs.map((p) => p.file));
  return requiredAdmissions.every((f) => admitted.has(f));
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

/**
 * A finding that says a file may expose a secret, the private endpoint or a target-repository path, or (a symbolic
 * link: `evidence/symlink`; a file that could not be scanned: `evidence/unscannable`) holds content the scan never read
 * but an upload would publish.
 */
export function isExposure(ruleId: string): boolean {
  return /^(secret|endpoint|path)\//.test(ruleId) || ruleId === 'evidence/endpoint-value' || ruleId === 'evidence/symlink' || ruleId === 'evidence/unscannable';
}

/**
 * The `exposures` output: a count, so it is never cut like `findings`. Unsuppressed findings only, unless
 * `withSuppressed` (verify-evidence: a run directory's inline `sot-gate:allow` comments were written by the harness,
 * not accepted by a reviewer).
 */
export function exposureCount(result: Pick<CheckResult, 'findings' | 'suppressed'>, withSuppressed = false): number {
  const count = (fs: readonly { ruleId: string }[]) => fs.filter((f) => isExposure(f.ruleId)).length;
  return count(result.findings) + (withSuppressed ? count(result.suppressed) : 0);
}

/**
 * The outputs every evaluating mode sets: errors, warnings, findings (cut past FINDINGS_OUTPUT_LIMIT, with a warning
 * that says so), exposures. `fullList`: where the whole list is, for that warning.
 */
export function setFindingsOutputs(
  core: Pick<Core, 'setOutput' | 'warning'>,
  result: CheckResult,
  opts: { fullList: string; exposuresWithSuppressed?: boolean },
): void {
  core.setOutput('errors', String(result.summary.errors));
  core.setOutput('warnings', String(result.summary.warnings));
  const { json, truncated } = findingsJson(result);
  const exposures = exposureCount(result, opts.exposuresWithSuppressed);
  if (truncated) {
    core.warning(
      `sot-gate: the \`findings\` output lists the first ${result.findings.length - truncated} of ${result.findings.length} findings (GitHub limits output size); ${opts.fullList}. The \`exposures\` output (${exposures}) counts the secret, endpoint, path and symbolic-link findings of the whole list.`,
    );
  }
  core.setOutput('findings', json);
  core.setOutput('exposures', String(exposures));
}

export function setCheckOutputs(core: Pick<Core, 'setOutput' | 'warning'>, result: CheckResult, stage2Ready: boolean): void {
  setFindingsOutputs(core, result, { fullList: 'the SARIF file and the job summary have them all' });
  core.setOutput('decision-status', result.decision?.status ?? '');
  core.setOutput('admitted-pairs', JSON.stringify(result.admittedPairs));
  core.setOutput('stage2-ready', stage2Ready ? 'true' : 'false');
}
