/**
 * The job summary (Markdown, GitHub flavoured): outcome, counts, what was checked, a table of findings with links to
 * each rule's docs, and the suppressed findings. Pure. Kept under GitHub's 1 MiB step-summary limit: past the budget,
 * rows are left out and a note says how many and where the full list is.
 */
import { docsUrl } from '../rules/rule.js';
import type { CheckResult, Finding } from '../types.js';
import { displayed, escapeControls, redactor } from './display.js';

/** GitHub rejects a step summary over 1 MiB; keep a margin for what core.summary adds. */
export const SUMMARY_LIMIT = 1024 * 1024 - 4096;

export interface SummaryInfo {
  outcome: 'passed' | 'failed';
  scope: 'changed' | 'all';
  /** The evaluated root, relative to the repository. */
  root: string;
  /** Where the policy came from, e.g. ".github/sot-gate.yml at base 1a2b3c4" or "defaults". */
  policy: string;
  changed?: { total: number; relevant: number; source: 'api' | 'git'; fallbackReason?: string };
  /** SOT or admission files the pull request deletes. */
  deleted?: readonly string[];
  /** True when scope is changed and no SOT, admission or policy file changed. */
  nothingToCheck?: boolean;
  /** Lines about change control (who approved, or why no approval counts). */
  approval?: string;
  notes?: readonly string[];
  /** Byte budget (default SUMMARY_LIMIT). */
  limit?: number;
  /** Where the complete list is when the table is cut (e.g. "the SARIF file and the `findings` output"). */
  fullListAt?: string;
}

/** `1 error`, `2 errors`. */
export const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;

/** A table cell: no pipe, no newline, no raw HTML, no other control or bidirectional-formatting character. */
export function cell(text: string): string {
  return escapeControls(
    text
      .replace(/&/g, '&amp;')
      .replace(/</g, '&lt;')
      .replace(/>/g, '&gt;')
      .replace(/\|/g, '\\|')
      .replace(/\r?\n|\r/g, ' '),
  );
}

/**
 * Inline code in a table cell, for names from input (paths): every control character escaped (`\n`, `\u202e`), pipes
 * escaped, and a fence longer than any run of backticks inside, so a name cannot close the span and add Markdown.
 * Code spans show `<` and `&` literally: no HTML escaping needed (or wanted) here.
 */
export function code(text: string): string {
  const body = escapeControls(text).replace(/\|/g, '\\|');
  const fence = '`'.repeat(Math.max(0, ...(body.match(/`+/g) ?? []).map((r) => r.length)) + 1);
  const pad = body.startsWith('`') || body.endsWith('`') ? ' ' : '';
  return `${fence}${pad}${body}${pad}${fence}`;
}

const loc = (f: Finding) => `${f.file}:${f.line}${f.column ? `:${f.column}` : ''}`;

function row(f: Finding): string {
  const icon = f.severity === 'error' ? '❌ error' : '⚠️ warning';
  return `| ${icon} | [${code(f.ruleId)}](${docsUrl(f.ruleId)}) | ${code(loc(f))} | ${cell(f.message)} |`;
}

function suppressedRow(f: Finding): string {
  const how = f.suppressed ? `${f.suppressed.kind}: ${f.suppressed.reason}${f.suppressed.expires ? ` (until ${f.suppressed.expires})` : ''}` : '';
  return `| [${code(f.ruleId)}](${docsUrl(f.ruleId)}) | ${code(loc(f))} | ${cell(f.message)} | ${cell(how)} |`;
}

const bytes = (s: string) => Buffer.byteLength(s, 'utf8');

export function toSummary(input: CheckResult, info: SummaryInfo): string {
  const result = displayed(input);
  const red = redactor();
  const limit = info.limit ?? SUMMARY_LIMIT;
  const s = result.summary;
  const head: string[] = [];
  // Never "passed" above errors: a run that does not fail (fail-on: never, warning-only policies) but found errors says so.
  const headline =
    info.outcome === 'failed' ? '❌ sot-gate: failed' : s.errors > 0 ? `⚠️ sot-gate: ${plural(s.errors, 'error')} found (not failing the check)` : '✅ sot-gate: passed';
  head.push(`## ${headline}`, '');
  if (info.nothingToCheck) {
    head.push('No SOT, admission or policy file changed in this pull request: nothing to check, the check passes.', '');
  }
  head.push(
    `**${plural(s.errors, 'error')}**, ${plural(s.warnings, 'warning')}, ${s.suppressed} suppressed; ${plural(s.files, 'file')} evaluated.`,
    '',
  );
  const facts: string[] = [`- Root: ${code(red(info.root))}`, `- Policy: ${cell(red(info.policy))}`];
  if (info.scope === 'changed' && info.changed) {
    facts.push(
      `- Scope: changed files — ${plural(info.changed.total, 'file')} in the pull request (${info.changed.source === 'api' ? 'from the API' : 'from git diff'}), ${info.changed.relevant} SOT/admission/policy`,
    );
    if (info.changed.fallbackReason) facts.push(`- Changed files from git because ${cell(info.changed.fallbackReason)}`);
  } else {
    facts.push(`- Scope: ${info.scope === 'all' ? 'all files' : 'changed files'}`);
  }
  if (result.decision) facts.push(`- Decision status: ${code(result.decision.status ?? '(missing)')} in ${code(result.decision.file)}`);
  if (result.admittedPairs.length) {
    facts.push(`- Admitted pairs: ${result.admittedPairs.map((p) => `${code(`${p.provider}/${p.model}`)} (${p.role})`).join(', ')}`);
  }
  if (info.approval) facts.push(`- Change control: ${cell(info.approval)}`);
  head.push(...facts, '');
  if (info.deleted?.length) {
    head.push(`### ⚠️ ${plural(info.deleted.length, 'governance file')} deleted`, '');
    for (const d of info.deleted) head.push(`- ${code(red(d))}`);
    head.push('', 'A deleted admission withdraws that admission; review that this is intended.', '');
  }
  for (const n of [...(info.notes ?? []).map(red), ...result.notes]) head.push(`> ${cell(n)}`, '');

  const out: string[] = [...head];
  let used = bytes(out.join('\n'));
  const reserve = 1024;
  const budget = () => limit - reserve - used;
  const push = (line: string): boolean => {
    const b = bytes(line) + 1;
    if (b > budget()) return false;
    out.push(line);
    used += b;
    return true;
  };
  let left = 0;
  if (result.findings.length) {
    push('### Findings');
    push('');
    push('| Severity | Rule | Location | Message |');
    push('| --- | --- | --- | --- |');
    for (let i = 0; i < result.findings.length; i++) {
      if (!push(row(result.findings[i]!))) {
        left += result.findings.length - i;
        break;
      }
    }
    push('');
  }
  if (result.suppressed.length) {
    const ok = push(`<details><summary>${plural(result.suppressed.length, 'suppressed finding')} (listed, not failing)</summary>`) && push('') && push('| Rule | Location | Message | Suppressed by |') && push('| --- | --- | --- | --- |');
    let i = 0;
    if (ok) for (; i < result.suppressed.length && push(suppressedRow(result.suppressed[i]!)); i++);
    left += result.suppressed.length - i;
    if (ok) {
      push('');
      push('</details>');
      push('');
    }
  }
  if (left) {
    out.push(
      `> **${plural(left, 'more finding')} not shown**: the summary is kept under GitHub's 1 MiB limit. ${info.fullListAt ? `The complete list is in ${info.fullListAt}.` : 'Run `sot-gate check --format json` for the complete list.'}`,
      '',
    );
  }
  return out.join('\n');
}
