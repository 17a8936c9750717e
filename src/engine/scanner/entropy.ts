/** Shannon entropy in bits per character. */
export function shannon(s: string): number {
  if (s.length === 0) return 0;
  const counts = new Map<string, number>();
  for (const ch of s) counts.set(ch, (counts.get(ch) ?? 0) + 1);
  let h = 0;
  for (const n of counts.values()) {
    const p = n / s.length;
    h -= p * Math.log2(p);
  }
  return h;
}

/** Number of distinct characters. */
export function distinct(s: string): number {
  // ASCII in a 128-bit mask (hot path: called for every candidate value); anything else through a Set.
  const mask = [0, 0, 0, 0];
  let n = 0;
  let other: Set<string> | undefined;
  for (const ch of s) {
    const c = ch.charCodeAt(0);
    if (ch.length === 1 && c < 128) {
      const bit = 1 << (c & 31);
      if ((mask[c >> 5]! & bit) === 0) {
        mask[c >> 5]! |= bit;
        n++;
      }
    } else (other ??= new Set()).add(ch);
  }
  return n + (other?.size ?? 0);
}

/** Character classes present: lower, upper, digit, other. */
export function classes(s: string): { lower: boolean; upper: boolean; digit: boolean; count: number } {
  const lower = /[a-z]/.test(s);
  const upper = /[A-Z]/.test(s);
  const digit = /[0-9]/.test(s);
  return { lower, upper, digit, count: Number(lower) + Number(upper) + Number(digit) };
}

/** True for a value that looks random enough to be a credential, not a word or an identifier. */
export function looksRandom(s: string, minLength = 16): boolean {
  if (s.length < minLength) return false;
  const c = classes(s);
  if (c.count < 2) return false;
  return shannon(s) >= Math.min(3.0, Math.log2(s.length) - 1.2);
}

/**
 * Made of readable words (`PdfEncryptionKeySize.Key128Bit`, `BlindKeySignatures`,
 * `desktop-rhf_SponsoredProductsRemote…`): camel-case / separated words, mostly 3+ letters long.
 * Random strings split into many one- and two-letter pieces.
 */
export function readable(s: string): boolean {
  const words = s.match(/[A-Z]?[a-z]+|[A-Z]+(?![a-z])|\d+/g) ?? [];
  const letters = words.filter((w) => !/^\d/.test(w));
  if (letters.length === 0) return false;
  const short = letters.filter((w) => w.length <= 2).length;
  const long = letters.filter((w) => w.length >= 3).length;
  return short / letters.length <= 0.25 && long >= Math.ceil(letters.length / 2);
}

/** The 100 most frequent letter pairs of English text (Norvig, "English Letter Frequency Counts: Mayzner Revisited"). */
const COMMON_PAIRS = new Set(
  ('th he in er an re on at en nd ti es or te of ed is it al ar st to nt ng se ha as ou io le ve co me de hi ri ro ic ne ea ' +
    'ra ce li ch ll be ma si om ur ca el ta la ns di fo ho pe ec pr no ct us ac ot il tr ly nc et ut ss so rs un lo wa ge ie ' +
    'wh ee wi em ad ol rt po we na ul ni ts mo ow pa im mi ai sh').split(' '),
);

/**
 * Reads like English words run together (`accesstokenfromtheserver`): at least 40% of its letter pairs are among the 100
 * most common in English. Random letters score about 15% (100 of the 676 pairs); measured on 20 to 32 letters, fewer
 * than 1.5% of random strings pass and fewer than 2% of run-together English words fail.
 */
export function englishLike(s: string): boolean {
  const t = s.toLowerCase();
  let common = 0;
  for (let i = 1; i < t.length; i++) if (COMMON_PAIRS.has(t.slice(i - 1, i + 1))) common++;
  return t.length > 1 && common / (t.length - 1) >= 0.4;
}
