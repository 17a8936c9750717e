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
    'The route must "prove no external provider fallback" and that Case "did not fall back to `anthropic` or `claude-sonnet-4-6`" (local provider route PRD; CTO-WORK-019 observed exactly that fallback). Every string value in a trace event under a key ending in the word `provider`, `model`, `model_id` or `model_name` (at any depth; any case, camelCase, snake_case or kebab-case: `provider`, `llmProvider`, `fallback_model`, `modelName`, `model-id`) must be the admitted provider or model (keys that merely contain such a word, such as `modelling_notes` or `provider_count`, are not checked); objects with `"backend": "fake"` (the same-run baseline) are skipped. Independently, no event may contain a deny-list id (`deny-list` in .github/sot-gate.yml; default `anthropic` / `claude-sonnet-4-6`) as a value. The `case_model_admission_blocked` event is exempt: it records the refused request. Fix the harness or Case configuration so that only the admitted model is used, and rerun.',
  examples: {
    fire: [
      { description: 'a silent fallback mid-run', files: passRun({ 'trace.jsonl': trace([...PASS_TRACE, ev('llm_request', { provider: 'anthropic', model: 'claude-sonnet-4-6' })]) }) },
      { description: 'another local model', files: passRun({ 'trace.jsonl': trace([...PASS_TRACE, ev('llm_request', { request: { model: 'qwen3-coder-30b' } })]) }) },
      { description: 'a deny-listed id under any key', files: passRun({ 'trace.jsonl': trace([...PASS_TRACE, ev('retry', { fallback_to: 'claude-sonnet-4-6' })]) }) },
      { description: 'camelCase keys (llmProvider, modelName)', files: passRun({ 'trace.jsonl': trace([...PASS_TRACE, ev('llm_request', { llmProvider: 'openai', modelName: 'gpt-4o' })]) }) },
      { description: 'a kebab-case key (fallback-model)', files: passRun({ 'trace.jsonl': trace([...PASS_TRACE, ev('retry', { 'fallback-model': 'qwen3-coder-30b' })]) }) },
    ],
    quiet: [
      { description: 'only the admitted pair', files: passRun({ 'trace.jsonl': trace([...PASS_TRACE, ev('llm_request', { provider: ADMITTED.provider, model: ADMITTED.model })]) }) },
      { description: 'the refused request of a blocked run', files: blockedRun() },
      {
        description: 'camelCase keys naming the admitted pair',
        files: passRun({ 'trace.jsonl': trace([...PASS_TRACE, ev('llm_request', { llmProvider: ADMITTED.provider, modelName: ADMITTED.model, fallbackModelId: ADMITTED.model })]) }),
      },
      {
        description: 'keys that only contain the word (modelling_notes, provider_count, modelsLoaded)',
        files: passRun({ 'trace.jsonl': trace([...PASS_TRACE, ev('note', { modelling_notes: 'compared with gpt-4o', provider_count: 'two', modelsLoaded: 'qwen3-coder-30b' })]) }),
      },
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
