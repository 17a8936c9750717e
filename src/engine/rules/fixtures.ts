/**
 * Builders for the rules' examples: a valid SOT tree modelled on the seeds, with one field changed per example.
 * Kept small so that every example reads as "the valid tree, except ...".
 */
export const DECISION_PATH = '.sot/03-PROTOCOLS/CTO-CASE-PROVIDER-DECISION-RECORD.md';
export const ISSUES_PATH = '.sot/03-PROTOCOLS/CTO-CASE-MODEL-PROVIDER-ADMISSION-ISSUES.md';
export const admissionPath = (provider: string, model: string) =>
  `.sot/03-PROTOCOLS/CTO-CASE-MODEL-PROVIDER-ADMISSION.${provider}-${model}.json`;

export function frontMatter(overrides: Record<string, string | null> = {}): string {
  const fm: Record<string, string | null> = {
    title: 'CTO Case Provider Decision Record',
    status: 'draft',
    lifecycle_classification: 'sot',
    owner: 'jp',
    created: '2026-05-31',
    last_reviewed: '2026-05-31',
    core_promotion_status: 'not-promoted',
    route: 'cto',
    ...overrides,
  };
  const lines = Object.entries(fm)
    .filter(([, v]) => v !== null)
    .map(([k, v]) => `${k}: ${v}`);
  return `---\n${lines.join('\n')}\n---\n`;
}

export const LOCAL_DECISION: Record<string, string> = {
  decision_status: '`local_provider_required`',
  provider_class: '`local_case_compatible`',
  provider: '`qwen-local`',
  model: '`qwen3.6-35b-a3b`',
  fallback_provider: '`openai-codex`',
  fallback_model: '`gpt-5.5`',
  approval_source: 'JP chat approval on 2026-05-31',
  credential_source_class: '`pi-models-json-local-provider-no-secret-plus-codex-oauth-fallback`; no secret value',
  allowed_network_class: '`local-tailscale-vllm-spark1-plus-codex-oauth-fallback`',
  review_trigger: 'before real Case Stage 2 admission JSON is written, before any credential source change, and before any default/fallback model change',
  evidence_sources: '`CTO-CASE-MODEL-PROVIDER-ADMISSION-ISSUES.md`, `CTO-CASE-PROVIDER-DECISION-PACKET-PRD.md`',
  effect: '`CTO-WORK-020 remains blocked until admitted provider/model and real Stage 2 pass report exist`',
};

export const EXTERNAL_DECISION: Record<string, string> = {
  ...LOCAL_DECISION,
  decision_status: '`external_provider_approved`',
  provider_class: '`external_openai_codex`',
  provider: '`openai-codex`',
  model: '`gpt-5.5`',
  fallback_provider: '`vllm`',
  fallback_model: '`qwen3.6-35b-a3b`',
  credential_source_class: '`hermes-openai-codex-oauth-and-local-vllm-config`; no secret value',
  allowed_network_class: '`codex-oauth-hosted-model-plus-local-vllm-fallback`',
};

export const UNDECIDED: Record<string, string | null> = {
  ...Object.fromEntries(Object.keys(LOCAL_DECISION).map((k) => [k, null])),
  decision_status: '`not_decided`',
  approval_source: 'none yet',
};

/** A decision record: `fields` override LOCAL_DECISION (null removes a field); `history` lists previous statuses. */
export function decisionDoc(
  fields: Record<string, string | null> = {},
  history: string[] = ['not_decided'],
  fm: Record<string, string | null> = {},
): string {
  const merged = { ...LOCAL_DECISION, ...fields };
  const bullets = Object.entries(merged)
    .filter(([, v]) => v !== null)
    .map(([k, v]) => `- \`${k}\`: ${v}.`);
  const hist = history.map((h) => `- \`decision_status\`: \`${h}\`.`);
  return [
    frontMatter(fm),
    '# CTO Case Provider Decision Record',
    '',
    '## Current Decision State',
    '',
    ...bullets,
    '',
    '## Decision History',
    '',
    'Previous state:',
    '',
    ...hist,
    '',
  ].join('\n');
}

export function admissionJson(overrides: Record<string, unknown> = {}): string {
  const value: Record<string, unknown> = {
    status: 'admitted',
    provider: 'qwen-local',
    model: 'qwen3.6-35b-a3b',
    credential_source_class: 'pi-models-json-local-provider-no-secret',
    allowed_network_class: 'local-tailscale-vllm-spark1',
    approval_source: 'JP chat approval on 2026-05-31',
    admission_timestamp: '2026-05-31T21:50:00-04:00',
    review_trigger: 'before any credential source change',
    ...overrides,
  };
  for (const [k, v] of Object.entries(value)) if (v === undefined) delete value[k];
  return JSON.stringify(value, null, 2) + '\n';
}

/** A valid local tree: decision record plus the qwen-local admission. */
export function localTree(extra: Record<string, string | Uint8Array> = {}): Record<string, string | Uint8Array> {
  return {
    [DECISION_PATH]: decisionDoc(),
    [admissionPath('qwen-local', 'qwen3.6-35b-a3b')]: admissionJson(),
    ...extra,
  };
}

export function issuesDoc(items: string): string {
  return `${frontMatter({ title: 'CTO Case Model Provider Admission Issues' })}\n# Issues\n\n${items}\n`;
}
