/**
 * `sot-gate scan` on several cores: worker threads run the engine's scanFile; the main thread walks the tree, hands out
 * files and merges the results. scanPaths sorts the merged findings, so the output is the same whatever the thread
 * count. A worker that fails makes the scan fail (exit 2): never a silent partial result.
 *
 * The workers run dist/scan-worker.js (src/scan-worker.ts): the scanner alone, so a worker is ready in milliseconds.
 */
import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import { IN_FLIGHT, type ScanFileFn } from '../engine/scan-paths.js';
import type { FileScan } from '../engine/scanner/stream.js';
import { EvaluationError } from '../engine/types.js';

/** Requests kept in flight per worker, so a worker does not wait on the main thread between files. */
const DEPTH = 2;
/** More workers than scanPaths keeps files in flight for would sit idle. */
export const MAX_THREADS = Math.floor(IN_FLIGHT / DEPTH);

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

/**
 * A pool of `threads` workers running `script` (dist/scan-worker.js); the main thread only hands out files, largest
 * first as scanPaths orders them, and collects results. Each worker holds at most DEPTH requests; the rest wait here,
 * so a worker that finishes early takes the next file (a big log is never stuck behind a busy thread).
 */
export function createScanPool(script: URL | string, threads: number): ScanPool {
  type Waiter = { args: Parameters<ScanFileFn>; resolve: (r: FileScan) => void; reject: (e: Error) => void };
  const pending = new Map<number, Waiter>();
  const queue: Waiter[] = [];
  const workers: Array<{ w: Worker; inFlight: number }> = [];
  let failed: Error | undefined;
  let closing = false;
  let nextId = 0;
  const fail = (e: Error) => {
    failed ??= new EvaluationError(`scan worker failed: ${e.message}`);
    for (const p of [...pending.values(), ...queue]) p.reject(failed);
    pending.clear();
    queue.length = 0;
  };
  const dispatch = () => {
    for (const slot of workers) {
      while (slot.inFlight < DEPTH && queue.length > 0) {
        const job = queue.shift()!;
        const id = nextId++;
        pending.set(id, job);
        slot.inFlight++;
        slot.w.postMessage({ id, args: job.args } satisfies Request);
      }
    }
  };
  for (let i = 0; i < threads; i++) {
    const slot = { w: new Worker(script), inFlight: 0 };
    slot.w.on('message', (m: Reply) => {
      slot.inFlight--;
      const p = pending.get(m.id);
      pending.delete(m.id);
      if (p && m.result) p.resolve(m.result);
      else p?.reject(new EvaluationError(m.error ?? 'scan worker returned nothing'));
      dispatch();
    });
    slot.w.on('error', fail);
    slot.w.on('exit', (code) => {
      if (!closing) fail(new Error(`exit code ${code}`));
    });
    workers.push(slot);
  }
  return {
    scanFile: (...args) => {
      if (failed) return Promise.reject(failed);
      return new Promise<FileScan>((resolve, reject) => {
        queue.push({ args, resolve, reject });
        dispatch();
      });
    },
    close: async () => {
      closing = true;
      await Promise.all(workers.map((s) => s.w.terminate()));
    },
  };
}
