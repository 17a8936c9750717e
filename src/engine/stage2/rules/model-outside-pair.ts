import { deniedIdsIn, denyIdMap, sameId, spellsPair } from '../../identity.js';
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
    'The route must "prove no external provider fallback" and that Case "did not fall back to `anthropic` or `claude-sonnet-4-6`" (local provider route PRD; CTO-WORK-019 observed exactly that fallback). Every string value in a trace event under a key ending in the word `provider`, `model`, `model_id` or `model_name` (at any depth; any case, camelCase, snake_case or kebab-case: `provider`, `llmProvider`, `fallback_model`, `modelName`, `model-id`) must be the admitted provider or model (keys that merely contain such a word, such as `modelling_notes` or `provider_count`, are not checked); objects with `"backend": "fake"` (the same-run baseline) are skipped. A model value may also be the admitted pair written `provider/model` or `provider:model`; a value that is the admitted name in another form (another case, a fullwidth letter) is reported too, since model servers compare names exactly. Independently, no event may contain a deny-list id (`deny-list` in .github/sot-gate.yml; default `anthropic` / `claude-sonnet-4-6`) as a value, compared on the normalised form (Unicode NFKC, default-ignorable characters removed, lower case, trimmed) and also as a part of a `provider/model` or `provider:model` value: `Claude-Sonnet-4-6` and `anthropic/claude-sonnet-4-6` are that id. The `case_model_admission_blocked` event is exempt: it records the refused request. Fix the harness or Case configuration so that only the admitted model is used, and rerun.',
  examples: {
    fire: [
      { description: 'a silent fallback mid-run', files: passRun({ 'trace.jsonl': trace([...PASS_TRACE, ev('llm_request', { provider: 'anthropic', model: 'claude-sonnet-4-6' })]) }) },
      { description: 'another local model', files: passRun({ 'trace.jsonl': trace([...PASS_TRACE, ev('llm_request', { request: { model: 'qwen3-coder-30b' } })]) }) },
      { description: 'a deny-listed id under any key', files: passRun({ 'trace.jsonl': trace([...PASS_TRACE, ev('retry', { fallback_to: 'claude-sonnet-4-6' })]) }) },
      { description: 'the deny-listed pair as provider/model', files: passRun({ 'trace.jsonl': trace([...PASS_TRACE, ev('retry', { fallback_to: 'anthropic/claude-sonnet-4-6' })]) }) },
      { description: 'a case variant of a deny-listed id', files: passRun({ 'trace.jsonl': trace([...PASS_TRACE, ev('retry', { next: 'Claude-Sonnet-4-6' })]) }) },
      { description: 'a case variant of the admitted model', files: passRun({ 'trace.jsonl': trace([...PASS_TRACE, ev('llm_request', { model: ADMITTED.model.toUpperCase() })]) }) },
      { description: 'camelCase keys (llmProvider, modelName)', files: passRun({ 'trace.jsonl': trace([...PASS_TRACE, ev('llm_request', { llmProvider: 'openai', modelName: 'gpt-4o' })]) }) },
      { description: 'a kebab-case key (fallback-model)', files: passRun({ 'trace.jsonl': trace([...PASS_TRACE, ev('retry', { 'fallback-model': 'qwen3-coder-30b' })]) }) },
    ],
    quiet: [
      { description: 'only the admitted pair', files: passRun({ 'trace.jsonl': trace([...PASS_TRACE, ev('llm_request', { provider: ADMITTED.provider, model: ADMITTED.model })]) }) },
      { description: 'the refused request of a blocked run', files: blockedRun() },
      { description: 'the admitted pair written provider/model', files: passRun({ 'trace.jsonl': trace([...PASS_TRACE, ev('llm_request', { model: `${ADMITTED.provider}/${ADMITTED.model}` })]) }) },
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
    const denyIds = denyIdMap(ctx.config);
    for (const e of ctx.trace.entries) {
      if (e.event === EVENTS.blocked) continue;
      for (const d of e.denied) report({ file, line: e.line, message: `${d} appears in the trace: it is on the deny-list (no silent fallback)` });
      if (!adm.ok) continue;
      for (const p of e.pairs) {
        const expected = p.kind === 'provider' ? adm.provider : adm.model;
        // The admitted model may also be written as the pair: provider/model or provider:model, exactly.
        if (p.value === expected || (p.kind === 'model' && (p.value === `${adm.provider}/${adm.model}` || p.value === `${adm.provider}:${adm.model}`))) continue;
        if (e.denied.length && deniedIdsIn(p.value, denyIds).length) continue; // reported above
        const variant = sameId(p.value, expected) || (p.kind === 'model' && spellsPair(p.value, adm));
        report({
          file,
          line: e.line,
          message: variant
            ? `${p.key} ${p.value} is the admitted ${p.kind} written in another form (admitted: ${expected}): model servers compare names exactly, so the run may have used another model`
            : `${p.key} ${p.value} is outside the admitted pair ${adm.provider} / ${adm.model}`,
        });
      }
    }
  },
};
