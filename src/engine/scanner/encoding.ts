/**
 * Which text encoding a file is in, from its first bytes: UTF-16 (with a byte order mark, or without one but with the NUL
 * pattern of UTF-16: every second byte zero, as in ASCII text written as UTF-16LE or UTF-16BE) or UTF-8 (anything else).
 * A UTF-16 file is text to decode and scan, never a binary file to skip: its NUL bytes are half of each character.
 */
export type TextEncodingName = 'utf-8' | 'utf-16le' | 'utf-16be';

/** Bytes looked at to recognise UTF-16 without a byte order mark. */
const SNIFF = 8 * 1024;

export function sniffEncoding(head: Uint8Array): TextEncodingName {
  if (head.length >= 2 && head[0] === 0xff && head[1] === 0xfe && !(head.length >= 4 && head[2] === 0 && head[3] === 0)) return 'utf-16le';
  if (head.length >= 2 && head[0] === 0xfe && head[1] === 0xff) return 'utf-16be';
  const n = Math.min(head.length, SNIFF) & ~1;
  if (n < 4) return 'utf-8';
  let evenZero = 0;
  let oddZero = 0;
  for (let i = 0; i < n; i += 2) {
    if (head[i] === 0) evenZero++;
    if (head[i + 1] === 0) oddZero++;
  }
  const pairs = n / 2;
  // Mostly ASCII as UTF-16: the high byte of most characters is zero, the low byte almost never is.
  if (oddZero >= 0.6 * pairs && evenZero <= 0.02 * pairs) return 'utf-16le';
  if (evenZero >= 0.6 * pairs && oddZero <= 0.02 * pairs) return 'utf-16be';
  return 'utf-8';
}

/** Whether a file in this encoding is UTF-16. */
export function isUtf16(encoding: TextEncodingName): boolean {
  return encoding !== 'utf-8';
}

/** The whole text of a buffer in its encoding (a UTF-16 byte order mark is dropped; invalid sequences become U+FFFD). */
export function decodeAs(bytes: Uint8Array, encoding: TextEncodingName): string {
  return new TextDecoder(encoding).decode(bytes);
}
