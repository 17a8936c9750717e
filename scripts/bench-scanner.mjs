// Benchmark of the no-secret scanner (`sot-gate scan`) against secretlint (recommended preset) and ripgrep.
// Generates, under os.tmpdir(): 3000 SOT Markdown files and ~32 MB of trace.jsonl logs with planted secrets;
// runs each tool 3 times; prints medians of throughput (MB/s), files/s and peak RSS as a Markdown table, with
// ratios; then scans one large trace (1 GiB, or 128 MiB with BENCH_QUICK=1) and reports sot-gate's peak RSS.
// Targets: >= 3x secretlint throughput, within 2x of ripgrep, peak RSS < 150 MB on 1 GiB.
// Usage: node scripts/bench-scanner.mjs   — or import { benchScanner } and call it.
import { spawnSync } from 'node:child_process';
import { createWriteStream, existsSync, mkdirSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const QUICK = process.env.BENCH_QUICK === '1';
const TIME = existsSync('/usr/bin/time') ? '/usr/bin/time' : null;

// A deterministic PRNG so every run scans the same bytes.
function prng(seed) {
  let s = seed >>> 0;
  return () => ((s = (s * 1664525 + 1013904223) >>> 0) / 2 ** 32);
}
const ALNUM = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
function token(rand, n, alphabet = ALNUM) {
  let s = '';
  for (let i = 0; i < n; i++) s += alphabet[Math.floor(rand() * alphabet.length)];
  return s;
}
function planted(rand) {
  const kinds = [
    () => `ghp_${token(rand, 36)}`,
    () => `AKIA${token(rand, 16, 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567')}`,
    () => `sk-proj-${token(rand, 40)}T3BlbkFJ${token(rand, 40)}`,
    () => `xoxb-${token(rand, 12, '0123456789')}-${token(rand, 13, '0123456789')}-${token(rand, 24)}`,
    () => `npm_${token(rand, 36)}`,
    () => `sk_live_${token(rand, 30)}`,
  ];
  return kinds[Math.floor(rand() * kinds.length)]();
}

const SOT_BODY = (i, rand) =>
  `---\ntitle: Work ${i}\nstatus: active\nlifecycle_classification: sot\nowner: jp\ncreated: 2026-05-31\n---\n\n# CTO Work ${i}\n\n` +
  Array.from({ length: 24 }, (_, j) =>
    `## CTO-WORK-${i}-${j}\n\n- \`decision_status\`: \`local_provider_required\`.\n- \`credential_source_class\`: \`pi-models-json-local-provider-no-secret-plus-codex-oauth-fallback\`; no secret value.\n` +
    `- Hermes commit \`5db23c7 Fail closed on Case Codex auth gap\`; artifact \`/home/svrnty/.hermes/profiles/cto-planb/harness-runs/20260601T0${j}Z-r1\`.\n` +
    (rand() < 0.02 ? `- leaked: token: ${planted(rand)}\n` : '') +
    `Text of the item, line ${j}: the required runtime variable is \`CTO_HARNESS_CASE_LOCAL_BASE_URL\`.\n`,
  ).join('\n');

const TRACE_LINE = (i, rand) =>
  rand() < 0.0005
    ? `{"ts":"2026-06-01T01:39:18.${i % 1000}Z","event":"tool_result","output":"export API_TOKEN=${planted(rand)}"}\n`
    : `{"ts":"2026-06-01T01:39:18.${i % 1000}Z","event":"tool_call","name":"bash","args":{"cmd":"python3 harness/runner/validate-case-provider-adapter.py --harness-root harness --json"},"status":"ok","duration_ms":${i % 977}}\n`;

async function writeLines(file, bytes, lineFn, rand) {
  const ws = createWriteStream(file);
  let written = 0;
  for (let i = 0; written < bytes; i++) {
    const line = lineFn(i, rand);
    written += line.length;
    if (!ws.write(line)) await new Promise((r) => ws.once('drain', r));
  }
  await new Promise((r) => ws.end(r));
  return written;
}

export async function generate(dir) {
  const rand = prng(42);
  let bytes = 0;
  mkdirSync(path.join(dir, '.sot'), { recursive: true });
  for (let i = 0; i < 3000; i++) {
    const text = SOT_BODY(i, rand);
    writeFileSync(path.join(dir, '.sot', `CTO-WORK-${i}.md`), text);
    bytes += text.length;
  }
  mkdirSync(path.join(dir, 'runs'), { recursive: true });
  for (let i = 0; i < 4; i++) bytes += await writeLines(path.join(dir, 'runs', `trace-${i}.jsonl`), 8 << 20, TRACE_LINE, rand);
  writeFileSync(path.join(dir, '.secretlintrc.json'), JSON.stringify({ rules: [{ id: '@secretlint/secretlint-rule-preset-recommend' }] }));
  return { bytes, files: 3004 };
}

/** Run a command, return wall seconds and peak RSS in MB (via /usr/bin/time -v when present). */
function measure(cmd, args, cwd) {
  const t0 = process.hrtime.bigint();
  const res = TIME
    ? spawnSync(TIME, ['-v', cmd, ...args], { cwd, encoding: 'utf8', stdio: ['ignore', 'ignore', 'pipe'], maxBuffer: 1 << 26 })
    : spawnSync(cmd, args, { cwd, stdio: 'ignore' });
  const secs = Number(process.hrtime.bigint() - t0) / 1e9;
  const m = TIME ? /Maximum resident set size \(kbytes\): (\d+)/.exec(res.stderr ?? '') : null;
  return { secs, rssMb: m ? Number(m[1]) / 1024 : NaN, status: res.status };
}
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

function sotGateCommand(dir) {
  const cli = path.join(ROOT, 'dist/cli.js');
  if (existsSync(cli)) return { cmd: process.execPath, args: [cli, 'scan', '.', '--format', 'json', '--exit-zero'], label: 'sot-gate (dist/cli.js scan)' };
  // Until the CLI bundle exists: a small driver on the TypeScript sources (via tsx).
  const driver = path.join(dir, '..', 'sot-gate-bench-driver.mjs');
  writeFileSync(
    driver,
    `import { tsImport } from ${JSON.stringify(path.join(ROOT, 'node_modules/tsx/dist/esm/api/index.mjs'))};\n` +
      `const { scanPaths } = await tsImport(${JSON.stringify(path.join(ROOT, 'src/engine/scan-paths.ts'))}, import.meta.url);\n` +
      `const { DEFAULT_CONFIG } = await tsImport(${JSON.stringify(path.join(ROOT, 'src/engine/config.ts'))}, import.meta.url);\n` +
      `const r = await scanPaths(process.cwd(), process.argv.slice(2), DEFAULT_CONFIG);\nprocess.stdout.write(JSON.stringify(r.summary) + '\\n');\n`,
  );
  return { cmd: process.execPath, args: [driver, '.'], label: 'sot-gate (scanner via tsx driver; dist/cli.js absent)' };
}

// The floor of any Node.js scanner: start Node, walk the tree and read every byte, scan nothing. What ripgrep's
// time leaves above this floor is all a JavaScript scanner could spend on scanning.
const FLOOR_SCRIPT = `import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
let bytes = 0;
const walk = (d) => { for (const e of readdirSync(d, { withFileTypes: true })) { const p = path.join(d, e.name); if (e.isDirectory()) walk(p); else if (e.isFile()) bytes += readFileSync(p).length; } };
walk('.');
process.stdout.write(String(bytes));
`;

const RG_PATTERNS = [
  'sk-(?:proj-|svcacct-|admin-)?[A-Za-z0-9_-]{20,}', 'sk-ant-(?:api|admin)[0-9]{2}-[A-Za-z0-9_-]{80,120}AA', 'gh[pousr]_[A-Za-z0-9]{36}', 'github_pat_[A-Za-z0-9_]{50,}',
  '(?:AKIA|ASIA|ABIA|ACCA)[A-Z2-7]{16}', 'AIzaSy[A-Za-z0-9_-]{33}', 'xox[abposre]-[A-Za-z0-9-]{8,}', 'hooks\\.slack\\.com/', 'hf_[A-Za-z]{34}', 'npm_[A-Za-z0-9]{36}',
  '[sr]k_(?:live|test|prod)_[A-Za-z0-9]{20,}', '-----BEGIN[ A-Z0-9]*PRIVATE KEY', 'eyJ[A-Za-z0-9_-]{10,}\\.eyJ', '[a-z][a-z0-9+.-]*://[^\\s:/@]*:[^\\s/@]+@',
  '(?i)authorization\\s*[:=]\\s*\\S+', '(?i)(?:token|secret|password|passwd|api_?key)["\']?\\s*[:=]\\s*\\S{8,}', 'CTO_HARNESS_CASE_LOCAL_BASE_URL\\s*[:=]', '\\.ts\\.net\\b',
  '\\b(?:10|100|172|192)\\.[0-9]{1,3}\\.[0-9]{1,3}\\.[0-9]{1,3}\\b',
];

export async function benchScanner({ runs = 3, log = console.log } = {}) {
  const base = mkdtempSync(path.join(os.tmpdir(), 'sot-gate-bench-scan-'));
  const dir = path.join(base, 'tree');
  mkdirSync(dir);
  try {
    const { bytes, files } = await generate(dir);
    const mb = bytes / 1e6;
    const sg = sotGateCommand(dir);
    const floor = path.join(base, 'node-read-floor.mjs');
    writeFileSync(floor, FLOOR_SCRIPT);
    const rgArgs = (target) => ['--hidden', '-c', ...RG_PATTERNS.flatMap((p) => ['-e', p]), target];
    const tools = [
      { name: sg.label, cmd: sg.cmd, args: sg.args },
      { name: `${sg.label} --threads 1`, cmd: sg.cmd, args: [...sg.args, '--threads', '1'] },
      { name: 'secretlint (preset-recommend)', cmd: path.join(ROOT, 'node_modules/.bin/secretlint'), args: ['**/*', '--secretlintrc', '.secretlintrc.json', '--format', 'json'], need: path.join(ROOT, 'node_modules/.bin/secretlint') },
      { name: 'ripgrep (equivalent patterns)', cmd: 'rg', args: rgArgs('.'), which: 'rg' },
      { name: 'floor: Node walks and reads every file, scans nothing', cmd: process.execPath, args: [floor] },
    ];
    const rows = [];
    for (const t of tools) {
      if (t.need && !existsSync(t.need)) { log(`skipping ${t.name}: not installed`); continue; }
      if (t.which && spawnSync('sh', ['-c', `command -v ${t.which}`]).status !== 0) { log(`skipping ${t.name}: not installed`); continue; }
      const ms = Array.from({ length: runs }, () => measure(t.cmd, t.args, dir));
      rows.push({ name: t.name, secs: median(ms.map((m) => m.secs)), rss: median(ms.map((m) => m.rssMb)) });
    }
    const sgRow = rows[0];
    const lines = [
      `Corpus: ${files} files, ${mb.toFixed(1)} MB (3000 SOT Markdown files + 4 trace.jsonl logs, planted secrets). Median of ${runs} runs. Machine: ${os.cpus().length} cores, Node ${process.version}.`,
      '',
      '| tool | time (s) | MB/s | files/s | peak RSS (MB) | sot-gate speed vs this |',
      '| --- | ---: | ---: | ---: | ---: | ---: |',
      ...rows.map((r) => `| ${r.name} | ${r.secs.toFixed(2)} | ${(mb / r.secs).toFixed(1)} | ${Math.round(files / r.secs)} | ${r.rss.toFixed(0)} | ${(r.secs / sgRow.secs).toFixed(2)}x |`),
    ];
    log(lines.join('\n'));

    // Large single trace: constant memory.
    const bigBytes = QUICK ? 128 << 20 : 1 << 30;
    const bigDir = path.join(base, 'big');
    mkdirSync(bigDir);
    await writeLines(path.join(bigDir, 'trace.jsonl'), bigBytes, TRACE_LINE, prng(7));
    const size = statSync(path.join(bigDir, 'trace.jsonl')).size;
    const sgBig = sotGateCommand(bigDir);
    const big = measure(sgBig.cmd, sgBig.args, bigDir);
    log(`\nLarge trace: ${(size / 2 ** 20).toFixed(0)} MiB single file scanned in ${big.secs.toFixed(1)} s (${(size / 1e6 / big.secs).toFixed(1)} MB/s), peak RSS ${big.rssMb.toFixed(0)} MB (target < 150 MB).`);
    const rgBig = spawnSync('sh', ['-c', 'command -v rg']).status === 0 ? measure('rg', rgArgs('trace.jsonl'), bigDir) : null;
    if (rgBig) log(`Same file, ripgrep (equivalent patterns): ${rgBig.secs.toFixed(2)} s (${(size / 1e6 / rgBig.secs).toFixed(0)} MB/s), peak RSS ${rgBig.rssMb.toFixed(0)} MB; sot-gate takes ${(big.secs / rgBig.secs).toFixed(1)}x its time.`);
    return { rows, mb, files, big: { bytes: size, secs: big.secs, rssMb: big.rssMb, rgSecs: rgBig?.secs } };
  } finally {
    rmSync(base, { recursive: true, force: true });
  }
}

if (process.argv[1] && fileURLToPath(import.meta.url) === path.resolve(process.argv[1])) {
  await benchScanner({ runs: Number(process.argv[2] ?? 3) });
}
