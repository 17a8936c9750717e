/** Shared logic of the admission rules: which admitted pair sits where in the decision. */
import { fallbackPair, primaryPair, samePair, type DecisionRecord } from '../../parse/decision.js';
import type { AdmissionDoc } from '../../parse/admission.js';
import type { Admission } from '../../schemas.js';
import type { RuleContext } from '../rule.js';

export interface AdmittedCase {
  doc: AdmissionDoc;
  value: Admission;
  decision: DecisionRecord;
  status: string;
  position: 'primary' | 'fallback' | 'none';
}

/** Valid admissions whose status is `admitted`, placed against a decision record. */
export function admittedCases(ctx: RuleContext): AdmittedCase[] {
  const decision = ctx.decision;
  if (!decision) return [];
  const status = decision.fields.get('decision_status')?.value ?? '';
  const primary = primaryPair(decision);
  const fallback = fallbackPair(decision);
  const out: AdmittedCase[] = [];
  for (const doc of ctx.admissions) {
    const value = doc.value;
    if (!value || value.status !== 'admitted') continue;
    const position = samePair(value, primary) ? 'primary' : samePair(value, fallback) ? 'fallback' : 'none';
    out.push({ doc, value, decision, status, position });
  }
  return out;
}

export const pairText = (p: { provider: string; model: string } | undefined) => (p ? `${p.provider} / ${p.model}` : '(none)');

/** A class is covered when it equals the record's class or one of its parts joined by `-plus-`. */
export function covered(admissionClass: string, recordClass: string | undefined): boolean {
  if (!recordClass) return false;
  return admissionClass === recordClass || recordClass.split('-plus-').includes(admissionClass);
}
