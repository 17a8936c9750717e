/**
 * Findings as workflow annotations, errors first. GitHub shows at most 10 error and 10 warning annotations per step,
 * counting every annotation the step emits (sot-gate's own warnings, the step's failure message), so the findings get
 * what is left of each, then one notice says how many more there are and where they are listed.
 */
import { redactor } from '../engine/report/display.js';
import { plural } from '../engine/report/summary.js';
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

/** Annotations of the step that are not findings and use up GitHub's per-step room. */
export interface OtherAnnotations {
  /** Warnings the step has emitted (or will emit) besides these: sot-gate's own operational warnings. */
  warnings?: number;
  /** Errors the step will emit besides these: the failure message (core.setFailed) when the step fails. */
  errors?: number;
}


export function annotate(
  core: Pick<Core, 'error' | 'warning' | 'notice'>,
  findings: readonly Finding[],
  extra: readonly ExtraWarning[] = [],
  hasSarif = false,
  other: OtherAnnotations = {},
): AnnotationTally {
  const otherErrors = Math.max(0, other.errors ?? 0);
  const otherWarnings = Math.max(0, other.warnings ?? 0);
  const errorCap = Math.max(0, ANNOTATION_CAP - otherErrors);
  const warningCap = Math.max(0, ANNOTATION_CAP - otherWarnings);
  // A file or directory may be named after a key: paths are shown redacted, as in every output format.
  const red = redactor();
  const errors = findings.filter((f) => f.severity === 'error');
  const warnings: Array<{ message: string; props: Parameters<Core['warning']>[1] }> = [
    ...findings
      .filter((f) => f.severity === 'warning')
      .map((f) => ({ message: f.message, props: { file: red(f.file), startLine: f.line, ...(f.column ? { startColumn: f.column } : {}), title: f.ruleId } })),
    ...extra.map((x) => ({ message: x.message, props: { ...(x.file ? { file: red(x.file) } : {}), title: x.title } })),
  ];
  for (const f of errors.slice(0, errorCap)) {
    core.error(f.message, { file: red(f.file), startLine: f.line, ...(f.column ? { startColumn: f.column } : {}), title: f.ruleId });
  }
  for (const w of warnings.slice(0, warningCap)) core.warning(w.message, w.props);
  const moreErrors = Math.max(0, errors.length - errorCap);
  const moreWarnings = Math.max(0, warnings.length - warningCap);
  if (moreErrors || moreWarnings) {
    const parts = [moreErrors ? plural(moreErrors, 'more error') : '', moreWarnings ? plural(moreWarnings, 'more warning') : '']
      .filter(Boolean)
      .join(' and ');
    const used = [otherErrors ? plural(otherErrors, 'error') : '', otherWarnings ? plural(otherWarnings, 'warning') : ''].filter(Boolean).join(' and ');
    core.notice(
      `sot-gate: ${parts} not annotated (GitHub shows ${ANNOTATION_CAP} of each per step${used ? `, and sot-gate's own messages use ${used} of them` : ''}): the job summary lists them all${hasSarif ? ', and so does the SARIF file' : ''}.`,
      { title: 'sot-gate: more findings' },
    );
  }
  return {
    errors: { shown: Math.min(errors.length, errorCap), total: errors.length },
    warnings: { shown: Math.min(warnings.length, warningCap), total: warnings.length },
  };
}
