/** A hostile file cannot make the scanner hold or print millions of findings: at most 1,000 per rule and file are listed. */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { MAX_FINDINGS_PER_RULE, scanText } from '../../src/engine/scanner/index.js';
import { scanFile } from '../../src/engine/scanner/stream.js';
import type { ScanOptions } from '../../src/engine/scanner/types.js';

const opts: ScanOptions = { endpointVariables: ['CTO_HARNESS_CASE_LOCAL_BASE_URL'], targetRepositoryPatterns: [], kind: 'artifact' };
const dir = mkdtempSync(path.join(tmpdir(), 'sot-gate-cap-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** n distinct GitHub tokens, one per line (base-36 counters keep them distinct and non-sequential). */
const tokens = (n: number) => Array.from({ length: n }, (_, i) => `t: ghp_${(i * 7919 + 104729).toString(36).padStart(8, 'q')}Zq8mR2vX7tL4pW9nK3cJ6hF1dS5a`).join('\n') + '\n';

describe('findings per rule and file are capped, the rest counted in one finding', () => {
  it('lists exactly the cap and stays quiet about overflow at the cap', () => {
    const at = scanText(tokens(MAX_FINDINGS_PER_RULE), 'a.log', opts);
    expect(at.filter((f) => f.ruleId === 'secret/github')).toHaveLength(MAX_FINDINGS_PER_RULE);
    expect(at.some((f) => f.message.includes('more secret/github'))).toBe(false);
  });

  it('past the cap: 1,000 listed plus one finding counting the rest, at the first one not listed', () => {
    const over = scanText(tokens(2500), 'a.log', opts).filter((f) => f.ruleId === 'secret/github');
    expect(over).toHaveLength(MAX_FINDINGS_PER_RULE + 1);
    const more = over.at(-1)!;
    expect(more).toMatchObject({ line: MAX_FINDINGS_PER_RULE + 1, message: expect.stringMatching(/^1500 more secret\/github findings in this file/) });
  });

  it('a streamed file is capped the same way, counting each finding once across overlapping windows', async () => {
    const file = path.join(dir, 'big.log');
    writeFileSync(file, tokens(2500));
    const streamed = (await scanFile(file, 'big.log', opts, 1)).findings.filter((f) => f.ruleId === 'secret/github');
    const inMemory = (await scanFile(file, 'big.log', opts)).findings.filter((f) => f.ruleId === 'secret/github');
    expect(streamed).toEqual(inMemory);
    expect(streamed.at(-1)!.message).toMatch(/^1500 more /);
  });
});

describe('the cap on one long streamed line, where windows overlap', () => {
  it('lists the same findings streamed as in memory, each counted once', async () => {
    const file = path.join(dir, 'one-line.log');
    writeFileSync(file, tokens(2500).replace(/\n/g, ' ') + '\n'); // ~110 KB on one line: several overlapping windows
    const streamed = (await scanFile(file, 'one-line.log', opts, 1)).findings.filter((f) => f.ruleId === 'secret/github');
    const inMemory = (await scanFile(file, 'one-line.log', opts)).findings.filter((f) => f.ruleId === 'secret/github');
    expect(streamed).toHaveLength(MAX_FINDINGS_PER_RULE + 1);
    expect(streamed).toEqual(inMemory);
    expect(streamed.at(-1)!.message).toMatch(/^1500 more /);
  });
});
