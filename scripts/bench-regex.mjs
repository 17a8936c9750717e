// Linear time on hostile input, measured: the bundled CLI scans adversarial single-line files of 1 MB and of 4 MB
// (the shapes of test/scanner/safety.test.ts); linear scanners take about 4x as long on the 4 MB file.
// Reported: median ms per shape over 3 runs (process start subtracted via an empty file), and the 4 MB / 1 MB ratio.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const CLI = path.join(ROOT, 'dist/cli.js');
const SHAPES = {
  'a…': (n) => 'a'.repeat(n),
  'sk-sk-…': (n) => 'sk-'.repeat(n / 3),
  '=…': (n) => '='.repeat(n),
  'AKIA + A…': (n) => 'AKIA' + 'A'.repeat(n - 4),
  '-----BEGIN … (no END)': (n) => '-----BEGIN RSA PRIVATE KEY-----'.repeat(n / 31),
  'api_key=abc …': (n) => 'api_key=abc '.repeat(n / 12),
  '"a":"…': (n) => '"a":"'.repeat(n / 5),
  'https://u:@@@…': (n) => 'https://u:' + '@'.repeat(n - 10),
  '10.10.10.…': (n) => '10.'.repeat(n / 3),
  'Authorization: …': (n) => 'Authorization: '.repeat(n / 15),
  'Ab3+ (base64)…': (n) => 'Ab3+'.repeat(n / 4),
};
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

function time(file) {
  const t0 = process.hrtime.bigint();
  const r = spawnSync(process.execPath, [CLI, 'scan', file, '--format', 'json', '--exit-zero'], { stdio: ['ignore', 'ignore', 'pipe'], encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`scan failed on ${path.basename(file)} (exit ${r.status}): ${(r.stderr ?? '').split('\n').slice(0, 3).join(' ')}`);
  return Number(process.hrtime.bigint() - t0) / 1e6;
}

export function benchRegex({ runs = 3, log = console.log } = {}) {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'sot-gate-bench-regex-'));
  try {
    const empty = path.join(dir, 'empty.txt');
    writeFileSync(empty, '');
    const start = median(Array.from({ length: runs }, () => time(empty)));
    const rows = [];
    for (const [name, make] of Object.entries(SHAPES)) {
      const ms = {};
      for (const size of [1e6, 4e6]) {
        const f = path.join(dir, `${name.replace(/[^a-z0-9]+/gi, '_')}-${size}.txt`);
        writeFileSync(f, make(size));
        ms[size] = Math.max(1, median(Array.from({ length: runs }, () => time(f))) - start);
      }
      rows.push(`| ${name} | ${ms[1e6].toFixed(0)} | ${ms[4e6].toFixed(0)} | ${(ms[4e6] / ms[1e6]).toFixed(1)} |`);
    }
    log(`Adversarial single-line files (process start of ${start.toFixed(0)} ms subtracted; median of ${runs} runs):\n`);
    log(['| shape | 1 MB (ms) | 4 MB (ms) | 4 MB / 1 MB |', '| --- | ---: | ---: | ---: |', ...rows].join('\n'));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) benchRegex();
