/**
 * The documented local run, as written: README's "Run it locally" commands, run by a shell with .env.example as it
 * is, in a fresh directory laid out like a clone (the action's files linked in, examples/cto copied). Nothing but
 * the documented steps creates reports/.
 */
import { execFileSync } from 'node:child_process';
import { copyFileSync, cpSync, existsSync, mkdtempSync, readFileSync, rmSync, symlinkSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

const REPO = path.resolve(import.meta.dirname, '../..');
const tmp = mkdtempSync(path.join(os.tmpdir(), 'sot-gate-local-run-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

/** The shell commands of the README's "Run it locally" block. */
function documentedCommands(): string {
  const readme = readFileSync(path.join(REPO, 'README.md'), 'utf8');
  const section = readme.slice(readme.indexOf('### Run it locally'));
  return /```sh\n([\s\S]*?)```/.exec(section)![1]!;
}

/** A clone-like directory: what local-action reads from the action is linked, the example tree copied. */
function clone(): string {
  const dir = mkdtempSync(path.join(tmp, 'clone-'));
  for (const f of ['action.yml', 'package.json', 'tsconfig.json', 'src', 'node_modules']) symlinkSync(path.join(REPO, f), path.join(dir, f));
  copyFileSync(path.join(REPO, '.env.example'), path.join(dir, '.env.example'));
  cpSync(path.join(REPO, 'examples/cto'), path.join(dir, 'examples/cto'), { recursive: true });
  return dir;
}

/** The child sees no variable of the runner this test may itself run on: only what .env sets. */
function cleanEnv(): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { NO_COLOR: '1' };
  for (const [k, v] of Object.entries(process.env)) if (!/^(GITHUB_|INPUT_|RUNNER_|ACTIONS_)/.test(k)) env[k] = v;
  return env;
}

describe('README: run it locally', () => {
  it('the documented commands with .env.example: summary and SARIF written under reports/, no warning', () => {
    const commands = documentedCommands();
    expect(commands).toContain('cp .env.example .env');
    expect(commands).toContain('npx @github/local-action . src/main.ts .env');
    const dir = clone();
    const out = execFileSync('sh', ['-e', '-c', commands], { cwd: dir, encoding: 'utf8', timeout: 120_000, env: cleanEnv() });
    expect(out).not.toContain('could not be written');
    expect(out).not.toMatch(/^::warning::/m);
    expect(out).toContain('::set-output name=errors::3');
    expect(out).toContain('::set-output name=exposures::0');
    expect(readFileSync(path.join(dir, 'reports/step-summary.md'), 'utf8')).toContain('⚠️ sot-gate: 3 errors found (not failing the check)');
    expect(JSON.parse(readFileSync(path.join(dir, 'reports/sot-gate.sarif'), 'utf8')).version).toBe('2.1.0');
    expect(existsSync(path.join(dir, 'examples/cto/reports'))).toBe(false); // nothing but the documented steps creates reports/
  }, 120_000);
});
