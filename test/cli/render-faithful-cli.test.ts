/**
 * End to end through the bundled CLI (dist/cli.js; run `npm run bundle` first): the decision record is read as GitHub
 * renders it. A state hidden in an HTML comment is not read, a field given twice is decision/ambiguous, and a decided
 * record whose state heading is renamed is a withdrawal the transition rules report against --base-dir.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { admissionJson, admissionPath, DECISION_PATH, decisionDoc } from '../../src/engine/rules/fixtures.js';

const CLI = path.resolve(__dirname, '../../dist/cli.js');
const QWEN = admissionPath('qwen-local', 'qwen3.6-35b-a3b');

function tree(files: Record<string, string>): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'sot-gate-render-'));
  for (const [rel, text] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(dir, rel)), { recursive: true });
    writeFileSync(path.join(dir, rel), text);
  }
  return dir;
}

interface Out {
  summary: { errors: number };
  findings: Array<{ ruleId: string; file: string; line: number; message: string }>;
}

function check(head: Record<string, string>, base: Record<string, string>): { status: number | null; out: Out } {
  const r = spawnSync(process.execPath, [CLI, 'check', tree(head), '--base-dir', tree(base), '--format', 'json'], { encoding: 'utf8' });
  return { status: r.status, out: JSON.parse(r.stdout) as Out };
}

const brief = (o: Out) => o.findings.map((f) => `${f.ruleId} ${f.file}:${f.line}`);
const BASE = { [DECISION_PATH]: decisionDoc(), [QWEN]: admissionJson() };
const STATE = '## Current Decision State';

describe('node dist/cli.js check --base-dir: the record as rendered', () => {
  it('a decided record whose state heading is renamed is a withdrawal: forbidden-transition and history-not-updated fire (exit 1)', () => {
    const renamed = decisionDoc().replace(STATE, '## Decision State (superseded)');
    const r = check({ [DECISION_PATH]: renamed, [QWEN]: admissionJson() }, BASE);
    expect(r.status).toBe(1);
    expect(brief(r.out)).toEqual([
      `decision/record-missing ${QWEN}:1`,
      `decision/forbidden-transition ${DECISION_PATH}:1`,
      `decision/history-not-updated ${DECISION_PATH}:1`,
    ]);
    expect(r.out.findings[1]?.message).toContain('decision_status was local_provider_required in the base revision');
  });

  it('the same tree with the heading kept passes (exit 0)', () => {
    const r = check(BASE, BASE);
    expect(r.status).toBe(0);
    expect(r.out.findings).toEqual([]);
  });

  it('a not_decided status hidden in an HTML comment before the visible one is not read (exit 0)', () => {
    const hidden = decisionDoc().replace(`${STATE}\n\n`, `${STATE}\n\n<!--\n- \`decision_status\`: \`not_decided\`.\n-->\n\n`);
    const r = check({ [DECISION_PATH]: hidden, [QWEN]: admissionJson() }, BASE);
    expect(r.status).toBe(0);
    expect(r.out.findings).toEqual([]);
  });

  it('the same status visible is decision/ambiguous naming both lines (exit 1)', () => {
    const twice = decisionDoc().replace(`${STATE}\n\n`, `${STATE}\n\n- \`decision_status\`: \`not_decided\`.\n`);
    const r = check({ [DECISION_PATH]: twice, [QWEN]: admissionJson() }, BASE);
    expect(r.status).toBe(1);
    expect(brief(r.out)).toContain(`decision/ambiguous ${DECISION_PATH}:16`);
    expect(r.out.findings.find((f) => f.ruleId === 'decision/ambiguous')?.message).toContain('(lines 16, 17)');
  });
});
