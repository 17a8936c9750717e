/**
 * The contract every detector implements. A newcomer adds a detector by copying one file
 * under detectors/ and listing it in index.ts.
 */
export type ScanKind = 'sot' | 'admission' | 'artifact';

export interface ScanOptions {
  /** Variables whose value is a private endpoint (e.g. CTO_HARNESS_CASE_LOCAL_BASE_URL). */
  endpointVariables: string[];
  /** Globs / path prefixes of Target Repository paths. */
  targetRepositoryPatterns: string[];
  /** What kind of file is scanned: an admission file may hold no secret-named key at all. */
  kind: ScanKind;
}

/** One hit inside the window a detector was given. */
export interface Match {
  /** Offset of the reported value inside the window (the finding's column). */
  index: number;
  /** The sensitive value: hashed into the fingerprint, shown only redacted. Never logged. */
  value: string;
  /** Override of the detector's message, built with redact(); must not contain the value. */
  message?: string;
}

export interface Detector {
  /** Public rule id, e.g. `secret/openai`. */
  id: string;
  /** Human name used in messages, e.g. `OpenAI API key`. */
  title: string;
  /** One line: what it detects. */
  summary: string;
  /** A Markdown paragraph for docs/rules: what, why, how it avoids false positives. */
  docs: string;
  /**
   * Lowercase literals; the prefilter hands a line to this detector only when one occurs there.
   * Empty when the detector only uses `dynamicKeywords` or `trigger`.
   */
  keywords: readonly string[];
  /** Keywords that depend on the options (endpoint variables, target patterns). */
  dynamicKeywords?: (opts: ScanOptions) => string[];
  /** A linear regex (flag g) that marks candidate positions, for detectors with no literal keyword. */
  trigger?: RegExp;
  /** Characters after the line start the window may extend to (multi-line formats). Default: the line. */
  windowAfter?: number;
  /**
   * The window is the line and the next one (a value written on the line below its name, as in a Kubernetes env entry
   * `- name: X` / `value: …`). Matches in the next line are reported where they are.
   */
  nextLine?: boolean;
  /**
   * Lower runs first; a later match overlapping an earlier one on the same span is dropped
   * (a JWT inside an Authorization header is reported once, as a JWT). Default 0 (specific format).
   */
  priority?: number;
  /** Why it matters, appended to every message. Default: secret values must not appear. */
  reason?: string;
  /** Find matches in a window (one line, or windowAfter chars from a line start). */
  find(window: string, opts: ScanOptions): Match[];
  /** Gitleaks-style examples: each tp must fire, each fp must stay quiet. */
  examples: { tp: string[]; fp: string[] };
  /** Options the examples are written for, when they need configuration (target patterns); shown on the docs page. */
  exampleOptions?: Pick<ScanOptions, 'targetRepositoryPatterns'>;
}
