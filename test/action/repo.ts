/** Temporary git repositories for the action tests: a base commit, then a head commit with the pull request's change. */
import { execFileSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

export const EXAMPLE = path.resolve('examples/cto');
export const EXAMPLE_BASE = path.resolve('examples/cto-base');

export const DECISION = '.sot/03-PROTOCOLS/CTO-CASE-PROVIDER-DECISION-RECORD.md';
export const CODEX = '.sot/03-PROTOCOLS/CTO-CASE-MODEL-PROVIDER-ADMISSION.openai-codex-gpt-5.5.json';
export const QWEN = '.sot/03-PROTOCOLS/CTO-CASE-MODEL-PROVIDER-ADMISSION.qwen-local-qwen3.6-35b-a3b.json';

export function git(dir: string, ...args: string[]): string {
  return execFileSync('git', ['-C', dir, ...args], {
    encoding: 'utf8',
    env: { ...process.env, GIT_AUTHOR_NAME: 't', GIT_AUTHOR_EMAIL: 't@example.test', GIT_COMMITTER_NAME: 't', GIT_COMMITTER_EMAIL: 't@example.test', GIT_CONFIG_NOSYSTEM: '1' },
  }).trim();
}

/** Every file of a directory, relative path -> content. */
export function readTree(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (d: string) => {
    for (const name of readdirSync(d)) {
      const abs = path.join(d, name);
      if (statSync(abs).isDirectory()) walk(abs);
      else out[path.relative(dir, abs).split(path.sep).join('/')] = readFileSync(abs, 'utf8');
    }
  };
  walk(dir);
  return out;
}

/** The example tree with the openai-codex admission fixed (role fallback, classes of the current decision): no findings. */
export function cleanTree(): Record<string, string> {
  const t = readTree(EXAMPLE);
  const codex = JSON.parse(t[CODEX]!) as Record<string, unknown>;
  codex.role = 'fallback';
  codex.credential_source_class = 'pi-models-json-local-provider-no-secret-plus-codex-oauth-fallback';
  codex.allowed_network_class = 'local-tailscale-vllm-spark1-plus-codex-oauth-fallback';
  t[CODEX] = JSON.stringify(codex, null, 2) + '\n';
  // Change control needs approvers: the base branch's policy names one (gh() approves with it by default).
  t[POLICY] = 'approvers: [jp]\n';
  return t;
}

export const POLICY = '.github/sot-gate.yml';

export type Tree = Record<string, string | null>;

function write(dir: string, files: Tree) {
  for (const [rel, content] of Object.entries(files)) {
    const abs = path.join(dir, rel);
    if (content === null) {
      rmSync(abs, { force: true });
      continue;
    }
    mkdirSync(path.dirname(abs), { recursive: true });
    writeFileSync(abs, content);
  }
}

export interface Repo {
  dir: string;
  baseSha: string;
  headSha: string;
  cleanup: () => void;
}

/**
 * A repository whose `main` holds `base` and whose checked-out branch adds `change` (null deletes a file).
 * `renames` are done with git mv before the change.
 */
export function makeRepo(base: Tree, change: Tree, renames: Array<[string, string]> = []): Repo {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'sot-gate-action-'));
  git(dir, 'init', '-q', '-b', 'main');
  git(dir, 'config', 'commit.gpgsign', 'false');
  write(dir, base);
  git(dir, 'add', '-A');
  git(dir, 'commit', '-q', '-m', 'base');
  const baseSha = git(dir, 'rev-parse', 'HEAD');
  git(dir, 'checkout', '-q', '-b', 'feature');
  for (const [from, to] of renames) {
    mkdirSync(path.dirname(path.join(dir, to)), { recursive: true });
    git(dir, 'mv', from, to);
  }
  write(dir, change);
  git(dir, 'add', '-A');
  git(dir, 'commit', '-q', '--allow-empty', '-m', 'change');
  const headSha = git(dir, 'rev-parse', 'HEAD');
  return { dir, baseSha, headSha, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

export function copyExample(to: string) {
  cpSync(EXAMPLE, to, { recursive: true });
}

/** A pull_request event payload for a repo made by makeRepo. */
export function prPayload(repo: Repo, opts: { author?: string; number?: number; fork?: boolean } = {}) {
  return {
    action: 'synchronize',
    number: opts.number ?? 7,
    pull_request: {
      number: opts.number ?? 7,
      user: { login: opts.author ?? 'pr-author' },
      head: { sha: repo.headSha, ref: 'feature', repo: { full_name: opts.fork ? 'someone/governance' : 'acme/governance' } },
      base: { sha: repo.baseSha, ref: 'main', repo: { full_name: 'acme/governance' } },
    },
  };
}

export interface StaleRepo extends Repo {
  mergeBase: string;
  /** A merge of the head into main's tip (what GitHub's merge ref holds). */
  mergeSha: string;
  checkout: (sha: string) => void;
}

/**
 * A stale branch: `feature` branches from `base`, then `main` moves on with `mainChange` while `feature` adds
 * `change`. baseSha is main's tip (pull_request.base.sha), mergeBase the branch point; the head is checked out.
 */
export function makeStaleRepo(base: Tree, mainChange: Tree, change: Tree): StaleRepo {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'sot-gate-stale-'));
  git(dir, 'init', '-q', '-b', 'main');
  git(dir, 'config', 'commit.gpgsign', 'false');
  write(dir, base);
  git(dir, 'add', '-A');
  git(dir, 'commit', '-q', '-m', 'base');
  const mergeBase = git(dir, 'rev-parse', 'HEAD');
  git(dir, 'checkout', '-q', '-b', 'feature');
  write(dir, change);
  git(dir, 'add', '-A');
  git(dir, 'commit', '-q', '--allow-empty', '-m', 'change');
  const headSha = git(dir, 'rev-parse', 'HEAD');
  git(dir, 'checkout', '-q', 'main');
  write(dir, mainChange);
  git(dir, 'add', '-A');
  git(dir, 'commit', '-q', '--allow-empty', '-m', 'main moves on');
  const baseSha = git(dir, 'rev-parse', 'HEAD');
  git(dir, 'checkout', '-q', '--detach', baseSha);
  git(dir, 'merge', '-q', '--no-ff', '--no-edit', headSha);
  const mergeSha = git(dir, 'rev-parse', 'HEAD');
  git(dir, 'checkout', '-q', 'feature');
  return {
    dir,
    baseSha,
    headSha,
    mergeBase,
    mergeSha,
    checkout: (sha) => git(dir, 'checkout', '-q', '--detach', sha),
    cleanup: () => rmSync(dir, { recursive: true, force: true }),
  };
}
