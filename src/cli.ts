#!/usr/bin/env node
/** The `sot-gate` command (bundled to dist/cli.js). The same file is the entry of `scan`'s worker threads. */
import { isMainThread, workerData } from 'node:worker_threads';
import { runCli } from './cli/main.js';
import { createScanPool, runScanWorker, SCAN_WORKER } from './cli/scan-pool.js';

if (!isMainThread && (workerData as Record<string, unknown> | null)?.[SCAN_WORKER]) {
  runScanWorker();
} else {
  // A reader that stops early (`sot-gate scan … | head`) closes the pipe: that is not an error of ours.
  process.stdout.on('error', (e: NodeJS.ErrnoException) => {
    if (e.code === 'EPIPE') process.exit(process.exitCode ?? 0);
    throw e;
  });

  process.exitCode = await runCli(process.argv.slice(2), {
    stdout: (s) => process.stdout.write(s),
    stderr: (s) => process.stderr.write(s),
    cwd: process.cwd(),
    env: process.env,
    scanPool: (threads) => createScanPool(new URL(import.meta.url), threads),
  });
}
