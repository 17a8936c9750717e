/**
 * Stage 2 subcommands: preflight, verify-evidence, evidence, dispatch. Registered into COMMANDS by src/cli/main.ts.
 * Exit codes: 0 admitted / no error findings / dispatched; 1 blocked / error findings / not stage2-ready or the run
 * did not succeed; 2 could not evaluate (bad arguments, unreadable input, API errors).
 */
import { createHash } from 'node:crypto';
import { lstat, readFile } from 'node:fs/promises';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { withTimeout } from '../action/api-timeout.js';
import { evaluate } from '../engine/check.js';
import { loadBaseline, loadConfig } from '../engine/load.js';
import { toSarif } from '../engine/report/sarif.js';
import { evidenceMarkdown, evidenceSummary, type EvidenceProvenance } from '../engine/stage2/evidence-block.js';
import { dispatchStage2, stage2Readiness, type DispatchClient } from '../engine/stage2/dispatch.js';
import { runPreflight, type PreflightOutcome } from '../engine/stage2/preflight.js';
import { EVIDENCE_RULES } from '../engine/stage2/rules/index.js';
import { loadEvidence, MANIFEST_FILE, verifyEvidence } from '../engine/stage2/verify.js';
import { ENV } from '../engine/stage2/vocabulary.js';
import { escapeControls, loadTree, shown, toPosix } from '../engine/tree.js';
import { redactSecrets } from '../engine/scanner/index.js';
import { EvaluationError } from '../engine/types.js';
import { toJson } from '../engine/report/json.js';
import { toText } from '../engine/report/text.js';
import type { CheckResult } from '../engine/types.js';
import type { Command } from './main.js';

/** The same reporters as `sot-gate check` (src/cli/main.ts render); SARIF also carries the evidence rules' docs. Not imported from main.ts: main.ts imports this module. */
function renderEvidence(result: CheckResult, fmt: 'text' | 'json' | 'sarif'): string {
  return fmt === 'json' ? toJson(result) : fmt === 'sarif' ? toSarif(result, EVIDENCE_RULES) : toText(result);
}

export interface Stage2CliDeps {
  fetch?: typeof fetch;
  now?: () => Date;
  sleep?: (ms: number) => Promise<void>;
  /** Builds the API client for dispatch (default: @actions/github's Octokit with GITHUB_API_URL as base URL). */
  octokit?: (token: string, baseUrl: string) => DispatchClient | Promise<DispatchClient>;
}

export const STAGE2_USAGE = `  sot-gate preflight --run-dir DIR [--root REPO] [--config FILE] [--format text|json]
  sot-gate verify-evidence DIR [--root REPO] [--admission-file PATH] [--config FILE] [--format text|json|sarif] [--manifest FILE] [--exit-zero]
  sot-gate evidence DIR [--root REPO] [--config FILE] [--format markdown|json] [--artifact-name NAME]
  sot-gate dispatch --workflow FILE --ref REF --admission-file PATH [--wait] [--timeout-minutes N] [--repo OWNER/NAME] [--root REPO] [--format text|json]
`;

export const STAGE2_HELP = `preflight        on the Stage 2 runner, before the harness: admit the requested pair or block (marker, trace, no config.json).
verify-evidence  a Stage 2 run directory: report, trace, markers, baseline, admitted pair, secrets and the endpoint.
evidence         print a run's "Runtime Evidence" block for the SOT (Markdown), values scanned first.
dispatch         start the Stage 2 workflow when the repository is stage2-ready (token: GITHUB_TOKEN).
`;

