/** `--format text`: one line per finding, `file:line:col: severity rule: message`, then the counts. */
import type { CheckResult, Finding } from '../types.js';

const loc = (f: Finding) => `${f.file}:${f.line}${f.column ? `:${f.column}` : ''}`;

export function toText(result: CheckResult): string {
  const lines: string[] = [];
  for (const f of result.findings) lines.push(`${loc(f)}: ${f.severity} ${f.ruleId}: ${f.message}`);
  for (const f of result.suppressed) {
    lines.push(`${loc(f)}: suppressed (${f.suppressed?.kind}: ${f.suppressed?.reason}) ${f.ruleId}: ${f.message}`);
  }
  for (const n of result.notes) lines.push(`note: ${n}`);
  const s = result.summary;
  lines.push(
    `${s.files} file${s.files === 1 ? '' : 's'} checked: ${s.errors} error${s.errors === 1 ? '' : 's'}, ${s.warnings} warning${s.warnings === 1 ? '' : 's'}, ${s.suppressed} suppressed`,
  );
  return lines.join('\n') + '\n';
}
