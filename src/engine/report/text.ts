/** `--format text`: one line per finding, `file:line:col: severity rule: message`, then the counts. */
import type { CheckResult, Finding } from '../types.js';
import { displayed, escapeControls as esc } from './display.js';

const loc = (f: Finding) => `${esc(f.file)}:${f.line}${f.column ? `:${f.column}` : ''}`;

export function toText(input: CheckResult): string {
  const result = displayed(input);
  const lines: string[] = [];
  for (const f of result.findings) lines.push(`${loc(f)}: ${f.severity} ${esc(f.ruleId)}: ${esc(f.message)}`);
  for (const f of result.suppressed) {
    lines.push(`${loc(f)}: suppressed (${f.suppressed?.kind}: ${esc(f.suppressed?.reason ?? '')}) ${esc(f.ruleId)}: ${esc(f.message)}`);
  }
  for (const n of result.notes) lines.push(`note: ${esc(n)}`);
  const s = result.summary;
  lines.push(
    `${s.files} file${s.files === 1 ? '' : 's'} checked: ${s.errors} error${s.errors === 1 ? '' : 's'}, ${s.warnings} warning${s.warnings === 1 ? '' : 's'}, ${s.suppressed} suppressed`,
  );
  return lines.join('\n') + '\n';
}