/** `sot-gate <stage 2 command> --help`: the command's own usage (main.ts prints it). */
export const STAGE2_COMMAND_HELP: Record<string, string> = {
  preflight: `Usage: sot-gate preflight --run-dir DIR [--root REPO] [--config FILE] [--format text|json]

On the Stage 2 runner, before the harness: decide whether the requested pair may run, fail closed.
Reads CTO_HARNESS_CASE_MODEL_ADMISSION_FILE (the authority), CTO_HARNESS_CASE_MODEL_PROVIDER / CTO_HARNESS_CASE_MODEL
(the request), CTO_HARNESS_CASE_LOCAL_BASE_URL, CTO_HARNESS_CASE_OPENAI_CODEX_AUTH_BRIDGE and CASE_DATA_DIR (inside the
run directory; default <run-dir>/case-data).
Admitted: writes $CASE_DATA_DIR/config.json and a case_model_admission_checked trace line; exit 0.
Blocked: writes a backend/provider-*.txt marker, a case_model_admission_blocked trace line and report.json/report.md
(status blocked); exit 1. It only creates files: it never deletes or overwrites one it did not create.
Exit 2: bad arguments, a run directory that is not fresh (nothing is changed in it), an unreadable policy.
`,
  'verify-evidence': `Usage: sot-gate verify-evidence DIR [--root REPO] [--admission-file PATH] [--config FILE] [--format text|json|sarif] [--manifest FILE] [--exit-zero]

Verify a Stage 2 run directory: the evidence/* rules (report, trace, markers, the same-run fake baseline comparison,
the allowed fixture, the Case config, models outside the admitted pair in every artifact) and the secret, endpoint and
path scanner over every file, gzip and zip archives opened (bounded). A file that cannot be scanned is an error; no
sot-gate:allow or sot-gate:example inside the run directory suppresses anything. CASE_DATA_DIR locates the Case config.
Writes manifest.json (SHA-256 of every file verified) into DIR; with --manifest FILE it writes nothing and re-checks DIR
(a downloaded artifact) against that manifest instead (evidence/manifest-mismatch).
Exit 0: no error finding; 1: error findings; 2: could not evaluate.
`,
  evidence: `Usage: sot-gate evidence DIR [--root REPO] [--config FILE] [--format markdown|json] [--artifact-name NAME]

Print the run's "Runtime Evidence" block for the SOT (Markdown) or its fields (JSON); every value is scanned first and
withheld when it holds a secret or the endpoint. It cites the run URL and commit (GITHUB_SERVER_URL, GITHUB_REPOSITORY,
GITHUB_RUN_ID, GITHUB_SHA), the admission file's SHA-256, the artifact name (--artifact-name or SOT_GATE_ARTIFACT_NAME)
and the SHA-256 of DIR/manifest.json; never an absolute runner path. Exit 2 when the run has no readable report.
`,
  dispatch: `Usage: sot-gate dispatch --workflow FILE --ref REF --admission-file PATH [--wait] [--timeout-minutes N] [--repo OWNER/NAME] [--root REPO] [--format text|json]

Start the Stage 2 workflow when the repository is stage2-ready (the whole policy check passes and the admission file
is admitted and matches the decision). Token: GITHUB_TOKEN with actions: write. Exit 1 when not ready or the waited-for
run did not succeed; 2 on API or argument errors.
`,
};

/** Shown relative to the working directory when inside it, else as given. */
export function displayPath(cwd: string, given: string): string {
  const rel = path.relative(cwd, path.resolve(cwd, given));
  if (rel === '') return '.';
  // Redacted (a directory may be named after a key) and escaped; not shortened like an echoed argument: run
  // directories are often named after commit ids.
  return escapeControls(redactSecrets(rel.startsWith('..') || path.isAbsolute(rel) ? toPosix(given) : toPosix(rel)));
}

function oneOf<T extends string>(name: string, value: string | undefined, allowed: readonly T[], dflt: T): T {
  const v = value ?? dflt;
  if (!(allowed as readonly string[]).includes(v)) throw new EvaluationError(`--${name} must be one of ${allowed.join(', ')}, not ${JSON.stringify(shown(v))}`);
  return v as T;
}

// Loaded on use: Octokit and undici are most of the bundle, and only `dispatch` needs them (every other command starts
// faster without them).
const defaultOctokit = async (token: string, baseUrl: string): Promise<DispatchClient> =>
  withTimeout((await import(/* webpackMode: "eager" */ '@actions/github')).getOctokit(token, { baseUrl }));

