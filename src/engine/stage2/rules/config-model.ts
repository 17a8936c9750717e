import { inDir } from '../context.js';
import { passRun } from './fixtures.js';
import { admittedPair } from './pair.js';
import type { EvidenceRule } from './rule.js';

export const configModel: EvidenceRule = {
  id: 'evidence/config-model',
  defaultSeverity: 'error',
  summary: 'The generated Case config (case-data/config.json, or under CASE_DATA_DIR) does not set models.default to the admitted model.',
  description:
    'CTO-WORK-019 "Requires isolated `CASE_DATA_DIR/config.json` to contain admitted `models.default`". When the run directory holds the generated config at `<case data dir>/config.json` (where `sot-gate preflight` writes it: `CASE_DATA_DIR` relative to the run directory, default `case-data`; verify-evidence reads the same variable), it must be a JSON object whose `models.default` is the admitted model and whose `models.provider`, when present, is the admitted provider. Fix: let `sot-gate preflight` generate the config, and do not edit it afterwards.',
  examples: {
    fire: [
      { description: 'another default model', files: passRun({ 'case-data/config.json': '{"models":{"default":"claude-sonnet-4-6"}}\n' }) },
      { description: 'no models.default', files: passRun({ 'case-data/config.json': '{"models":{}}\n' }) },
      { description: 'not JSON', files: passRun({ 'case-data/config.json': '{models}\n' }) },
    ],
    quiet: [
      { description: 'the admitted model', files: passRun() },
      { description: 'no generated config in the run directory', files: passRun({ 'case-data/config.json': undefined }) },
    ],
  },
  check(ctx, report) {
    const c = ctx.caseConfig;
    if (!c) return;
    const file = inDir(ctx, c.file);
    if (!c.raw || c.problems.length) {
      const p = c.problems[0];
      report({ file, line: p?.line ?? 1, message: `the generated Case config is not a valid JSON object: ${p?.message ?? 'invalid'}` });
      return;
    }
    const models = c.raw.models as { default?: unknown; provider?: unknown } | undefined;
    const line = c.keyLines.models ?? 1;
    const adm = admittedPair(ctx);
    if (typeof models?.default !== 'string' || models.default === '') {
      report({ file, line, message: 'the generated Case config has no models.default: Case would pick its own default model' });
      return;
    }
    if (!adm.ok) return;
    // Exact comparisons: stricter than the normalised form (identity.ts), and Case and the model server compare names exactly.
    if (models.default !== adm.model) report({ file, line, message: `models.default is ${models.default}, not the admitted model ${adm.model}` });
    if (typeof models.provider === 'string' && models.provider !== adm.provider) {
      report({ file, line, message: `models.provider is ${models.provider}, not the admitted provider ${adm.provider}` });
    }
  },
};
