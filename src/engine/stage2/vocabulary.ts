/**
 * The Stage 2 vocabulary, taken from the seed documents (CTO-WORK-019/-020, the Hermes implementation and auth
 * preflight evidence, the local provider route PRD). These strings are public interface: the harness, the evidence
 * format and the docs use them; never rename one.
 */

/** Environment variables the harness reads (the env pair is only the request; the admission JSON is the authority). */
export const ENV = {
  admissionFile: 'CTO_HARNESS_CASE_MODEL_ADMISSION_FILE',
  provider: 'CTO_HARNESS_CASE_MODEL_PROVIDER',
  model: 'CTO_HARNESS_CASE_MODEL',
  localBaseUrl: 'CTO_HARNESS_CASE_LOCAL_BASE_URL',
  codexAuthBridge: 'CTO_HARNESS_CASE_OPENAI_CODEX_AUTH_BRIDGE',
  caseDataDir: 'CASE_DATA_DIR',
} as const;

/** case_model_admission_status values (Hermes commit f39d8ab). */
export const ADMISSION_STATUSES = ['admitted', 'missing_admission', 'mismatch', 'invalid_admission', 'not_admitted'] as const;
export type AdmissionStatus = (typeof ADMISSION_STATUSES)[number];

/** Backend markers a blocked preflight writes into the run directory (relative to it). */
export const MARKERS = {
  /** Admission missing / invalid / not admitted / mismatched, decision does not back the pair, endpoint lacks the model. */
  notAdmitted: 'backend/provider-model-not-admitted.txt',
  /** openai-codex without a proven non-vendor auth bridge (Hermes commit 5db23c7). */
  authUnavailable: 'backend/provider-auth-unavailable.txt',
  /** A local provider without CTO_HARNESS_CASE_LOCAL_BASE_URL (or with a value that is not an http(s) URL, or a URL with credentials, user:password@). */
  localConfigMissing: 'backend/provider-local-config-missing.txt',
  /** The local endpoint did not answer, timed out, answered with a redirect (never followed), or did not return an OpenAI-compatible model list. */
  localEndpointUnavailable: 'backend/provider-local-endpoint-unavailable.txt',
  /** The local endpoint answered a model list that does not include the admitted model (the admission itself is fine). */
  modelNotServed: 'backend/provider-model-not-served.txt',
  /**
   * The Case data directory is not this run's own: CASE_DATA_DIR points outside the run directory, or it already holds a
   * config.json that this preflight did not write (a shared or reused directory). Preflight never overwrites it.
   */
  caseDataNotIsolated: 'backend/provider-case-data-not-isolated.txt',
} as const;
export type Marker = (typeof MARKERS)[keyof typeof MARKERS];
export const MARKER_FILES: readonly string[] = Object.values(MARKERS);

/** trace.jsonl events. */
export const EVENTS = {
  checked: 'case_model_admission_checked',
  blocked: 'case_model_admission_blocked',
  processStarted: 'case_process_started',
} as const;

/** Run directory layout. */
export const RUN_FILES = {
  report: 'report.json',
  reportMd: 'report.md',
  trace: 'trace.jsonl',
  backendDir: 'backend',
  /** Default isolated Case data directory when CASE_DATA_DIR is not set: `<run-dir>/case-data`. */
  caseDataDir: 'case-data',
  config: 'config.json',
} as const;

/** The provider class whose route needs decision_status local_provider_required and a local endpoint. */
export const LOCAL_PROVIDER_CLASS = 'local_case_compatible';
export const LOCAL_DECISION_STATUS = 'local_provider_required';
/** The provider with the known auth gap and the variable that declares the bridge proven. */
export const CODEX_PROVIDER = 'openai-codex';

/** Timeout of the local endpoint probe (GET <base>/models). */
export const ENDPOINT_TIMEOUT_MS = 5_000;

/** Name used in every message instead of the endpoint value, which is never written anywhere. */
export const ENDPOINT_NAME = ENV.localBaseUrl;
