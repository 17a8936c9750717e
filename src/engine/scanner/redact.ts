/**
 * The only way a detected value may appear in a message: a short prefix and the length.
 * 'sk-pro…(51 chars)'. Values shorter than 12 characters show no prefix at all.
 */
export function redact(value: string): string {
  const n = [...value].length;
  if (n < 12) return `…(${n} chars)`;
  const prefixLen = Math.min(6, Math.floor(n / 4));
  return `${[...value].slice(0, prefixLen).join('')}…(${n} chars)`;
}
