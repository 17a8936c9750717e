/**
 * How the evidence rules compare a provider or model named in an artifact with the admitted pair. The normalised form
 * is the project-wide one (src/engine/identity.ts: NFKC, default-ignorables removed, case-folded, trimmed).
 */
import { normId, sameId, spellsPair } from '../identity.js';

/** The form two identifiers are compared in. */
export const identityKey = normId;

/** Whether two provider or model identifiers name the same thing. */
export const sameIdentity = (a: string, b: string): boolean => sameId(a, b);

/**
 * Whether `value`, named as a `kind` in an artifact, is the admitted pair's: the provider, the model, or for a model also
 * the pair spelled `provider/model` or `provider:model`.
 */
export function isAdmittedIdentity(value: string, kind: 'provider' | 'model', admitted: { provider: string; model: string }): boolean {
  if (kind === 'provider') return sameId(value, admitted.provider);
  return sameId(value, admitted.model) || spellsPair(value, admitted);
}
