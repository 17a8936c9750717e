/** The demo: what sot-gate finds in the real data of the seeds (examples/cto). */
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { evaluate } from '../../src/engine/check.js';
import { DEFAULT_CONFIG } from '../../src/engine/config.js';
import { loadTree } from '../../src/engine/tree.js';

const root = path.resolve(__dirname, '../../examples/cto');
const CODEX = '.sot/03-PROTOCOLS/CTO-CASE-MODEL-PROVIDER-ADMISSION.openai-codex-gpt-5.5.json';

describe('examples/cto', () => {
  it('finds the CTO-WORK-027 admission out of step with the current decision record, and nothing else', async () => {
    const files = await loadTree(root, DEFAULT_CONFIG);
    expect(files.map((f) => f.path)).toEqual([
      '.sot/03-PROTOCOLS/CTO-CASE-LOCAL-PROVIDER-ROUTE-PRD.md',
      '.sot/03-PROTOCOLS/CTO-CASE-MODEL-PROVIDER-ADMISSION-ISSUES.md',
      CODEX,
      '.sot/03-PROTOCOLS/CTO-CASE-MODEL-PROVIDER-ADMISSION.qwen-local-qwen3.6-35b-a3b.json',
      '.sot/03-PROTOCOLS/CTO-CASE-PROVIDER-DECISION-RECORD.md',
    ]);
    const r = evaluate({ files, config: DEFAULT_CONFIG, today: '2026-11-21' });
    expect(r.findings.map((f) => `${f.ruleId} ${f.file}:${f.line}`)).toEqual([
      `admission/implicit-fallback ${CODEX}:3`,
      `admission/stale ${CODEX}:5`,
      `admission/stale ${CODEX}:6`,
    ]);
    expect(r.decision?.status).toBe('local_provider_required');
    expect(r.admittedPairs).toEqual([
      { provider: 'qwen-local', model: 'qwen3.6-35b-a3b', role: 'primary', file: '.sot/03-PROTOCOLS/CTO-CASE-MODEL-PROVIDER-ADMISSION.qwen-local-qwen3.6-35b-a3b.json' },
    ]);
  });

  it('the earlier decision state (examples/cto-base) accepts the codex admission as its primary pair', async () => {
    const base = await loadTree(path.resolve(__dirname, '../../examples/cto-base'), DEFAULT_CONFIG);
    const head = await loadTree(root, DEFAULT_CONFIG);
    const files = [...base, ...head.filter((f) => f.path.endsWith('openai-codex-gpt-5.5.json'))];
    const r = evaluate({ files, config: DEFAULT_CONFIG });
    expect(r.findings).toEqual([]);
    expect(r.decision?.status).toBe('external_provider_approved');
  });

  it('moving from the base state to the current state records the history (transition rules quiet)', async () => {
    const base = await loadTree(path.resolve(__dirname, '../../examples/cto-base'), DEFAULT_CONFIG);
    const head = await loadTree(root, DEFAULT_CONFIG);
    const r = evaluate({ files: head, base, config: DEFAULT_CONFIG });
    // The seeds' record keeps only not_decided in its history, so moving from external_provider_approved is flagged.
    expect(r.findings.filter((f) => f.ruleId.startsWith('decision/')).map((f) => f.ruleId)).toEqual(['decision/history-not-updated']);
  });

});
