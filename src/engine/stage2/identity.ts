/**
 * How the evidence rules compare a provider or model named in an artifact with the admitted pair: one helper, so the
 * comparison can be swapped for the project-wide normalised identity in one place.
 */

/** The form two identifiers are compared in: Unicode NFKC, case-folded, trimmed. */
export function identityKey(id: string): string {
  return id.normalize('NFKC').toLowerCase().trim();
}

/** Whether two provider or model identifiers name the same thing. */
export function sameIdentity(a: string, b: string): boolean {
  return identityKey(a) === identityKey(b);
}

/**
 * Whether `value`, named as a `kind` in an artifact, is the admitted pair's: the provider, the model, or for a model also
 * the pair spelled `provider/model` or `provider:model`.
 */
export function isAdmittedIdentity(value: string, kind: 'provider' | 'model', admitted: { provider: string; model: string }): boolean {
  if (kind === 'provider') return sameIdentity(value, admitted.provider);
  if (sameIdentity(value, admitted.model)) return true;
  const v = identityKey(value);
  const p = identityKey(admitted.provider);
  const m = identityKey(admitted.model);
  return v === `${p}/${m}` || v === `${p}:${m}`;
}
