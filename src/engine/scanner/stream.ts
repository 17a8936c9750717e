/**
 * Streaming scan of a file on disk in constant memory: read in chunks, scan blocks of whole lines
 * (64 KiB each), carry the partial last line; a line longer than a block is scanned in
 * overlapping windows. A private key block cut by a block boundary is carried whole into the next one, and a window of a
 * long line never ends inside a token: findings, values and fingerprints are those of an in-memory scan.
 */
import { closeSync, createReadStream, fstatSync, openSync, readSync } from 'node:fs';
import type { RawFinding } from '../types.js';
import { isMarkdownFile, parseAllowDirectives, proseStartLine, type AllowDirective } from '../allow.js';
import { FindingBudget, scanBlock, type Located } from './index.js';
import { decodeAs, isUtf16, sniffEncoding, type TextEncodingName } from './encoding.js';
import type { ScanOptions } from './types.js';

const BLOCK = 64 * 1024;
/** Longest secret we promise to find inside an overlong line (window overlap). */
const OVERLAP = 16 * 1024;
/** How far back a window's end (or the next window's start) moves to keep a run of token characters whole. */
const CARRY = OVERLAP / 2;
const TOKEN_CHAR = /[A-Za-z0-9_.~+/=-]/;
const SNIFF = 8 * 1024;
/** Files up to this size are read whole (faster for the many small SOT files). */
export const IN_MEMORY_LIMIT = 8 * 1024 * 1024;

export interface FileScan {
  findings: RawFinding[];
  allows: AllowDirective[];
  binary: boolean;
  bytes: number;
  /** Set when the file was UTF-16 (decoded and scanned, never skipped as binary). */
  encoding?: TextEncodingName;
}

/**
 * One open for the common case: size, binary sniff and (for files up to the in-memory limit) the whole content.
 * Synchronous on purpose: thousands of small SOT files read faster without a promise round trip per call, and the
 * scan that follows is CPU-bound anyway. Larger files are only sniffed here, then streamed.
 */
function readSmall(absPath: string, inMemoryLimit: number): { binary: boolean; size: number; buf?: Buffer; encoding: TextEncodingName } {
  const fd = openSync(absPath, 'r');
  try {
    const size = fstatSync(fd).size;
    const want = size <= inMemoryLimit ? size : Math.min(SNIFF, size);
    const buf = Buffer.allocUnsafe(want);
    let got = 0;
    while (got < want) {
      const n = readSync(fd, buf, got, want - got, got);
      if (n === 0) break;
      got += n;
    }
    const data = buf.subarray(0, got);
    // UTF-16 first: its NUL bytes would make it look binary.
    const encoding = sniffEncoding(data.subarray(0, SNIFF));
    const binary = !isUtf16(encoding) && isBinary(data.subarray(0, SNIFF));
    return size <= inMemoryLimit ? { binary, size, buf: data, encoding } : { binary, size, encoding };
  } finally {
    closeSync(fd);
  }
}

/**
 * First bytes of binary formats (PNG, JPEG, ZIP, gzip, zstd, xz, 7z, ELF, Mach-O, Java class, WebAssembly, SQLite): each
 * holds a byte that no text starts with.
 */
const MAGIC: readonly Buffer[] = [
  [0x89, 0x50, 0x4e, 0x47], [0xff, 0xd8, 0xff], [0x50, 0x4b, 0x03, 0x04], [0x1f, 0x8b], [0x28, 0xb5, 0x2f, 0xfd],
  [0xfd, 0x37, 0x7a, 0x58, 0x5a, 0x00], [0x37, 0x7a, 0xbc, 0xaf, 0x27, 0x1c], [0x7f, 0x45, 0x4c, 0x46],
  [0xcf, 0xfa, 0xed, 0xfe], [0xce, 0xfa, 0xed, 0xfe], [0xca, 0xfe, 0xba, 0xbe], [0x00, 0x61, 0x73, 0x6d],
  [...Buffer.from('SQLite format 3\0')],
].map((b) => Buffer.from(b));
/** Not text: NUL, control characters other than \b \t \n \f \r and ESC, DEL, and invalid UTF-8 (decoded to U+FFFD). */
const NOT_TEXT = /[\0-\x07\x0b\x0e-\x1a\x1c-\x1f\x7f\ufffd]/g;

/**
 * A file is binary when it starts with a known binary magic number or more than 10% of its first 8 KiB is not text. A
 * text log with a stray NUL is text, scanned whole (the NUL is then just a character): skipping it would pass its secrets.
 */
export function isBinary(head: Buffer): boolean {
  if (MAGIC.some((m) => head.subarray(0, m.length).equals(m))) return true;
  const text = new TextDecoder().decode(head.subarray(0, SNIFF), { stream: true }); // a character cut at 8 KiB is no error
  return (text.match(NOT_TEXT)?.length ?? 0) > 0.1 * text.length;
}

/**
 * Where a window edge at `at` should go so that it does not cut a run of token characters: the start of the run, when that
 * is at most CARRY characters back; otherwise `at` (a run that long is no token). A run reaching the end of what has been
 * read so far may go on.
 */
