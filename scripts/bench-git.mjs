// Benchmark of the history scan (`sot-gate scan --git-range`) side by side with the final-tree scan (`sot-gate scan .`).
// Generates, under os.tmpdir(), git repositories with git fast-import: a realistic pull request (50 commits changing
// 500 files, 10 per commit) and a large one (1,000 commits, 3 files each), over a base of 500 source files of ~200
// lines; each file change rewrites a window of 20 lines; a few secrets planted. Runs each scan 3 times and prints medians of wall time and peak RSS as a Markdown table.
// Usage: node scripts/bench-git.mjs (after npm run bundle) — or import { benchGit } and call it.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const CLI = path.join(ROOT, 'dist/cli.js');
const TIME = existsSync('/usr/bin/time') ? '/usr/bin/time' : null;
const FILES = 500;

function prng(seed) {
  let s = seed >>> 0;
  return () => ((s = (s * 1664525 + 1013904223) >>> 0) / 2 ** 32);
}
const ALNUM = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
const token = (rand, n) => Array.from({ length: n }, () => ALNUM[Math.floor(rand() * ALNUM.length)]).join('');

/** A source file of ~200 lines; `rev` changes 20 of them; rarely, a planted token. */
function source(i, rev, rand) {
  const lines = [];
  for (let j = 0; j < 200; j++) {
    const changed = rev > 0 && j >= (rev * 7) % 180 && j < ((rev * 7) % 180) + 20;
    lines.push(
      changed && rand() < 0.001
        ? `  const token = "ghp_${token(rand, 36)}";`
        : `  export function handler${i}_${j}(input: Request${changed ? `, rev${rev}: number` : ''}): Response { return respond(input, ${j * 31}${changed ? ` + rev${rev}` : ''}); }`,
    );
  }
  return `// module ${i}\n${lines.join('\n')}\n`;
}

/** A repository: a base commit of FILES files on main, then `commits` commits on feature, each changing `perCommit` files. */
export function makeRepo(commits, perCommit) {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'sot-gate-bench-git-'));
  spawnSync('git', ['init', '-q', '-b', 'main', dir]);
  const rand = prng(7);
  const revs = new Array(FILES).fill(0);
  const chunks = [];
  const data = (s) => `data ${Buffer.byteLength(s)}\n${s}\n`;
  const author = 'committer Bench <bench@example.com> 1767225600 +0000\n';
  chunks.push(`commit refs/heads/main\nmark :1\n${author}${data('base')}`);
  for (let i = 0; i < FILES; i++) chunks.push(`M 100644 inline src/mod${i}.ts\n${data(source(i, 0, rand))}`);
  chunks.push(`reset refs/heads/feature\nfrom :1\n`);
  let next = 0;
  for (let c = 0; c < commits; c++) {
    chunks.push(`commit refs/heads/feature\n${author}${data(`change ${c}`)}`);
    for (let k = 0; k < perCommit; k++) {
      const i = next++ % FILES;
      revs[i]++;
      chunks.push(`M 100644 inline src/mod${i}.ts\n${data(source(i, revs[i], rand))}`);
    }
  }
  const r = spawnSync('git', ['-C', dir, 'fast-import', '--quiet'], { input: chunks.join(''), maxBuffer: 1 << 30 });
  if (r.status !== 0) throw new Error(`fast-import failed: ${r.stderr}`);
  spawnSync('git', ['-C', dir, 'checkout', '-q', 'feature']);
  return dir;
}

function run(cwd, args) {
  const cmd = TIME ? [TIME, '-f', '%e %M', process.execPath, CLI, ...args] : [process.execPath, CLI, ...args];
  const t0 = process.hrtime.bigint();
  const r = spawnSync(cmd[0], cmd.slice(1), { cwd, encoding: 'utf8', maxBuffer: 1 << 28 });
  const wall = Number(process.hrtime.bigint() - t0) / 1e9;
  if (r.status !== 0 && r.status !== 1) throw new Error(`sot-gate ${args.join(' ')}: exit ${r.status}: ${r.stderr}`);
  const rss = TIME ? Number(r.stderr.trim().split('\n').pop().split(' ')[1]) / 1024 : NaN;
  return { wall, rss };
}
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

export async function benchGit() {
  if (!existsSync(CLI)) throw new Error('dist/cli.js is missing: run npm run bundle first');
  const rows = [];
  for (const [label, commits, per] of [
    ['pull request: 50 commits, 500 changed files', 50, 10],
    ['large: 1,000 commits, 3,000 file changes', 1000, 3],
  ]) {
    const dir = makeRepo(commits, per);
    try {
      for (const [what, args] of [
        ['final tree (`scan .`)', ['scan', '.', '--format', 'json', '--threads', '1']],
        ['every commit (`scan --git-range main..feature`)', ['scan', '--git-range', 'main..feature', '--format', 'json', '--max-commits', '1000']],
      ]) {
        const runs = [0, 1, 2].map(() => run(dir, args));
        rows.push(`| ${label} | ${what} | ${median(runs.map((r) => r.wall)).toFixed(2)} s | ${TIME ? `${median(runs.map((r) => r.rss)).toFixed(0)} MB` : 'n/a'} |`);
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }
  console.log('| Repository | Scan | Wall (median of 3) | Peak RSS |\n| --- | --- | --- | --- |');
  console.log(rows.join('\n'));
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) await benchGit();
