#!/usr/bin/env node
/** The `sot-gate` command (bundled to dist/cli.js). `scan`'s worker threads run dist/scan-worker.js beside it. */
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { runCli } from './cli/main.js';
import { createScanPool } from './cli/scan-pool.js';

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
  // A path, not `new URL('./scan-worker.js', import.meta.url)`: the bundler would copy the TypeScript source as an asset.
  scanPool: (threads) => createScanPool(path.join(path.dirname(fileURLToPath(import.meta.url)), 'scan-worker.js'), threads),
});
