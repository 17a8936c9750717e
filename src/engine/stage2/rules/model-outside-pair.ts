import { deniedIdsIn, denyIdMap, isAdmittedIdentity, normId as identityKey, sameId, spellsPair } from '../../identity.js';
import { EVENTS } from '../vocabulary.js';
import { inDir } from '../context.js';
import { ADMITTED, blockedRun, ev, PASS_TRACE, passRun, report as reportJson, trace } from './fixtures.js';
import { admittedPair } from './pair.js';
import type { EvidenceRule } from './rule.js';

export const modelOutsidePair: EvidenceRule = {
  id: 'evidence/model-outside-pair',
  defaultSeverity: 'error',
  summary: 'An artifact (trace, report, logs, Case stdout/stderr, JSON files) names a provider or model other than the admitted pair (a silent fallback).',
  description:
    'The route must "prove no external provider fallback" and that Case "did not fall back to `anthropic` or `claude-sonnet-4-6`" (local provider route PRD; CTO-WORK-019 observed exactly that fallback). Every string value in a trace event under a key ending in the word `provider`, `model`, `model_id` or `model_name` (at any depth; any case, camelCase, snake_case or kebab-case: `provider`, `llmProvider`, `fallback_model`, `modelName`, `model-id`) must be the admitted provider or model (keys that merely contain such a word, such as `modelling_notes` or `provider_count`, are not checked); objects with `"backend": "fake"` (the same-run baseline) are skipped. Independently, no event may contain a deny-list id (`deny-list` in .github/sot-gate.yml; default `anthropic` / `claude-sonnet-4-6`) as a value. The `case_model_admission_blocked` event is exempt: it records the refused request. Free text in a trace event (a `message`) is read like a log line (below). Every other artifact is read too (report.json, report.md, backend logs, Case stdout/stderr, any JSON or JSON Lines file, and the files inside gzip/zip archives; not the Case config, which evidence/config-model checks): a JSON document or a JSON line is walked like a trace event (report.json\'s own `case_model_provider` / `case_model` are left to evidence/pass-not-admitted); in text, `model` or `provider` followed by `:` or `=` names an id (`model=gpt-4o`, `"provider": "x"`, `fallback_model: x`); `model <id>` in prose counts when the id holds a digit (`using model claude-sonnet-4-6`; not `model list`), `provider <id>` and `via` / `using` / `fell back to` / `switched to <id>` when the id is a known provider (`vocabularies.provider-class-of`, the deny-list); and a deny-list id counts anywhere as a word, in any case. A trace value that is the admitted name in another form (another case, a fullwidth letter) is reported, since model servers compare names exactly; a deny-list id is compared on the normalised form and also as a part of a `provider/model` or `provider:model` value. Ids in free text are compared with the admitted pair in one normalised form (NFKC, case-folded, trimmed; `provider/model` and `provider:model` name the pair). A run the gate blocked before Case started (report `blocked`, `case_process_started: false`, no start in the trace) is exempt: its marker and report name the refused request. Fix the harness or Case configuration so that only the admitted model is used, and rerun.',
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
      { description: 'a switch announced in Case stdout', files: passRun({ 'backend/case-stdout.log': 'AGENT_RESULT start\nusing model claude-sonnet-4-6 via anthropic\n' }) },
      { description: 'another model in a trace event\'s message text', files: passRun({ 'trace.jsonl': trace([...PASS_TRACE, ev('log', { message: 'retrying with model gpt-4o' })]) }) },
      { description: 'a model key in a backend JSON log', files: passRun({ 'backend/requests.jsonl': '{"request":{"model":"qwen3-coder-30b"}}\n' }) },
      { description: 'a model: line in a stderr log', files: passRun({ 'backend/case-stderr.log': 'model=gpt-4o-mini\n' }) },
      { description: 'a deny-listed id in report.md', files: passRun({ 'report.md': '# Stage 2 run\n\nCase answered through Claude-Sonnet-4-6.\n' }) },
      { description: 'a fallback in the report\'s failure text', files: passRun({ 'report.json': reportJson({ status: 'fail', failure_reason: 'fell back to anthropic after a timeout' }) }) },
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
      { description: 'logs that name only the admitted model, or no model (`model list`, `the model answered`)', files: passRun({ 'backend/case-stdout.log': 'using model qwen3.6-35b-a3b via qwen-local\nthe model answered; model list refreshed\n' }) },
      { description: 'the refused request in a blocked run\'s marker and report', files: blockedRun() },
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
    // Every other artifact (report, report.md, backend logs, Case stdout/stderr, JSON files, files inside archives):
    // not in a run the gate blocked before Case started (its marker and report name the refused request).
    const r = ctx.report.present ? ctx.report.value : undefined;
    const blockedBeforeStart = r?.status === 'blocked' && r.case_process_started === false && !ctx.trace.entries.some((e) => e.event === EVENTS.processStarted);
    if (blockedBeforeStart) return;
    const ids = ctx.artifactIds ?? [];
    const deniedAt = new Set(ids.filter((h) => h.kind === 'denied').map((h) => `${h.file}\0${h.line}\0${identityKey(h.value)}`));
    for (const h of ids) {
      const at = inDir(ctx, h.file);
      if (h.kind === 'denied') report({ file: at, line: h.line, message: `${h.value} appears in ${h.file}: it is on the deny-list (no silent fallback)` });
      else if (deniedAt.has(`${h.file}\0${h.line}\0${identityKey(h.value)}`)) continue;
      else if (adm.ok && !isAdmittedIdentity(h.value, h.kind, { provider: adm.provider, model: adm.model })) {
        report({ file: at, line: h.line, message: `${h.key === 'text' ? `${h.kind} named in the text` : h.key}: ${h.value} is outside the admitted pair ${adm.provider} / ${adm.model}` });
      }
    }
    for (const u of ctx.artifactUnread ?? []) report({ file: inDir(ctx, u.file), line: u.line, message: `${u.why}: not read for models outside the admitted pair` });
  },
};
