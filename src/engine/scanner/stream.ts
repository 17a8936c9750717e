/**
 * Streaming scan of a file on disk in constant memory: read in chunks, scan blocks of whole lines
 * (about 1 MiB each), carry the partial last line; a line longer than a block is scanned in
 * overlapping windows. A private key block cut by a block boundary is carried whole into the next one.
 */
import { closeSync, createReadStream, fstatSync, openSync, readSync } from 'node:fs';
import type { RawFinding } from '../types.js';
import { parseAllowDirectives, type AllowDirective } from '../allow.js';
import { scanBlock, type Located } from './index.js';
import type { ScanOptions } from './types.js';

const BLOCK = 64 * 1024;
/** Longest secret we promise to find inside an overlong line (window overlap). */
const OVERLAP = 16 * 1024;
const SNIFF = 8 * 1024;
/** Files up to this size are read whole (faster for the many small SOT files). */
export const IN_MEMORY_LIMIT = 8 * 1024 * 1024;

export interface FileScan {
  findings: RawFinding[];
  allows: AllowDirective[];
  binary: boolean;
  bytes: number;
}

/**
 * One open for the common case: size, binary sniff and (for files up to the in-memory limit) the whole content.
 * Synchronous on purpose: thousands of small SOT files read faster without a promise round trip per call, and the
 * scan that follows is CPU-bound anyway. Larger files are only sniffed here, then streamed.
 */
function readSmall(absPath: string, inMemoryLimit: number): { binary: boolean; size: number; buf?: Buffer } {
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
    const binary = data.subarray(0, SNIFF).includes(0);
    return size <= inMemoryLimit ? { binary, size, buf: data } : { binary, size };
  } finally {
    closeSync(fd);
  }
}

const strip = ({ offset: _o, ...f }: Located): RawFinding => f;

export async function scanFile(absPath: string, relPath: string, opts: ScanOptions, inMemoryLimit = IN_MEMORY_LIMIT): Promise<FileScan> {
  const { binary, size, buf } = readSmall(absPath, inMemoryLimit);
  if (binary) return { findings: [], allows: [], binary: true, bytes: size };
  if (buf) {
    const text = buf.toString('utf8');
    return { findings: scanBlock(text, relPath, opts).map(strip), allows: parseAllowDirectives(text, relPath), binary: false, bytes: size };
  }
  const findings: RawFinding[] = [];
  const allows: AllowDirective[] = [];
  let seen = new Set<string>();
  let pending = '';
  let line = 1; // line number of pending[0]
  let column = 0; // 0-based column of pending[0] within its line
  let bytes = 0;

  const emit = (block: string) => {
    const next = new Set<string>();
    for (const f of scanBlock(block, relPath, opts, line, column)) {
      const key = `${f.line}:${f.column}:${f.ruleId}`;
      next.add(key);
      if (!seen.has(key)) findings.push(strip(f));
    }
    seen = next;
    if (block.includes('sot-gate:allow')) {
      for (const a of parseAllowDirectives(block, relPath)) allows.push({ ...a, line: a.line + line - 1 });
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
        // one overlong line: scan a window, keep an overlap so a secret across the cut is still whole
        emit(pending.slice(0, BLOCK));
        const cut = BLOCK - OVERLAP;
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

  const stream = createReadStream(absPath, { encoding: 'utf8', highWaterMark: 64 * 1024 });
  for await (const chunk of stream as AsyncIterable<string>) {
    bytes += Buffer.byteLength(chunk, 'utf8');
    pending += chunk;
    drain(false);
  }
  drain(true);
  return { findings, allows, binary: false, bytes };
}
