import { EVENTS } from '../vocabulary.js';
import { inDir } from '../context.js';
import { ADMITTED, blockedRun, ev, PASS_TRACE, passRun, trace } from './fixtures.js';
import { admittedPair } from './pair.js';
import type { EvidenceRule } from './rule.js';

export const modelOutsidePair: EvidenceRule = {
  id: 'evidence/model-outside-pair',
  defaultSeverity: 'error',
  summary: 'trace.jsonl names a provider or model other than the admitted pair (a silent fallback).',
  description:
    'The route must "prove no external provider fallback" and that Case "did not fall back to `anthropic` or `claude-sonnet-4-6`" (local provider route PRD; CTO-WORK-019 observed exactly that fallback). Every string value in a trace event under a key ending in `provider`, `model`, `model_id` or `model_name` (at any depth) must be the admitted provider or model; objects with `"backend": "fake"` (the same-run baseline) are skipped. Independently, no event may contain a deny-list id (`deny-list` in .github/sot-gate.yml; default `anthropic` / `claude-sonnet-4-6`) as a value. The `case_model_admission_blocked` event is exempt: it records the refused request. Fix the harness or Case configuration so that only the admitted model is used, and rerun.',
  examples: {
    fire: [
      { description: 'a silent fallback mid-run', files: passRun({ 'trace.jsonl': trace([...PASS_TRACE, ev('llm_request', { provider: 'anthropic', model: 'claude-sonnet-4-6' })]) }) },
      { description: 'another local model', files: passRun({ 'trace.jsonl': trace([...PASS_TRACE, ev('llm_request', { request: { model: 'qwen3-coder-30b' } })]) }) },
      { description: 'a deny-listed id under any key', files: passRun({ 'trace.jsonl': trace([...PASS_TRACE, ev('retry', { fallback_to: 'claude-sonnet-4-6' })]) }) },
    ],
    quiet: [
      { description: 'only the admitted pair', files: passRun({ 'trace.jsonl': trace([...PASS_TRACE, ev('llm_request', { provider: ADMITTED.provider, model: ADMITTED.model })]) }) },
      { description: 'the refused request of a blocked run', files: blockedRun() },
    ],
  },
  check(ctx, report) {
    const adm = admittedPair(ctx);
    const file = inDir(ctx, 'trace.jsonl');
    for (const e of ctx.trace.entries) {
      if (e.event === EVENTS.blocked) continue;
      for (const d of e.denied) report({ file, line: e.line, message: `${d} appears in the trace: it is on the deny-list (no silent fallback)` });
      if (!adm.ok) continue;
      for (const p of e.pairs) {
        const expected = p.kind === 'provider' ? adm.provider : adm.model;
        if (p.value === expected || e.denied.includes(p.value)) continue;
        report({ file, line: e.line, message: `${p.key} ${p.value} is outside the admitted pair ${adm.provider} / ${adm.model}` });
      }
    }
  },
};
