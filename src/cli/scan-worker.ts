/** The worker side of src/cli/scan-pool.ts: scans each requested file in this thread. Imports the scanner only. */
import { parentPort } from 'node:worker_threads';
import { scanFile } from '../engine/scanner/stream.js';
import type { Reply, Request } from './scan-pool.js';

/** The worker side: scan each requested file, reply with the result or the error's message (no file content). */
export function runScanWorker(): void {
  parentPort?.on('message', (req: Request) => {
    scanFile(...req.args).then(
      (result) => parentPort?.postMessage({ id: req.id, result } satisfies Reply),
      (e: unknown) => parentPort?.postMessage({ id: req.id, error: e instanceof Error ? e.message : String(e) } satisfies Reply),
    );
  });
}