export function createStage2Commands(deps: Stage2CliDeps = {}): Record<string, Command> {
  const fetchFn = deps.fetch ?? globalThis.fetch;
  const now = deps.now ?? (() => new Date());
  const sleep = deps.sleep ?? ((ms: number) => new Promise<void>((r) => setTimeout(r, ms)));

  const preflight: Command = async (args, io) => {
    const { values, positionals } = parseArgs({
      args,
      allowPositionals: true,
      options: { 'run-dir': { type: 'string' }, root: { type: 'string' }, config: { type: 'string' }, format: { type: 'string' } },
    });
    const fmt = oneOf('format', values.format, ['text', 'json'] as const, 'text');
    const runDirArg = values['run-dir'] ?? positionals[0];
    if (!runDirArg) throw new EvaluationError('--run-dir is required (the harness run directory)');
    if (positionals.length > (values['run-dir'] ? 0 : 1)) throw new EvaluationError(`unexpected argument ${JSON.stringify(shown(positionals.at(-1) ?? ''))}`);
    const root = path.resolve(io.cwd, values.root ?? '.');
    const { config } = await loadConfig(root, values.config ? path.resolve(io.cwd, values.config) : undefined);
    const out = await runPreflight({ runDir: path.resolve(io.cwd, runDirArg), root, config, env: io.env, fetch: fetchFn, now });
    io.stdout(fmt === 'json' ? preflightJson(out) : preflightText(out));
    return out.status === 'admitted' ? 0 : 1;
  };

  const verify: Command = async (args, io) => {
    const { values, positionals } = parseArgs({
      args,
      allowPositionals: true,
      options: {
        root: { type: 'string' },
        'admission-file': { type: 'string' },
        config: { type: 'string' },
        format: { type: 'string' },
        'exit-zero': { type: 'boolean', default: false },
        manifest: { type: 'string' },
      },
    });
    const fmt = oneOf('format', values.format, ['text', 'json', 'sarif'] as const, 'text');
    if (positionals.length !== 1) throw new EvaluationError('verify-evidence takes one run directory');
    const root = path.resolve(io.cwd, values.root ?? '.');
    const { config } = await loadConfig(root, values.config ? path.resolve(io.cwd, values.config) : undefined);
    const given = positionals[0]!;
    const result = await verifyEvidence({
      runDir: path.resolve(io.cwd, given),
      display: displayPath(io.cwd, given),
      root,
      config,
      env: io.env,
      ...(values['admission-file'] ? { admissionFile: values['admission-file'] } : {}),
      manifest: values.manifest ? { check: path.resolve(io.cwd, values.manifest) } : 'write',
    });
    io.stdout(renderEvidence(result, fmt));
    return values['exit-zero'] || result.summary.errors === 0 ? 0 : 1;
  };

  const evidence: Command = async (args, io) => {
    const { values, positionals } = parseArgs({
      args,
      allowPositionals: true,
      options: { root: { type: 'string' }, config: { type: 'string' }, format: { type: 'string' }, 'artifact-name': { type: 'string' } },
    });
    const fmt = oneOf('format', values.format, ['markdown', 'json'] as const, 'markdown');
    if (positionals.length !== 1) throw new EvaluationError('evidence takes one run directory');
    const root = path.resolve(io.cwd, values.root ?? '.');
    const { config } = await loadConfig(root, values.config ? path.resolve(io.cwd, values.config) : undefined);
    const given = positionals[0]!;
    const { ctx } = await loadEvidence({ runDir: path.resolve(io.cwd, given), display: displayPath(io.cwd, given), root, config, env: io.env });
    const runDir = path.resolve(io.cwd, given);
    const sum = evidenceSummary({
      ctx,
      // Never an absolute runner path: a directory outside the working directory is named by its last component.
      dir: path.isAbsolute(given) || toPosix(path.relative(io.cwd, runDir)).startsWith('..') ? path.basename(runDir) : toPosix(path.relative(io.cwd, runDir) || '.'),
      config,
      env: io.env,
      provenance: await provenance(runDir, ctx, io.env, values['artifact-name']),
    });
    io.stdout(fmt === 'json' ? JSON.stringify(sum) + '\n' : evidenceMarkdown(sum));
    return sum.report_status === undefined ? 2 : 0;
  };

  const dispatch: Command = async (args, io) => {
    const { values } = parseArgs({
      args,
      options: {
        workflow: { type: 'string' },
        ref: { type: 'string' },
        'admission-file': { type: 'string' },
        wait: { type: 'boolean', default: false },
        'timeout-minutes': { type: 'string' },
        repo: { type: 'string' },
        root: { type: 'string' },
        config: { type: 'string' },
        format: { type: 'string' },
      },
    });
    const fmt = oneOf('format', values.format, ['text', 'json'] as const, 'text');
    for (const k of ['workflow', 'ref', 'admission-file'] as const) if (!values[k]) throw new EvaluationError(`--${k} is required`);
    const timeoutMinutes = parseTimeout(values['timeout-minutes']);
    const repoFull = values.repo ?? io.env.GITHUB_REPOSITORY ?? '';
    const m = /^([A-Za-z0-9_.-]+)\/([A-Za-z0-9_.-]+)$/.exec(repoFull);
    if (!m) throw new EvaluationError(repoFull ? `--repo must be OWNER/NAME, not ${JSON.stringify(shown(repoFull))}` : '--repo OWNER/NAME is required (or GITHUB_REPOSITORY)');
    const token = io.env.GITHUB_TOKEN;
    if (!token) throw new EvaluationError('GITHUB_TOKEN is not set: dispatch needs a token with the actions: write permission');
    const root = path.resolve(io.cwd, values.root ?? '.');
    const { config } = await loadConfig(root, values.config ? path.resolve(io.cwd, values.config) : undefined);
    const admissionRel = toPosix(path.relative(root, path.resolve(root, values['admission-file']!)));
    const result = evaluate({ files: await loadTree(root, config), config, baseline: await loadBaseline(root, config) });
    const ready = stage2Readiness(result, admissionRel, config.vocabularies['decision-status'].filter((s) => s !== 'not_decided'));
    if (!ready.ready || !ready.provider || !ready.model) {
      io.stdout(fmt === 'json' ? JSON.stringify({ status: 'not-ready', reasons: ready.reasons }) + '\n' : `not stage2-ready:\n${ready.reasons.map((r) => `  - ${r}`).join('\n')}\n`);
      return 1;
    }
    const client = await (deps.octokit ?? defaultOctokit)(token, io.env.GITHUB_API_URL || 'https://api.github.com');
    const out = await dispatchStage2({
      client,
      owner: m[1]!,
      repo: m[2]!,
      workflow: values.workflow!,
      ref: values.ref!,
      inputs: { 'admission-file': admissionRel, provider: ready.provider, model: ready.model },
      wait: values.wait,
      timeoutMs: timeoutMinutes * 60_000,
      now,
      sleep,
      log: (l) => io.stderr(l + '\n'),
    });
    if (fmt === 'json') {
      io.stdout(JSON.stringify({ status: 'dispatched', run_id: out.runId ?? null, run_url: out.runUrl ?? null, conclusion: out.conclusion ?? null, found: out.found, notes: out.notes }) + '\n');
    } else {
      io.stdout(
        [`dispatched ${values.workflow} on ${values.ref} with ${ready.provider} / ${ready.model}`, `run-id: ${out.runId ?? '(not found)'}`, `run-url: ${out.runUrl ?? '(not found)'}`, ...(out.conclusion ? [`conclusion: ${out.conclusion}`] : []), ...out.notes.map((n) => `note: ${n}`)].join('\n') + '\n',
      );
    }
    return out.conclusion === undefined || out.conclusion === 'success' ? 0 : 1;
  };

  return { preflight, 'verify-evidence': verify, evidence, dispatch };
}

