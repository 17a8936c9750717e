/**
 * Findings as workflow annotations, errors first. GitHub shows at most 10 error and 10 warning annotations per step,
 * so at most that many of each are emitted, then one notice says how many more there are and where they are listed.
 */
import type { Finding } from '../engine/types.js';
import type { Core } from './deps.js';

export const ANNOTATION_CAP = 10;

/** A warning that is not a finding (a deleted admission file), shown and counted like one. */
export interface ExtraWarning {
  message: string;
  file?: string;
  title: string;
}

export interface AnnotationTally {
  errors: { shown: number; total: number };
  warnings: { shown: number; total: number };
}

export function annotate(core: Pick<Core, 'error' | 'warning' | 'notice'>, findings: readonly Finding[], extra: readonly ExtraWarning[] = [], hasSarif = false): AnnotationTally {
  const errors = findings.filter((f) => f.severity === 'error');
  const warnings: Array<{ message: string; props: Parameters<Core['warning']>[1] }> = [
    ...findings
      .filter((f) => f.severity === 'warning')
      .map((f) => ({ message: f.message, props: { file: f.file, startLine: f.line, ...(f.column ? { startColumn: f.column } : {}), title: f.ruleId } })),
    ...extra.map((x) => ({ message: x.message, props: { ...(x.file ? { file: x.file } : {}), title: x.title } })),
  ];
  for (const f of errors.slice(0, ANNOTATION_CAP)) {
    core.error(f.message, { file: f.file, startLine: f.line, ...(f.column ? { startColumn: f.column } : {}), title: f.ruleId });
  }
  for (const w of warnings.slice(0, ANNOTATION_CAP)) core.warning(w.message, w.props);
  const moreErrors = Math.max(0, errors.length - ANNOTATION_CAP);
  const moreWarnings = Math.max(0, warnings.length - ANNOTATION_CAP);
  if (moreErrors || moreWarnings) {
    const parts = [moreErrors ? `${moreErrors} more error${moreErrors === 1 ? '' : 's'}` : '', moreWarnings ? `${moreWarnings} more warning${moreWarnings === 1 ? '' : 's'}` : '']
      .filter(Boolean)
      .join(' and ');
    core.notice(
      `sot-gate: ${parts} not annotated (GitHub shows ${ANNOTATION_CAP} of each per step): the job summary lists them all${hasSarif ? ', and so does the SARIF file' : ''}.`,
      { title: 'sot-gate: more findings' },
    );
  }
  return {
    errors: { shown: Math.min(errors.length, ANNOTATION_CAP), total: errors.length },
    warnings: { shown: Math.min(warnings.length, ANNOTATION_CAP), total: warnings.length },
  };
}
