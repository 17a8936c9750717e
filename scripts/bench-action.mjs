// Benchmark of the action's own work on a typical pull request (20 changed files), API calls excluded: runCheck with a
// fake Octokit whose calls resolve immediately, over a temporary git repository (base commit + head), all local work
// included (policy from the base commit, base tree, evaluation, summary, SARIF, outputs). Target: median under 1 s.
// Usage: node scripts/bench-action.mjs [runs]   — or import { benchAction } and call it.
import { execFileSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { tsImport } from 'tsx/esm/api';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const DOC = '.sot/03-PROTOCOLS';

function git(dir, ...args) {
  return execFileSync('git', ['-C', dir, ...args], {
    encoding: 'utf8',
    env: { ...process.env, GIT_AUTHOR_NAME: 'b', GIT_AUTHOR_EMAIL: 'b@example.test', GIT_COMMITTER_NAME: 'b', GIT_COMMITTER_EMAIL: 'b@example.test' },
  }).trim();
}

const workItems = (n, status) =>
  `---\ntitle: Work ${n}\nstatus: active\nlifecycle_classification: sot\nowner: jp\ncreated: 2026-05-31\nlast_reviewed: 2026-05-31\ncore_promotion_status: not-promoted\nroute: cto\n---\n\n# Work ${n}\n\n` +
  Array.from({ length: 30 }, (_, i) => `## CTO-WORK-${n}${String(i).padStart(2, '0')}\n\n- status: \`${status}\`\n- owner: jp\n\nText of the item, line ${i}.\n`).join('\n');

/** A repository: examples/cto plus 40 SOT files and 40 other files; the head changes 20 of them (12 SOT, 8 other). */
function makeRepo() {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'sot-gate-bench-'));
  git(dir, 'init', '-q', '-b', 'main');
  cpSync(path.join(ROOT, 'examples/cto'), dir, { recursive: true });
  for (let i = 0; i < 40; i++) writeFileSync(path.join(dir, DOC, `WORK-${i}.md`), workItems(i, 'open'));
  mkdirSync(path.join(dir, 'src'), { recursive: true });
  for (let i = 0; i < 40; i++) writeFileSync(path.join(dir, 'src', `f${i}.ts`), `export const x${i} = ${i};\n`);
  git(dir, 'add', '-A');
  git(dir, 'commit', '-q', '-m', 'base');
  const baseSha = git(dir, 'rev-parse', 'HEAD');
  git(dir, 'checkout', '-q', '-b', 'pr');
  const changed = [];
  for (let i = 0; i < 12; i++) {
    writeFileSync(path.join(dir, DOC, `WORK-${i}.md`), workItems(i, 'in_progress'));
    changed.push(`${DOC}/WORK-${i}.md`);
  }
  for (let i = 0; i < 8; i++) {
    writeFileSync(path.join(dir, 'src', `f${i}.ts`), `export const x${i} = ${i + 1};\n`);
    changed.push(`src/f${i}.ts`);
  }
  git(dir, 'commit', '-q', '-am', 'change');
  return { dir, baseSha, headSha: git(dir, 'rev-parse', 'HEAD'), changed };
}

/** An Octokit stand-in: every call resolves at once. */
function instantOctokit(changed) {
  const listFiles = async () => ({ data: changed.map((filename) => ({ filename, status: 'modified', sha: '0'.repeat(40) })) });
  const listReviews = async () => ({ data: [] });
  const listComments = async () => ({ data: [] });
  return {
    paginate: async (fn) => (await fn()).data,
    rest: {
      pulls: { listFiles, listReviews },
      issues: { listComments, createComment: async () => ({ data: { id: 1 } }), updateComment: async () => ({ data: { id: 1 } }) },
      teams: { getMembershipForUserInOrg: async () => ({ data: { state: 'active' } }) },
    },
  };
}

function silentCore(inputs) {
  const summary = { addRaw: () => summary, write: async () => summary };
  const noop = () => {};
  return {
    getInput: (n) => inputs[n] ?? '',
    getBooleanInput: () => false,
    setOutput: noop,
    setFailed: noop,
    setSecret: noop,
    info: noop,
    warning: noop,
    error: noop,
    notice: noop,
    debug: noop,
    startGroup: noop,
    endGroup: noop,
    summary,
  };
}

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};

export async function benchAction({ runs = 20, log = console.log } = {}) {
  const { runCheck } = await tsImport(pathToFileURL(path.join(ROOT, 'src/action/modes/check.ts')).href, import.meta.url);
  const repo = makeRepo();
  const sarifFile = path.join(repo.dir, 'out.sarif');
  const octokit = instantOctokit(repo.changed);
  const deps = {
    core: silentCore({ token: 'bench-token', 'fail-on': 'never', comment: 'always', 'sarif-file': sarifFile }),
    context: {
      eventName: 'pull_request',
      sha: repo.headSha,
      ref: 'refs/pull/1/merge',
      runId: 1,
      serverUrl: 'https://github.com',
      repo: { owner: 'bench', repo: 'bench' },
      payload: { pull_request: { number: 1, user: { login: 'a' }, head: { sha: repo.headSha }, base: { sha: repo.baseSha } } },
    },
    octokit: () => octokit,
    env: {},
    cwd: repo.dir,
    now: () => new Date('2026-11-21T00:00:00Z'),
    fetch: globalThis.fetch,
  };
  const times = [];
  try {
    await runCheck(deps); // warm-up (module loading, JIT)
    for (let i = 0; i < runs; i++) {
      const t = performance.now();
      await runCheck(deps);
      times.push(performance.now() - t);
    }
    JSON.parse(readFileSync(sarifFile, 'utf8'));
  } finally {
    rmSync(repo.dir, { recursive: true, force: true });
  }
  const result = { name: 'action check (20 changed files, API excluded)', runs, medianMs: Math.round(median(times) * 10) / 10, minMs: Math.round(Math.min(...times) * 10) / 10, maxMs: Math.round(Math.max(...times) * 10) / 10, targetMs: 1000 };
  log(`${result.name}: median ${result.medianMs} ms (min ${result.minMs}, max ${result.maxMs}) over ${runs} runs; target < ${result.targetMs} ms`);
  return result;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const r = await benchAction({ runs: Number(process.argv[2] ?? 20) });
  process.exit(r.medianMs < r.targetMs ? 0 : 1);
}
