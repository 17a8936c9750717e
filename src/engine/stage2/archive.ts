/**
 * Compressed artifacts of a run directory (gzip, zip), opened with fflate so that what they hold is scanned like any
 * other file: an upload publishes the archive, so a secret inside it is as exposed as one in a log. Bounded against
 * decompression bombs: the bytes inflated in total, the number of entries and the nesting depth are capped, and input
 * is pushed in small slices so one push can never inflate much past the cap. Anything that cannot be opened or read
 * as text is returned as a problem: the caller reports it as unscannable, never as "skipped".
 */
import { Gunzip, Unzip, UnzipInflate, unzipSync } from 'fflate';

export interface ArchiveLimits {
  /** Bytes inflated in total, over every archive of the run directory. */
  maxBytes: number;
  /** Entries opened in total (zip entries and gzip members each count one). */
  maxEntries: number;
  /** Archives inside archives: a zip in a gzip is depth 2. */
  maxDepth: number;
}

export const ARCHIVE_LIMITS: ArchiveLimits = { maxBytes: 256 * 1024 * 1024, maxEntries: 10_000, maxDepth: 3 };

/** The budget left, shared by every archive of one verification. */
export class ArchiveBudget {
  bytes = 0;
  entries = 0;
  constructor(readonly limits: ArchiveLimits = ARCHIVE_LIMITS) {}
}

export type ArchiveKind = 'gzip' | 'zip';

export function archiveKind(head: Uint8Array): ArchiveKind | undefined {
  if (head[0] === 0x1f && head[1] === 0x8b) return 'gzip';
  if (head[0] === 0x50 && head[1] === 0x4b && ((head[2] === 0x03 && head[3] === 0x04) || (head[2] === 0x05 && head[3] === 0x06))) return 'zip';
  return undefined;
}

/** One file inside an archive: its path (`outer.zip!/logs/a.log`, `case.log.gz!`), and its bytes or why it could not be read. */
export type ArchiveEntry = { path: string; data: Uint8Array } | { path: string; problem: string };

class Over extends Error {}

/** Input slice pushed at a time: deflate inflates at most ~1032:1, so one push can add at most ~16.5 MiB. */
const SLICE = 16 * 1024;

function collect(budget: ArchiveBudget): { chunks: Uint8Array[]; take: (c: Uint8Array) => void; result: () => Uint8Array } {
  const chunks: Uint8Array[] = [];
  let size = 0;
  return {
    chunks,
    take: (c) => {
      budget.bytes += c.length;
      if (budget.bytes > budget.limits.maxBytes) throw new Over(`inflates to more than ${budget.limits.maxBytes} bytes in total (decompression bomb limit)`);
      chunks.push(c);
      size += c.length;
    },
    result: () => {
      const out = new Uint8Array(size);
      let at = 0;
      for (const c of chunks) {
        out.set(c, at);
        at += c.length;
      }
      return out;
    },
  };
}

function gunzip(data: Uint8Array, budget: ArchiveBudget): Uint8Array {
  // Header (10 bytes) and trailer (CRC-32, ISIZE: 8 bytes) at least: a shorter stream is cut.
  if (data.length < 18) throw new Error('truncated');
  const sink = collect(budget);
  let member = 0;
  const g = new Gunzip((chunk) => {
    sink.take(chunk);
    member += chunk.length;
  });
  budget.entries++;
  g.onmember = () => {
    member = 0;
    if (++budget.entries > budget.limits.maxEntries) throw new Over(`holds more than ${budget.limits.maxEntries} entries in total`);
  };
  for (let i = 0; i < data.length; i += SLICE) g.push(data.subarray(i, i + SLICE), i + SLICE >= data.length);
  // The last member's ISIZE (its length mod 2^32) must match what was inflated: a cut or forged stream does not.
  const n = data.length;
  const isize = (data[n - 4]! | (data[n - 3]! << 8) | (data[n - 2]! << 16) | (data[n - 1]! << 24)) >>> 0;
  if (isize !== member % 2 ** 32) throw new Error('truncated');
  return sink.result();
}