/** What an evidence block cites so that a reader can follow it back: the run, the commit, the admission, the artifact. */
async function provenance(runDir: string, ctx: Awaited<ReturnType<typeof loadEvidence>>['ctx'], env: Record<string, string | undefined>, artifactName: string | undefined): Promise<EvidenceProvenance> {
  const sha = async (abs: string) => createHash('sha256').update(await readFile(abs)).digest('hex');
  const server = env.GITHUB_SERVER_URL || 'https://github.com';
  const out: EvidenceProvenance = {};
  if (env.GITHUB_REPOSITORY && env.GITHUB_RUN_ID) out.run_url = `${server}/${env.GITHUB_REPOSITORY}/actions/runs/${env.GITHUB_RUN_ID}${env.GITHUB_RUN_ATTEMPT ? `/attempts/${env.GITHUB_RUN_ATTEMPT}` : ''}`;
  if (env.GITHUB_SHA) out.commit_sha = env.GITHUB_SHA;
  if (ctx.admission.kind === 'ok') {
    out.admission_file = ctx.admission.rel ?? ctx.admission.display;
    out.admission_sha256 = await sha(ctx.admission.abs);
  }
  const name = artifactName ?? env.SOT_GATE_ARTIFACT_NAME;
  if (name) out.artifact_name = name;
  const manifest = path.join(runDir, MANIFEST_FILE);
  const st = await lstat(manifest).catch(() => undefined);
  if (st?.isFile()) out.manifest_sha256 = await sha(manifest);
  return out;
}

export function parseTimeout(value: string | undefined, dflt = 60): number {
  if (value === undefined || value === '') return dflt;
  const n = Number(value);
  if (!Number.isFinite(n) || n <= 0 || n > 24 * 60) throw new EvaluationError(`--timeout-minutes must be a number of minutes between 0 and 1440, not ${JSON.stringify(shown(String(value)))}`);
  return n;
}

export function preflightJson(o: PreflightOutcome): string {
  return (
    JSON.stringify({
      status: o.status,
      case_model_admission_status: o.case_model_admission_status,
      case_model_provider: o.case_model_provider,
      case_model: o.case_model,
      reason: o.reason,
      ...(o.marker ? { marker: o.marker } : {}),
      ...(o.configFile ? { config_file: o.configFile } : {}),
    }) + '\n'
  );
}

export function preflightText(o: PreflightOutcome): string {
  const pair = `${o.case_model_provider || '(unset)'} / ${o.case_model || '(unset)'}`;
  if (o.status === 'admitted') return `admitted: ${pair}\n${o.reason}\nconfig: ${o.configFile}\n`;
  return `blocked (case_model_admission_status ${o.case_model_admission_status}): ${pair}\n${o.reason}\nmarker: ${o.marker}\n`;
}

export const STAGE2_COMMANDS: Record<string, Command> = createStage2Commands();
export { ENV as STAGE2_ENV };
