/** Shared helpers of the evidence rules: the admitted pair, and where a report key is. */
import { ENV } from '../vocabulary.js';
import type { EvidenceContext } from '../context.js';
import { inDir } from '../context.js';

export type Admitted = { ok: true; provider: string; model: string; file: string } | { ok: false; why: string };

/** The pair the admission file admits, or why there is none (then nothing can count as admitted use). */
export function admittedPair(ctx: EvidenceContext): Admitted {
  const a = ctx.admission;
  if (a.kind === 'unset') return { ok: false, why: `no admission file was given (${ENV.admissionFile} or --admission-file)` };
  if (a.kind !== 'ok') return { ok: false, why: a.reason };
  if (a.value.status !== 'admitted') return { ok: false, why: `admission file ${a.display} has status ${a.value.status}, not admitted` };
  return { ok: true, provider: a.value.provider, model: a.value.model, file: a.display };
}

/**
 * Why preflight would not admit the admission file's pair with this repository (outside --root, not governed by
 * sot-gate check, no decided decision record backing the pair), or undefined. Only set when the file itself admits.
 */
export function gateRefusal(ctx: EvidenceContext): string | undefined {
  if (!ctx.admissionGate) return admittedPair(ctx).ok ? 'the repository was not evaluated (preflight\'s governance checks did not run)' : undefined;
  return ctx.admissionGate.ok ? undefined : ctx.admissionGate.why;
}

export const reportFile = (ctx: EvidenceContext) => inDir(ctx, 'report.json');

export function keyLine(ctx: EvidenceContext, key: string): number {
  return ctx.report.present ? ctx.report.keyLines[key] ?? 1 : 1;
}

export const show = (v: string | null | undefined) => (v === null || v === undefined || v === '' ? '(unset)' : v);
