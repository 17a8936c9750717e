#!/usr/bin/env node
/** The `sot-gate` command (bundled to dist/cli.js). */
import { runCli } from './cli/main.js';

process.exitCode = await runCli(process.argv.slice(2), {
  stdout: (s) => process.stdout.write(s),
  stderr: (s) => process.stderr.write(s),
  cwd: process.cwd(),
  env: process.env,
});
