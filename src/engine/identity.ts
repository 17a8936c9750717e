/**
 * Identity of providers, models and provider classes: every comparison of such names (deny list, decided pairs,
 * admissions, trace events, generated config, Case output) is made on ONE normalised form, the way a human reads it.
 *
 * normId(s): Unicode NFKC, Default_Ignorable_Code_Points removed (as Unicode's NFKC_Casefold does), lower-cased with
 * String.prototype.toLowerCase (locale-independent full lower-casing; used as the case fold: it differs from Unicode
 * case folding only for a few characters such as U+1E9E, which the identifier-form rules report anyway because they
 * are not ASCII), NFKC again (lower-casing can leave a non-NFKC sequence), and trimmed.
 *
 * `provider/model` and `provider:model` are recognised as spellings of a pair (models may contain `/` or `:`
 * themselves, so every separator position is tried, never one split).
 *
 * Lookups keyed by a provider name use a Map of normalised keys, never a plain object: `constructor` or `__proto__`
 * is a provider name like any other, and names no class unless the policy lists it.
 */
import type { Config } from './config.js';

const IGNORABLE = /\p{Default_Ignorable_Code_Point}/gu;

export interface Pair {
  provider: string;
  model: string;
}

/** The normalised form of a provider, model or provider-class name. */
export function normId(s: string): string {
  // Printable ASCII is its own NFKC form and holds no default-ignorable character (the common case, e.g. every trace value).
  if (/^[\x20-\x7e]*$/.test(s)) return s.toLowerCase().trim();
  return s.normalize('NFKC').replace(IGNORABLE, '').toLowerCase().normalize('NFKC').trim();
}

/** Two names denote the same identity. */
export const sameId = (a: string | undefined, b: string | undefined): boolean => a !== undefined && b !== undefined && normId(a) === normId(b);

/** Two pairs denote the same provider and model. */
export const samePair = (a: Pair | undefined, b: Pair | undefined): boolean =>
  a !== undefined && b !== undefined && sameId(a.provider, b.provider) && sameId(a.model, b.model);

/**
 * Why an identifier is not written in its normalised form, or undefined when it is: it must equal normId(s) and hold
 * only printable ASCII (a non-ASCII character in a name is a look-alike or an invisible one until proven otherwise).
 */
export function identifierProblem(s: string): string | undefined {
  const nonAscii = /[^\x20-\x7e]/u.exec(s);
  if (nonAscii) {
    const cp = nonAscii[0].codePointAt(0) ?? 0;
    return `holds ${cp < 0x20 || cp === 0x7f ? 'the control character' : 'the non-ASCII character'} U+${cp.toString(16).toUpperCase().padStart(4, '0')}`;
  }
  const n = normId(s);
  if (n !== s) return `is not in its normalised form "${n}" (lower case, no surrounding spaces)`;
  return undefined;
}

/**
 * The (provider, model) readings of a `provider/model` or `provider:model` spelling, normalised: one per separator
 * position (`a/b:c` reads as a / b:c and a/b / c). Empty when the value holds no separator.
 */
export function pairReadings(value: string): Pair[] {
  const n = normId(value);
  const out: Pair[] = [];
  for (let i = 0; i < n.length; i++) {
    if (n[i] !== '/' && n[i] !== ':') continue;
    const provider = n.slice(0, i).trim();
    const model = n.slice(i + 1).trim();
    if (provider && model) out.push({ provider, model });
  }
  return out;
}

/** The value spells the pair as `provider/model` or `provider:model` (normalised). */
export function spellsPair(value: string, p: Pair): boolean {
  const provider = normId(p.provider);
  const model = normId(p.model);
  return pairReadings(value).some((r) => r.provider === provider && r.model === model);
}

/**
 * Whether `value`, named as a `kind` in an artifact, is the admitted pair's: the provider, the model, or for a model also
 * the pair spelled `provider/model` or `provider:model` (all normalised).
 */
export function isAdmittedIdentity(value: string, kind: 'provider' | 'model', admitted: Pair): boolean {
  if (kind === 'provider') return sameId(value, admitted.provider);
  return sameId(value, admitted.model) || spellsPair(value, admitted);
}

/** The normalised segments of a value split at `/` and `:` (the whole value first). */
function segments(value: string): string[] {
  const n = normId(value);
  const parts = n.split(/[/:]/).map((s) => s.trim()).filter(Boolean);
  return [n, ...parts];
}

/**
 * The deny-list ids (providers and models, as written in the policy) a value names: the value itself or any of its
 * `/`- or `:`-separated segments is one of them, normalised (`Anthropic`, `anthropic/claude-sonnet-4-6`,
 * `openrouter:anthropic/Claude-Sonnet-4-6`).
 */
export function deniedIdsIn(value: string, denyIds: ReadonlyMap<string, string>): string[] {
  const out: string[] = [];
  for (const s of segments(value)) {
    const id = denyIds.get(s);
    if (id !== undefined && !out.includes(id)) out.push(id);
  }
  return out;
}

/** The deny list's provider and model ids, keyed by normalised form. */
export function denyIdMap(config: Pick<Config, 'deny-list'>): Map<string, string> {
  const m = new Map<string, string>();
  for (const p of config['deny-list']) for (const id of [p.provider, p.model]) if (!m.has(normId(id))) m.set(normId(id), id);
  return m;
}

/**
 * The deny-list pair a (provider, model) names, if any: the same pair normalised, or a model written as a spelling
 * of a denied pair (`openrouter` / `anthropic/claude-sonnet-4-6`).
 */
export function deniedPair(p: Pair, config: Pick<Config, 'deny-list'>): Pair | undefined {
  return config['deny-list'].find((d) => samePair(p, d) || spellsPair(p.model, d));
}

/** The policy's provider -> class map (vocabularies.provider-class-of), keyed by normalised provider name. */
export function providerClassMap(config: Pick<Config, 'vocabularies'>): Map<string, string> {
  const m = new Map<string, string>();
  for (const [provider, cls] of Object.entries(config.vocabularies['provider-class-of'])) m.set(normId(provider), cls);
  return m;
}

/** The provider class of a provider name, or undefined when the policy does not list it (an unknown provider). */
export function providerClassOf(config: Pick<Config, 'vocabularies'>, provider: string): string | undefined {
  return providerClassMap(config).get(normId(provider));
}
