/**
 * The one result model every adapter (CLI, action) and every output format
 * (text, json, sarif, summary, annotations) is fed from.
 *
 * Invariant: no `message` may contain a detected secret or endpoint value.
 * Detectors redact at the source (see scanner/redact.ts) before a Finding is built.
 */
export type Severity = 'error' | 'warning';
export type SeveritySetting = Severity | 'off';

export interface Location {
  /** Path relative to the scanned root, POSIX separators. */
  file: string;
  /** 1-based line. 0 is never used: a file-level problem points at line 1. */
  line: number;
  /** 1-based column, when known. */
  column?: number;
}

export interface Finding extends Location {
  ruleId: string;
  severity: Severity;
  message: string;
  /** Stable id of this finding that never contains the secret itself (sha256-based). */
  fingerprint?: string;
  /** Present when an inline allow comment or a baseline entry suppressed it. */
  suppressed?: Suppression;
  /** A finding in git history (`scan --git-range`, the action's commit scan): the commit's short SHA. */
  commit?: string;
}

export interface Suppression {
  kind: 'inline' | 'baseline';
  reason: string;
  /** Baseline entry expiry, ISO date, if any. */
  expires?: string;
}

/** What a rule reports: the engine fills in ruleId and severity from the rule and config. */
export interface RawFinding extends Location {
  message: string;
  fingerprint?: string;
  /** Only for rules whose id is a family (secret/<kind>): the concrete id. */
  ruleId?: string;
  /** Set by the scanner on a documentation example (a `sot-gate:example` line of a Markdown file). */
  suppressed?: Suppression;
}

export interface Summary {
  files: number;
  errors: number;
  warnings: number;
  suppressed: number;
}

export interface CheckResult {
  version: 1;
  summary: Summary;
  /** Unsuppressed findings, sorted: errors first, then file, line, column, ruleId. */
  findings: Finding[];
  /** Suppressed findings, listed and counted, never silently hidden. */
  suppressed: Finding[];
  /** Notes that are not findings (skipped binary files, etc.). */
  notes: string[];
  /** Decision state seen, for outputs. */
  decision?: { status: string | undefined; file: string };
  /**
   * Admitted pairs that passed every admission rule, from the evaluation of the whole tree (never scope-filtered): an
   * admission with an error finding, suppressed or not, is not admitted.
   */
  admittedPairs: Array<{ provider: string; model: string; role: 'primary' | 'fallback'; file: string }>;
  /**
   * For admission decisions (stage2-ready, dispatch, preflight): the error findings of the whole tree, whatever the scope,
   * suppressed governance errors included (only a suppressed exposure finding does not count). The count and the first.
   */
  treeErrors?: { count: number; first?: { ruleId: string; file: string; line: number } };
  /** Files evaluated (relative). */
  filesEvaluated: string[];
}

/** Thrown for "could not evaluate": CLI exit 2, action failed with this message. */
export class EvaluationError extends Error {
  override readonly name = 'EvaluationError';
}

/** The summary counts of a result: one definition for check, scan and verify-evidence. */
export function summarize(files: number, findings: readonly Finding[], suppressed: readonly Finding[]): Summary {
  let errors = 0;
  let warnings = 0;
  for (const f of findings) f.severity === 'error' ? errors++ : warnings++;
  return { files, errors, warnings, suppressed: suppressed.length };
}
