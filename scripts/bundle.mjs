// Bundles the action (dist/index.js), the CLI (dist/cli.js) and the scan worker (dist/scan-worker.js) with
// @vercel/ncc, reproducibly. The three builds run in parallel under build/; dist/ is replaced only once all of them
// succeeded, so an interrupted or failed bundle never leaves a half-written dist/.
import { execFile } from 'node:child_process';
import { chmodSync, cpSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';

const ncc = path.join('node_modules', '@vercel', 'ncc', 'dist', 'ncc', 'cli.js');
const build = async (entry, out) => {
  rmSync(out, { recursive: true, force: true });
  await promisify(execFile)(process.execPath, [ncc, 'build', entry, '-o', out, '--license', 'licenses.txt', '--quiet', '--transpile-only', '--target', 'es2022']);
  const extra = readdirSync(out).filter((f) => f !== 'index.js' && f !== 'licenses.txt' && f !== 'package.json');
  if (extra.length) throw new Error(`${entry} bundle produced extra files: ${extra.join(', ')}`);
};

await Promise.all([build('src/index.ts', 'build/action'), build('src/cli.ts', 'build/cli'), build('src/scan-worker.ts', 'build/scan-worker')]);

// Every package the worker bundles is in the CLI bundle too, so dist/cli-licenses.txt covers it.
const cliLicenses = readFileSync('build/cli/licenses.txt', 'utf8');
for (const pkg of readFileSync('build/scan-worker/licenses.txt', 'utf8').split('\n').filter((l) => /^[@a-z][\w@/.-]*$/.test(l))) {
  if (!cliLicenses.includes(`\n${pkg}\n`) && !cliLicenses.startsWith(`${pkg}\n`)) throw new Error(`scan worker bundles ${pkg}, missing from the CLI's licenses`);
}

rmSync('dist', { recursive: true, force: true });
mkdirSync('dist', { recursive: true });
for (const f of ['index.js', 'licenses.txt', 'package.json']) cpSync(path.join('build/action', f), path.join('dist', f));
let cli = readFileSync('build/cli/index.js', 'utf8');
if (!cli.startsWith('#!')) cli = '#!/usr/bin/env node\n' + cli;
writeFileSync('dist/cli.js', cli);
chmodSync('dist/cli.js', 0o755);
cpSync('build/cli/licenses.txt', 'dist/cli-licenses.txt');
// `scan`'s worker threads: the scanner alone (src/scan-worker.ts), loaded by dist/cli.js from its own directory.
writeFileSync('dist/scan-worker.js', readFileSync('build/scan-worker/index.js', 'utf8'));
