/** Decoding and line utilities shared by every parser. */
import { decodeAs, isUtf16, sniffEncoding } from '../scanner/encoding.js';

export interface DecodedText {
  text: string;
  lines: string[];
}

export type DecodeResult = { ok: true; value: DecodedText } | { ok: false; reason: string; line: number };

const decoder = new TextDecoder('utf-8', { fatal: true, ignoreBOM: false });

/**
 * Strict UTF-8 decode; strips a BOM; rejects NUL bytes (binary). CRLF is kept in `text`, lines are split on it.
 * UTF-16 text (a byte order mark, or the NUL pattern of UTF-16LE/BE) is decoded as UTF-16 and read like any other text
 * (checked and scanned, never refused as binary): a lone surrogate in it is an error.
 */
export function decodeText(bytes: Uint8Array): DecodeResult {
  const encoding = sniffEncoding(bytes);
  if (isUtf16(encoding)) {
    let text: string;
    try {
      text = new TextDecoder(encoding, { fatal: true }).decode(bytes);
    } catch {
      const loose = decodeAs(bytes, encoding);
      return { ok: false, reason: `is not valid ${encoding.toUpperCase()}`, line: loose.slice(0, loose.indexOf('\ufffd') + 1).split('\n').length };
    }
    return { ok: true, value: { text, lines: splitLines(text) } };
  }
  const nul = bytes.indexOf(0);
  if (nul !== -1) return { ok: false, reason: 'contains a NUL byte (binary file)', line: lineAtByte(bytes, nul) };
  let text: string;
  try {
    text = decoder.decode(bytes);
  } catch {
    return { ok: false, reason: 'is not valid UTF-8', line: firstInvalidUtf8Line(bytes) };
  }
  return { ok: true, value: { text, lines: splitLines(text) } };
}

export function splitLines(text: string): string[] {
  return text.split(/\r?\n|\r/);
}

function lineAtByte(bytes: Uint8Array, index: number): number {
  let line = 1;
  for (let i = 0; i < index; i++) if (bytes[i] === 0x0a) line++;
  return line;
}

function firstInvalidUtf8Line(bytes: Uint8Array): number {
  let start = 0;
  let line = 1;
  for (let i = 0; i <= bytes.length; i++) {
    if (i === bytes.length || bytes[i] === 0x0a) {
      try {
        decoder.decode(bytes.subarray(start, i));
      } catch {
        return line;
      }
      start = i + 1;
      line++;
    }
  }
  return 1;
}

/** Builds a fast offset->line lookup for one text. */
export function lineIndex(text: string): (offset: number) => { line: number; column: number } {
  const starts = [0];
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 10 || (c === 13 && text.charCodeAt(i + 1) !== 10)) starts.push(i + 1);
  }
  return (offset: number) => {
    let lo = 0;
    let hi = starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if ((starts[mid] ?? 0) <= offset) lo = mid;
      else hi = mid - 1;
    }
    return { line: lo + 1, column: offset - (starts[lo] ?? 0) + 1 };
  };
}
