import { inDir } from '../context.js';
import { RUN_FILES } from '../vocabulary.js';
import { blockedRun, passRun, report as reportJson } from './fixtures.js';
import { admittedPair, keyLine, reportFile } from './pair.js';
import type { EvidenceRule } from './rule.js';

const cfg = (v: unknown) => JSON.stringify(v) + '\n';

/** Where a nested key is: the line of its top-level key (the config is small; preflight writes one key per line). */
const lineOf = (keyLines: Record<string, number>, top: string) => keyLines[top] ?? 1;

export const configModel: EvidenceRule = {
  id: 'evidence/config-model',
  defaultSeverity: 'error',
  summary: 'The generated Case config is missing, outside the run, or makes a model other than the admitted one reachable.',
  description:
    'CTO-WORK-019 "Requires isolated `CASE_DATA_DIR/config.json` to contain admitted `models.default`". The config belongs at `<case data dir>/config.json`, where `sot-gate preflight` writes it: `CASE_DATA_DIR` (or `--case-data-dir`) relative to the run directory, default `case-data`; verify-evidence reads the same variable. A run that started Case or passed needs it: a report with `case_process_started: true` or `status: pass` fires when the run directory has no config there, and when the Case data directory is outside the run directory (its config is not this run\'s isolated config, and not part of the evidence). The config must be exactly what preflight writes: a JSON object `{"models": {"default": <admitted model>, "provider": <admitted provider>}}` (`provider` may be absent). Any other key, at any level (a `fallback`, a `providers` table, a second model), fires: nothing else may make a model reachable. Fix: let `sot-gate preflight` generate the config in the run directory, and do not edit it afterwards.',
  examples: {
    fire: [
      { description: 'another default model', files: passRun({ 'case-data/config.json': cfg({ models: { default: 'claude-sonnet-4-6' } }) }) },
      { description: 'no models.default', files: passRun({ 'case-data/config.json': cfg({ models: {} }) }) },
      { description: 'not JSON', files: passRun({ 'case-data/config.json': '{models}\n' }) },
      { description: 'a pass with no config', files: passRun({ 'case-data/config.json': undefined }) },
      { description: 'a pass whose Case data directory is outside the run directory', files: passRun({ 'case-data/config.json': undefined }), caseDataOutside: true },
      { description: 'a fallback entry for an unadmitted pair', files: passRun({ 'case-data/config.json': cfg({ models: { default: 'qwen3.6-35b-a3b', provider: 'qwen-local', fallback: { provider: 'anthropic', model: 'claude-sonnet-4-6' } } }) }) },
      { description: 'a providers table next to models', files: passRun({ 'case-data/config.json': cfg({ models: { default: 'qwen3.6-35b-a3b', provider: 'qwen-local' }, providers: { openai: { model: 'gpt-4o' } } }) }) },
      { description: 'another provider', files: passRun({ 'case-data/config.json': cfg({ models: { default: 'qwen3.6-35b-a3b', provider: 'vllm' } }) }) },
    ],
    quiet: [
      { description: 'the admitted model', files: passRun() },
      { description: 'a blocked run without a config', files: blockedRun() },
      { description: 'a fail that never started Case, without a config', files: passRun({ 'case-data/config.json': undefined, 'report.json': reportJson({ status: 'fail', case_process_started: false, failure_reason: 'fixture copy failed', baseline: undefined }) }) },
    ],
  },
  check(ctx, report) {
    const c = ctx.caseConfig;
    const r = ctx.report.present ? ctx.report.value : undefined;
    const needed = r !== undefined && (r.status === 'pass' || r.case_process_started === true);
    if (!c) {
      if (!needed) return;
      if (ctx.caseConfigPath === null) {
        report({ file: reportFile(ctx), line: keyLine(ctx, 'case_process_started'), message: `the Case data directory (CASE_DATA_DIR) is outside the run directory: a run that started Case needs its isolated ${RUN_FILES.config} inside the run directory, as evidence` });
      } else if (ctx.caseConfigPath !== undefined) {
        report({ file: inDir(ctx, ctx.caseConfigPath), line: 1, message: `no generated Case config at ${ctx.caseConfigPath}: a run that started Case must hold the isolated config preflight wrote (models.default the admitted model)` });
      }
      return;
    }
    const file = inDir(ctx, c.file);
    if (!c.raw || c.problems.length) {
      const p = c.problems[0];
      report({ file, line: p?.line ?? 1, message: `the generated Case config is not a valid JSON object: ${p?.message ?? 'invalid'}` });
      return;
    }
    for (const k of Object.keys(c.raw)) {
      if (k !== 'models') report({ file, line: lineOf(c.keyLines, k), message: `the generated Case config has a key ${JSON.stringify(k)} besides models: only models.default and models.provider may be set (nothing else may make a model reachable)` });
    }
    const models = c.raw.models;
    const line = lineOf(c.keyLines, 'models');
    if (models === null || typeof models !== 'object' || Array.isArray(models)) {
      report({ file, line, message: 'the generated Case config has no models object: Case would pick its own default model' });
      return;
    }
    // Exact comparisons: stricter than the normalised form (identity.ts), and Case and the model server compare names exactly.
    const m = models as Record<string, unknown>;
    for (const k of Object.keys(m)) {
      if (k !== 'default' && k !== 'provider') report({ file, line, message: `models.${k} is set: only models.default and models.provider may be set (a fallback or a second model makes another model reachable)` });
    }
    const adm = admittedPair(ctx);
    if (typeof m.default !== 'string' || m.default === '') {
      report({ file, line, message: 'the generated Case config has no models.default: Case would pick its own default model' });
    } else if (adm.ok && m.default !== adm.model) {
      report({ file, line, message: `models.default is ${m.default}, not the admitted model ${adm.model}` });
    }
    if (m.provider !== undefined && (typeof m.provider !== 'string' || (adm.ok && m.provider !== adm.provider))) {
      report({ file, line, message: `models.provider is ${typeof m.provider === 'string' ? m.provider : JSON.stringify(m.provider)}, not the admitted provider${adm.ok ? ` ${adm.provider}` : ''}` });
    }
  },
};
