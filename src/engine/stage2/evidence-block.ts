/**
 * `sot-gate evidence <run-dir> --format markdown`: the "Runtime Evidence" bullet block the seeds use, ready to paste
 * into the admission issues document. Every value goes through the secret scanner and the endpoint check first: a
 * value that looks like a secret or the endpoint is withheld, never printed.
 */
import type { Config } from '../config.js';
import { scannerOptions, scanText } from '../scanner/index.js';
import { findNeedle, type EvidenceContext } from './context.js';
import { endpointNeedles } from './verify.js';

export interface EvidenceBlockInput {
  ctx: EvidenceContext;
  /** The run directory as given on the command line (or relative): printed as is. */
  dir: string;
  config: Config;
  env: Record<string, string | undefined>;
  /** Where the evidence comes from (run, commit, admission, artifact, manifest), when known. */
  provenance?: EvidenceProvenance;
}

export interface EvidenceProvenance {
  run_url?: string;
  commit_sha?: string;
  admission_file?: string;
  admission_sha256?: string;
  artifact_name?: string;
  manifest_sha256?: string;
}

export interface EvidenceSummary extends EvidenceProvenance {
  run_artifact_directory: string;
  report_status?: string;
  backend?: string;
  case_process_started?: boolean;
  case_model_provider?: string | null;
  case_model?: string | null;
  case_model_admission_status?: string;
  failure_reason?: string | null;
  baseline_status?: string;
  markers: string[];
}

/** A value safe to print: one line, no backticks breaking the code span, no secret, no endpoint. */
export function safeValue(value: string, config: Config, env: Record<string, string | undefined>): string {
  const oneLine = value.replace(/[\r\n\t]+/g, ' ').replace(/[\u0000-\u001f\u007f]/g, '').trim().slice(0, 500);
  const needles = config.secrets['endpoint-variables'].flatMap((v) => endpointNeedles(env[v] ?? ''));
  if (findNeedle(oneLine.toLowerCase(), needles.map((n) => n.toLowerCase())) >= 0) return '(withheld: contains the endpoint value)';
  const hits = scanText(oneLine, 'value', scannerOptions(config, 'artifact'));
  if (hits.length) return `(withheld: matched ${hits[0]!.ruleId ?? 'secret'})`;
  return oneLine;
}

export function evidenceSummary(input: EvidenceBlockInput): EvidenceSummary {
  const { ctx, config, env } = input;
  const s = (v: string | null | undefined) => (typeof v === 'string' ? safeValue(v, config, env) : v);
  const r = ctx.report.present ? ctx.report.value : undefined;
  return {
    run_artifact_directory: safeValue(input.dir, config, env),
    ...(r
      ? {
          report_status: r.status,
          backend: s(r.backend) ?? '',
          case_process_started: r.case_process_started,
          case_model_provider: s(r.case_model_provider) ?? null,
          case_model: s(r.case_model) ?? null,
          case_model_admission_status: r.case_model_admission_status,
          failure_reason: s(r.failure_reason ?? null) ?? null,
          ...(r.baseline ? { baseline_status: r.baseline.status } : {}),
        }
      : {}),
    markers: ctx.markers.map((m) => safeValue(m, config, env)),
    ...Object.fromEntries(Object.entries(input.provenance ?? {}).map(([k, v]) => [k, safeValue(String(v), config, env)])),
  };
}

const code = (v: string) => `\`${v.replace(/`/g, "'")}\``;

export function evidenceMarkdown(sum: EvidenceSummary): string {
  const lines = [`- Run artifact directory: ${code(sum.run_artifact_directory)}.`];
  if (sum.report_status === undefined) {
    lines.push('- Report: missing or invalid (see `sot-gate verify-evidence`).');
    return lines.join('\n') + '\n';
  }
  lines.push(`- Report status: ${code(sum.report_status)}.`);
  lines.push(`- Backend: ${code(sum.backend ?? '')}.`);
  lines.push(`- Case process started: ${code(String(sum.case_process_started))}.`);
  lines.push(`- Case model provider: ${sum.case_model_provider ? code(sum.case_model_provider) : '(unset)'}.`);
  lines.push(`- Case model: ${sum.case_model ? code(sum.case_model) : '(unset)'}.`);
  lines.push(`- Case model admission status: ${code(sum.case_model_admission_status ?? '')}.`);
  if (sum.failure_reason) lines.push(`- Failure reason: ${code(sum.failure_reason)}.`);
  for (const m of sum.markers) lines.push(`- Marker: ${code(m)}.`);
  if (sum.baseline_status) lines.push(`- Same-run fake baseline status: ${code(sum.baseline_status)}.`);
  if (sum.run_url) lines.push(`- Run: ${sum.run_url}.`);
  if (sum.commit_sha) lines.push(`- Commit: ${code(sum.commit_sha)}.`);
  if (sum.admission_file) lines.push(`- Admission file: ${code(sum.admission_file)}${sum.admission_sha256 ? ` (SHA-256 ${code(sum.admission_sha256)})` : ''}.`);
  if (sum.artifact_name) lines.push(`- Artifact: ${code(sum.artifact_name)}.`);
  if (sum.manifest_sha256) lines.push(`- Manifest (\`manifest.json\`, verified by \`sot-gate verify-evidence\`) SHA-256: ${code(sum.manifest_sha256)}.`);
  return lines.join('\n') + '\n';
}