function unzipEntries(data: Uint8Array, budget: ArchiveBudget, prefix: string): ArchiveEntry[] {
  // The central directory (what an unzip tool lists), read without inflating anything.
  const listed: Array<{ name: string; compression: number }> = [];
  unzipSync(data, {
    filter: (f) => {
      if (listed.length <= budget.limits.maxEntries) listed.push({ name: f.name, compression: f.compression });
      return false;
    },
  });
  if (budget.entries + listed.length > budget.limits.maxEntries) throw new Over(`holds more than ${budget.limits.maxEntries} entries in total`);
  const out: ArchiveEntry[] = [];
  const streamed: string[] = [];
  let over: Over | undefined;
  const u = new Unzip((file) => {
    streamed.push(file.name);
    if (++budget.entries > budget.limits.maxEntries) throw new Over(`holds more than ${budget.limits.maxEntries} entries in total`);
    const path = `${prefix}/${file.name}`;
    if (file.name.endsWith('/')) return;
    if (file.compression !== 0 && file.compression !== 8) {
      out.push({ path, problem: `compression method ${file.compression} cannot be opened (only stored and deflate)` });
      return;
    }
    const sink = collect(budget);
    let failed: string | undefined;
    file.ondata = (err, chunk, final) => {
      if (err) {
        failed = 'corrupt or encrypted entry';
        return;
      }
      try {
        sink.take(chunk);
      } catch (e) {
        // fflate may swallow an error thrown here: keep it, and stop after this push.
        if (e instanceof Over) over = e;
        throw e;
      }
      if (final) out.push(failed ? { path, problem: failed } : { path, data: sink.result() });
    };
    file.start();
  });
  u.register(UnzipInflate);
  for (let i = 0; i < data.length; i += SLICE) {
    u.push(data.subarray(i, i + SLICE), i + SLICE >= data.length);
    if (over) throw over;
  }
  // Entries only the central directory lists (or only the local headers) would be seen by one reader and not the other.
  const a = listed.map((l) => l.name).filter((n) => !n.endsWith('/')).sort();
  const b = streamed.filter((n) => !n.endsWith('/')).sort();
  if (a.length !== b.length || a.some((n, i) => n !== b[i])) {
    return [{ path: `${prefix}/`, problem: 'its central directory and its local entries disagree (an unzip tool would show files this reading did not see)' }];
  }
  for (const name of a) if (!out.some((e) => e.path === `${prefix}/${name}`)) out.push({ path: `${prefix}/${name}`, problem: 'entry could not be read to its end' });
  return out;
}

/**
 * Opens an archive (`kind`) at `path`, recursively (nested archives up to maxDepth), and returns its files. A problem
 * anywhere is an entry with `problem`; the whole archive is one problem entry when the budget runs out.
 */
export function openArchive(data: Uint8Array, kind: ArchiveKind, path: string, budget: ArchiveBudget, depth = 1): ArchiveEntry[] {
  if (depth > budget.limits.maxDepth) return [{ path, problem: `archives nested deeper than ${budget.limits.maxDepth} levels` }];
  let inner: ArchiveEntry[];
  try {
    inner = kind === 'gzip' ? [{ path: `${path}!`, data: gunzip(data, budget) }] : unzipEntries(data, budget, `${path}!`);
  } catch (e) {
    return [{ path, problem: e instanceof Over ? e.message : `cannot be opened as ${kind} (corrupt or unsupported)` }];
  }
  const out: ArchiveEntry[] = [];
  for (const e of inner) {
    const nested = 'data' in e ? archiveKind(e.data) : undefined;
    if ('data' in e && nested) out.push(...openArchive(e.data, nested, e.path, budget, depth + 1));
    else out.push(e);
  }
  return out;
}

/**
 * Text of a decompressed file or a binary-looking artifact, when it is text: UTF-8, or UTF-16 with a byte-order mark.
 * Undefined when it is not text (then it cannot be scanned).
 */
export function decodeArtifactText(data: Uint8Array, isBinary: (head: Buffer) => boolean): string | undefined {
  const buf = Buffer.from(data.buffer, data.byteOffset, data.byteLength);
  if (buf[0] === 0xff && buf[1] === 0xfe) return new TextDecoder('utf-16le').decode(buf.subarray(2));
  if (buf[0] === 0xfe && buf[1] === 0xff) return new TextDecoder('utf-16be').decode(buf.subarray(2));
  if (isBinary(buf.subarray(0, 8192))) return undefined;
  return buf.toString('utf8');
}
