/**
 * How every output format shows text that comes from input (a file name, a note, a suppression reason): detected
 * secrets redacted (a file or directory may be named after a key), and, for the line-based formats (text, summary),
 * control and bidirectional-formatting characters escaped so a name cannot forge a line or reorder what is shown.
 * Fingerprints are computed elsewhere from the real path; only what is displayed changes.
 */
import { redactSecrets } from '../scanner/index.js';
import { escapeControls } from '../tree.js';
import type { CheckResult, Finding } from '../types.js';

export { escapeControls };

/** A redactor memoized for one report: one scan per distinct text (paths and reasons repeat across findings). */
export function redactor(): (text: string) => string {
  const memo = new Map<string, string>();
  return (text) => {
    let shown = memo.get(text);
    if (shown === undefined) {
      shown = redactSecrets(text);
      memo.set(text, shown);
    }
    return shown;
  };
}

/**
 * The result as it may be displayed: secrets redacted in every path, note and suppression reason (messages and the
 * decision status are redacted at their source; filesEvaluated is not displayed). Not escaped: JSON and SARIF escape
 * by their own rules, text and summary call escapeControls.
 */
export function displayed(result: CheckResult): CheckResult {
  const red = redactor();
  const finding = (f: Finding): Finding => ({
    ...f,
    file: red(f.file),
    ...(f.suppressed ? { suppressed: { ...f.suppressed, reason: red(f.suppressed.reason) } } : {}),
  });
  return {
    ...result,
    findings: result.findings.map(finding),
    suppressed: result.suppressed.map(finding),
    notes: result.notes.map(red),
    ...(result.decision ? { decision: { ...result.decision, file: red(result.decision.file) } } : {}),
    admittedPairs: result.admittedPairs.map((p) => ({ ...p, file: red(p.file) })),
  };
}
