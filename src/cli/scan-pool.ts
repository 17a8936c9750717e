/**
 * `sot-gate scan` on several cores: worker threads run the same scanFile as the main thread, which scans too while the
 * workers start and whenever they are all busy. Results are merged and sorted by scanPaths, so the output is the same
 * whatever the thread count. A worker that fails makes the scan fail (exit 2): never a silent partial result.
 *
 * The workers run dist/scan-worker.js (src/scan-worker.ts): the scanner alone, so a worker is ready in milliseconds.
 */
import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import type { ScanFileFn } from '../engine/scan-paths.js';
import { scanFile, type FileScan } from '../engine/scanner/stream.js';
import { EvaluationError } from '../engine/types.js';

/** Requests kept in flight per worker, so a worker does not wait on the main thread between files. */
const DEPTH = 4;

export type Request = { id: number; args: Parameters<ScanFileFn> };
export type Reply = { id: number; result?: FileScan; error?: string };

export interface ScanPool {
  scanFile: ScanFileFn;
  close(): Promise<void>;
}

/** Threads to use when --threads is not given: the cores this process may use, at most 4. */
export function defaultThreads(): number {
  return Math.max(1, Math.min(4, availableParallelism()));
}

/** A pool of `threads - 1` workers beside the main thread. `script` is the module a worker runs (dist/scan-worker.js). */
export function createScanPool(script: URL | string, threads: number): ScanPool {
  const pending = new Map<number, { resolve: (r: FileScan) => void; reject: (e: Error) => void }>();
  const workers: Array<{ w: Worker; inFlight: number; ready: boolean }> = [];
  let failed: Error | undefined;
  let nextId = 0;
  const fail = (e: Error) => {
    failed ??= new EvaluationError(`scan worker failed: ${e.message}`);
    for (const p of pending.values()) p.reject(failed);
    pending.clear();
  };
  for (let i = 0; i < threads - 1; i++) {
    const slot = { w: new Worker(script), inFlight: 0, ready: false };
    slot.w.on('online', () => (slot.ready = true));
    slot.w.on('message', (m: Reply) => {
      slot.inFlight--;
      const p = pending.get(m.id);
      pending.delete(m.id);
      if (!p) return;
      if (m.result) p.resolve(m.result);
      else p.reject(new EvaluationError(m.error ?? 'scan worker returned nothing'));
    });
    slot.w.on('error', fail);
    slot.w.on('exit', (code) => {
      slot.ready = false;
      if (code !== 0 && !closing) fail(new Error(`exit code ${code}`));
    });
    workers.push(slot);
  }
  let closing = false;
  return {
    scanFile: (...args) => {
      if (failed) return Promise.reject(failed);
      const slot = workers.filter((s) => s.ready && s.inFlight < DEPTH).sort((a, b) => a.inFlight - b.inFlight)[0];
      // Every worker busy or still starting: the main thread scans this one, then yields to the event loop so the
      // workers' replies are taken (a local scan is synchronous work; awaiting it alone would only queue microtasks).
      if (!slot) return scanFile(...args).then((r) => new Promise<FileScan>((res) => setImmediate(res, r)));
      const id = nextId++;
      slot.inFlight++;
      return new Promise<FileScan>((resolve, reject) => {
        pending.set(id, { resolve, reject });
        slot.w.postMessage({ id, args } satisfies Request);
      });
    },
    close: async () => {
      closing = true;
      await Promise.all(workers.map((s) => s.w.terminate()));
    },
  };
}

