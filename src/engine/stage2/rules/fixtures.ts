/** Builders for the evidence rules' examples: a valid passing run directory, with one thing changed per example. */
import { admissionJson } from '../../rules/fixtures.js';

export const ADMISSION_FILE = '.sot/03-PROTOCOLS/CTO-CASE-MODEL-PROVIDER-ADMISSION.qwen-local-qwen3.6-35b-a3b.json';
export const ADMITTED = { provider: 'qwen-local', model: 'qwen3.6-35b-a3b' } as const;
export const RUN_ID = '20260601T020117Z-r1-string-slugify-2566310';
export const FIXTURE = 'r1-string-slugify';
/** The run's clock: the run starts, the fake baseline runs and finishes, Case runs, the report is written. */
export const T = { runStart: '2026-06-01T02:01:17Z', baseStart: '2026-06-01T02:01:18Z', baseEnd: '2026-06-01T02:02:05Z', runEnd: '2026-06-01T02:09:40Z' } as const;
export const BASELINE = { backend: 'fake', status: 'pass', run_id: RUN_ID, case: FIXTURE, started_at: T.baseStart, finished_at: T.baseEnd } as const;

export const validAdmission = (overrides: Record<string, unknown> = {}) => admissionJson(overrides);

export function report(overrides: Record<string, unknown> = {}): string {
  const value: Record<string, unknown> = {
    run_id: RUN_ID,
    case: 'r1-string-slugify',
    status: 'pass',
    backend: 'case',
    case_process_started: true,
    case_model_provider: ADMITTED.provider,
    case_model: ADMITTED.model,
    case_model_admission_status: 'admitted',
    failure_reason: null,
    baseline: { ...BASELINE },
    started_at: T.runStart,
    finished_at: T.runEnd,
    ...overrides,
  };
  for (const [k, v] of Object.entries(value)) if (v === undefined) delete value[k];
  return JSON.stringify(value, null, 2) + '\n';
}

export const ev = (event: string, extra: Record<string, unknown> = {}) => JSON.stringify({ event, ts: '2026-06-01T02:01:17Z', ...extra });

export function trace(lines: string[] = PASS_TRACE): string {
  return lines.join('\n') + '\n';
}

export const PASS_TRACE = [
  ev('baseline_started', { backend: 'fake' }),
  ev('baseline_finished', { backend: 'fake', status: 'pass' }),
  ev('case_model_admission_checked', { case_model_admission_status: 'admitted', case_model_provider: ADMITTED.provider, case_model: ADMITTED.model }),
  ev('case_process_started', { provider: ADMITTED.provider, model: ADMITTED.model }),
  ev('case_process_finished', { exit_code: 0 }),
];

export const BLOCKED_TRACE = [
  ev('case_model_admission_blocked', { case_model_admission_status: 'mismatch', case_model_provider: 'anthropic', case_model: 'claude-sonnet-4-6', reason: 'requested pair does not match' }),
];

/** A passing run directory; `files` entries override (undefined removes one). */
export function passRun(files: Record<string, string | undefined> = {}): Record<string, string> {
  const out: Record<string, string | undefined> = {
    'report.json': report(),
    'report.md': '# Stage 2 run\n\n- Report status: `pass`.\n',
    'trace.jsonl': trace(),
    'backend/case-stdout.log': 'AGENT_RESULT start\nok\n',
    'case-data/config.json': JSON.stringify({ models: { default: ADMITTED.model, provider: ADMITTED.provider } }) + '\n',
    ...files,
  };
  return Object.fromEntries(Object.entries(out).filter((e): e is [string, string] => e[1] !== undefined));
}

/** A run blocked by the admission gate before case_process_started. */
export function blockedRun(files: Record<string, string | undefined> = {}): Record<string, string> {
  return passRun({
    'report.json': report({
      status: 'blocked',
      case_process_started: false,
      case_model_provider: 'anthropic',
      case_model: 'claude-sonnet-4-6',
      case_model_admission_status: 'mismatch',
      failure_reason: 'requested pair does not match the admitted pair',
      baseline: undefined,
    }),
    'trace.jsonl': trace(BLOCKED_TRACE),
    'backend/provider-model-not-admitted.txt': 'blocked before case_process_started\n',
    'backend/case-stdout.log': undefined,
    'case-data/config.json': undefined,
    ...files,
  });
}
