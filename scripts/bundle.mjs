// Bundles the action (dist/index.js) and the CLI (dist/cli.js) with @vercel/ncc, reproducibly.
import { execFileSync } from 'node:child_process';
import { cpSync, mkdirSync, readdirSync, rmSync, writeFileSync, chmodSync, readFileSync } from 'node:fs';
import path from 'node:path';

const ncc = path.join('node_modules', '@vercel', 'ncc', 'dist', 'ncc', 'cli.js');
const build = (entry, out) => execFileSync(process.execPath, [ncc, 'build', entry, '-o', out, '--license', 'licenses.txt', '--quiet', '--target', 'es2022'], { stdio: 'inherit' });

rmSync('dist', { recursive: true, force: true });
rmSync('build/cli', { recursive: true, force: true });
build('src/index.ts', 'dist');
build('src/cli.ts', 'build/cli');
mkdirSync('dist', { recursive: true });
const extra = readdirSync('build/cli').filter((f) => f !== 'index.js' && f !== 'licenses.txt' && f !== 'package.json');
if (extra.length) throw new Error(`CLI bundle produced extra files: ${extra.join(', ')}`);
let cli = readFileSync('build/cli/index.js', 'utf8');
if (!cli.startsWith('#!')) cli = '#!/usr/bin/env node\n' + cli;
writeFileSync('dist/cli.js', cli);
chmodSync('dist/cli.js', 0o755);
cpSync('build/cli/licenses.txt', 'dist/cli-licenses.txt');

// `scan`'s worker threads: the scanner alone (src/scan-worker.ts), loaded by dist/cli.js from its own directory.
rmSync('build/scan-worker', { recursive: true, force: true });
build('src/scan-worker.ts', 'build/scan-worker');
const workerExtra = readdirSync('build/scan-worker').filter((f) => f !== 'index.js' && f !== 'licenses.txt' && f !== 'package.json');
if (workerExtra.length) throw new Error(`scan worker bundle produced extra files: ${workerExtra.join(', ')}`);
writeFileSync('dist/scan-worker.js', readFileSync('build/scan-worker/index.js', 'utf8'));
// Every package the worker bundles is in the CLI bundle too, so dist/cli-licenses.txt covers it.
const cliLicenses = readFileSync('dist/cli-licenses.txt', 'utf8');
for (const pkg of readFileSync('build/scan-worker/licenses.txt', 'utf8').split('\n').filter((l) => /^[@a-z][\w@/.-]*$/.test(l))) {
  if (!cliLicenses.includes(`\n${pkg}\n`) && !cliLicenses.startsWith(`${pkg}\n`)) throw new Error(`scan worker bundles ${pkg}, missing from dist/cli-licenses.txt`);
}
