import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { report, trace } from '../../src/engine/stage2/rules/fixtures.js';
import { cleanup, cli, tempDir } from './helpers.js';

afterEach(cleanup);

async function runDir(files: Record<string, string>): Promise<{ parent: string; dir: string }> {
  const parent = await tempDir();
  const dir = path.join(parent, 'harness-runs', '20260601T020117Z-r1-string-slugify-2566310');
  for (const [rel, text] of Object.entries(files)) {
    await mkdir(path.dirname(path.join(dir, rel)), { recursive: true });
    await writeFile(path.join(dir, rel), text);
  }
  return { parent, dir };
}

describe('sot-gate evidence --format markdown', () => {
  it('prints the seeds\' Runtime Evidence block, directory as given', async () => {
    const { parent } = await runDir({
      'report.json': report({ status: 'fail', failure_reason: 'case agent result protocol failed' }),
      'trace.jsonl': trace(),
      'backend/provider-agent-protocol.txt': 'x\n',
    });
    const out = await cli(['evidence', 'harness-runs/20260601T020117Z-r1-string-slugify-2566310', '--format', 'markdown'], parent, {});
    expect(out.code).toBe(0);
    expect(out.stdout).toBe(
      [
        '- Run artifact directory: `harness-runs/20260601T020117Z-r1-string-slugify-2566310`.',
        '- Report status: `fail`.',
        '- Backend: `case`.',
        '- Case process started: `true`.',
        '- Case model provider: `qwen-local`.',
        '- Case model: `qwen3.6-35b-a3b`.',
        '- Case model admission status: `admitted`.',
        '- Failure reason: `case agent result protocol failed`.',
        '- Marker: `backend/provider-agent-protocol.txt`.',
        '- Same-run fake baseline status: `pass`.',
        '',
      ].join('\n'),
    );
  });

  it('withholds a secret or the endpoint in a value, never prints it', async () => {
    const key = ['sk', 'Zq8Rt2Lm5Np7Vx9Wb3Yc6Hd1Jf4Kg8Ts0Uv2Ew5Fz7Gh9Ai'].join('-');
    const { parent, dir } = await runDir({ 'report.json': report({ status: 'fail', failure_reason: `auth failed with key: ${key}` }), 'trace.jsonl': trace() });
    const out = await cli(['evidence', dir], parent, {});
    expect(out.stdout).toContain('- Failure reason: `(withheld: matched secret/');
    expect(out.stdout).not.toContain(key);
    const ep = await runDir({ 'report.json': report({ status: 'fail', failure_reason: 'cannot reach http://spark1:8000/v1' }), 'trace.jsonl': trace() });
    const out2 = await cli(['evidence', ep.dir, '--format', 'json'], ep.parent, { CTO_HARNESS_CASE_LOCAL_BASE_URL: 'http://spark1:8000/v1' });
    expect(out2.stdout).not.toContain('spark1');
    expect(JSON.parse(out2.stdout).failure_reason).toBe('(withheld: contains the endpoint value)');
  });

  it('a missing report: exit 2 with a pointer to verify-evidence', async () => {
    const { parent, dir } = await runDir({ 'trace.jsonl': trace() });
    const out = await cli(['evidence', dir], parent, {});
    expect(out.code).toBe(2);
    expect(out.stdout).toContain('missing or invalid');
  });
});
