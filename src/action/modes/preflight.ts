/**
 * `mode: preflight` — on the self-hosted Stage 2 runner, before the harness: admit the requested pair or block.
 * Inputs: run-dir (required, relative to the workspace), repository-root (default: path, else the workspace),
 * admission-file (default: the CTO_HARNESS_CASE_MODEL_ADMISSION_FILE variable; relative to repository-root),
 * case-data-dir (default: CASE_DATA_DIR, else case-data; relative to the run directory, as CASE_DATA_DIR is), config.
 * Reads CTO_HARNESS_CASE_MODEL_PROVIDER, CTO_HARNESS_CASE_MODEL, CTO_HARNESS_CASE_LOCAL_BASE_URL and
 * CTO_HARNESS_CASE_OPENAI_CODEX_AUTH_BRIDGE from the environment. The endpoint is masked first and never written.
 * Outputs: case_model_provider, case_model, case_model_admission_status, status (admitted | blocked).
 */
import path from 'node:path';
import type { Config } from '../../engine/config.js';
import { CONFIG_PATH } from '../../engine/config.js';
import { loadConfig } from '../../engine/load.js';
import { runPreflight as preflightRun } from '../../engine/stage2/preflight.js';
import { endpointNeedles } from '../../engine/stage2/verify.js';
import { ENV } from '../../engine/stage2/vocabulary.js';
import type { ActionDeps, Core } from '../deps.js';

// Helpers shared by the Stage 2 modes (preflight, verify-evidence, dispatch).

/** repository-root, else path, else the workspace. */
export function repoRoot(deps: ActionDeps): string {
  const given = deps.core.getInput('repository-root') || deps.core.getInput('path') || '.';
  return path.resolve(deps.cwd, given);
}

export async function policy(deps: ActionDeps, root: string): Promise<Config> {
  const input = deps.core.getInput('config');
  const explicit = input && input !== CONFIG_PATH ? path.resolve(deps.cwd, input) : undefined;
  return (await loadConfig(root, explicit)).config;
}

/** Mask every endpoint variable's value (and its host) in the log before anything else runs. */
export function maskEndpoints(core: Pick<Core, 'setSecret'>, env: Record<string, string | undefined>, config: Config): void {
  for (const v of config.secrets['endpoint-variables']) {
    const value = env[v];
    if (!value) continue;
    core.setSecret(value);
    for (const n of endpointNeedles(value)) core.setSecret(n);
  }
}

/** The job summary is a convenience: a runner without one (local-action, GHES) still gets the step's result. */
export async function writeSummary(core: Core, markdown: string): Promise<void> {
  try {
    await core.summary.addRaw(markdown).write();
  } catch (e) {
    core.warning(`sot-gate: the job summary could not be written (${e instanceof Error ? e.message.split('\n')[0] : 'error'})`);
  }
}

/** Path shown for a file: relative to the workspace (what annotations need), POSIX. */
export function workspaceRel(deps: ActionDeps, abs: string): string {
  const rel = path.relative(deps.cwd, abs);
  return (rel === '' ? '.' : rel).split(path.sep).join('/');
}

export async function runPreflightMode(deps: ActionDeps): Promise<void> {
  const { core } = deps;
  const root = repoRoot(deps);
  const config = await policy(deps, root);
  maskEndpoints(core, deps.env, config);
  const runDirInput = core.getInput('run-dir');
  if (!runDirInput) throw new Error('mode preflight needs the run-dir input (the harness run directory)');
  const admission = core.getInput('admission-file');
  const dataDir = core.getInput('case-data-dir');
  const env = {
    ...deps.env,
    ...(admission ? { [ENV.admissionFile]: admission } : {}),
    // As CASE_DATA_DIR (the engine resolves it): relative to the run directory, like the CLI.
    ...(dataDir ? { [ENV.caseDataDir]: dataDir } : {}),
  };
  const out = await preflightRun({ runDir: path.resolve(deps.cwd, runDirInput), root, config, env, fetch: deps.fetch, now: deps.now });
  core.setOutput('status', out.status);
  core.setOutput('case_model_provider', out.case_model_provider);
  core.setOutput('case_model', out.case_model);
  core.setOutput('case_model_admission_status', out.case_model_admission_status);
  const pair = `\`${out.case_model_provider || '(unset)'}\` / \`${out.case_model || '(unset)'}\``;
  await writeSummary(
    core,
    [
      `## ${out.status === 'admitted' ? '✅' : '⛔'} sot-gate preflight: ${out.status}`,
      '',
      `- Case model: ${pair}.`,
      `- Case model admission status: \`${out.case_model_admission_status}\`.`,
      `- ${out.status === 'admitted' ? 'Decision' : 'Block reason'}: ${out.reason}.`,
      ...(out.marker ? [`- Marker: \`${out.marker}\`.`] : []),
      '',
    ].join('\n'),
  );
  if (out.status === 'blocked') {
    throw new Error(`Stage 2 blocked before case_process_started (case_model_admission_status ${out.case_model_admission_status}): ${out.reason}. Marker: ${out.marker}`);
  }
  core.info(`sot-gate: admitted ${out.case_model_provider} / ${out.case_model}: ${out.reason}`);
}

export { runPreflightMode as runPreflight };
