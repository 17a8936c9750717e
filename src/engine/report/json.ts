/** `--format json`: the CLI's public JSON shape (version 1). Fields are only ever added, never renamed. */
import type { CheckResult, Finding } from '../types.js';
import { displayed } from './display.js';

const out = (f: Finding) => ({
  ruleId: f.ruleId,
  severity: f.severity,
  file: f.file,
  line: f.line,
  ...(f.column ? { column: f.column } : {}),
  message: f.message,
  ...(f.fingerprint ? { fingerprint: f.fingerprint } : {}),
  ...(f.suppressed ? { suppressed: f.suppressed } : {}),
  ...(f.commit ? { commit: f.commit } : {}),
});

/** Paths, notes and suppression reasons with detected secrets redacted (JSON.stringify escapes control characters). */
export function toJson(input: CheckResult): string {
  const result = displayed(input);
  return (
    JSON.stringify({
      version: 1,
      summary: result.summary,
      findings: result.findings.map(out),
      suppressed: result.suppressed.map(out),
      ...(result.notes.length ? { notes: result.notes } : {}),
    }) + '\n'
  );
}