function runStart(s: string, at: number): number {
  if ((at < s.length && !TOKEN_CHAR.test(s[at]!)) || !TOKEN_CHAR.test(s[at - 1] ?? '')) return at;
  for (let i = at - 1; i > at - CARRY; i--) if (!TOKEN_CHAR.test(s[i - 1] ?? '')) return i;
  return at;
}

const strip = ({ offset: _o, ...f }: Located): RawFinding => f;

export async function scanFile(absPath: string, relPath: string, opts: ScanOptions, inMemoryLimit = IN_MEMORY_LIMIT): Promise<FileScan> {
  const { binary, size, buf, encoding } = readSmall(absPath, inMemoryLimit);
  if (binary) return { findings: [], allows: [], binary: true, bytes: size };
  const utf16 = isUtf16(encoding) ? { encoding } : {};
  if (buf) {
    const text = utf16.encoding ? decodeAs(buf, encoding) : buf.toString('utf8');
    const budget = new FindingBudget();
    const findings = [...scanBlock(text, relPath, opts, 1, 0, budget).map(strip), ...budget.overflow(relPath)];
    return { findings, allows: parseAllowDirectives(text, relPath), binary: false, bytes: size, ...utf16 };
  }
  const budget = new FindingBudget();
  const findings: RawFinding[] = [];
  const allows: AllowDirective[] = [];
  let seen = new Set<string>();
  let proseFrom: number | undefined;
  let pending = '';
  let line = 1; // line number of pending[0]
  let column = 0; // 0-based column of pending[0] within its line
  let bytes = 0;

  const emit = (block: string) => {
    const next = new Set<string>();
    for (const f of scanBlock(block, relPath, opts, line, column)) {
      const key = `${f.line}:${f.column}:${f.ruleId}`;
      next.add(key);
      // Overlapping windows find some matches twice: only a new one counts against the budget.
      if (!seen.has(key) && budget.take(f.ruleId, f.line)) findings.push(strip(f));
    }
    seen = next;
    // The front matter ends in the first block (or the whole file counts as front matter: fail closed).
    if (line === 1 && proseFrom === undefined) proseFrom = isMarkdownFile(relPath) ? proseStartLine(block) : Number.POSITIVE_INFINITY;
    if (block.includes('sot-gate:allow')) {
      for (const a of parseAllowDirectives(block, relPath, { proseFrom: (proseFrom ?? Number.POSITIVE_INFINITY) - line + 1 })) {
        allows.push({ ...a, line: a.line + line - 1, at: a.at + line - 1 });
      }
    }
  };

  const drain = (final: boolean) => {
    while (pending.length >= BLOCK || (final && pending.length > 0)) {
      if (final && pending.length < BLOCK) {
        emit(pending);
        pending = '';
        return;
      }
      const nl = pending.lastIndexOf('\n', BLOCK - 1);
      if (nl < 0) {
        // One overlong line: scan a window, keep an overlap so a secret across the cut is still whole. The window ends
        // before a token (or a private key block) it would cut, which the next window then reports whole; the next window
        // starts at the start of a token, never inside one.
        let end = runStart(pending, BLOCK);
        const begin = pending.lastIndexOf('-----BEGIN', end);
        if (begin > end - CARRY && pending.lastIndexOf('-----END', end) < begin) end = begin;
        emit(pending.slice(0, end));
        const cut = runStart(pending, BLOCK - OVERLAP);
        column += cut;
        pending = pending.slice(cut);
        continue;
      }
      let cut = nl + 1;
      // keep an unfinished private key block together with its body
      const begin = pending.lastIndexOf('-----BEGIN', cut);
      if (begin > 0 && begin > pending.lastIndexOf('-----END', cut) && cut - begin < 64 * 1024) {
        const lineStart = pending.lastIndexOf('\n', begin) + 1;
        if (lineStart > 0) cut = lineStart;
      }
      const block = pending.slice(0, cut);
      emit(block);
      let n = 0;
      for (let i = block.indexOf('\n'); i >= 0; i = block.indexOf('\n', i + 1)) n++;
      line += n;
      column = 0;
      pending = pending.slice(cut);
    }
  };

  // UTF-16 is decoded by a streaming TextDecoder (a character cut by a chunk boundary is carried); UTF-8 as before.
  const decoder = utf16.encoding ? new TextDecoder(encoding) : undefined;
  const stream = createReadStream(absPath, decoder ? { highWaterMark: 64 * 1024 } : { encoding: 'utf8', highWaterMark: 64 * 1024 });
  for await (const chunk of stream as AsyncIterable<string | Buffer>) {
    if (typeof chunk === 'string') {
      bytes += Buffer.byteLength(chunk, 'utf8');
      pending += chunk;
    } else {
      bytes += chunk.length;
      pending += decoder!.decode(chunk, { stream: true });
    }
    drain(false);
  }
  if (decoder) pending += decoder.decode();
  drain(true);
  findings.push(...budget.overflow(relPath));
  return { findings, allows, binary: false, bytes, ...utf16 };
}
