import { DECISION_PATH, decisionDoc, EXTERNAL_DECISION } from '../fixtures.js';
import { providerClassMap, normId } from '../../identity.js';
import type { Rule } from '../rule.js';

export const classMismatch: Rule = {
  id: 'decision/class-mismatch',
  defaultSeverity: 'error',
  summary: 'provider_class does not fit decision_status, or the provider does not fit provider_class (or has no known class).',
  description:
    '`local_provider_required` needs provider_class `local_case_compatible`; `external_provider_approved` needs `external_anthropic` or `external_openai_codex` (configurable under `vocabularies.provider-classes`). A mismatch means the record approves one route while naming another. The provider must fit the class too: the policy maps every provider to its class (`vocabularies.provider-class-of`; defaults `qwen-local` and `vllm` are `local_case_compatible`, `openai-codex` is `external_openai_codex`, `anthropic` is `external_anthropic`), and the primary `provider` must be of the record\'s provider_class (or one of its parts joined by `-plus-`): a `local_provider_required` record whose primary provider is an external one is a mismatch. A provider or fallback_provider the map does not list is a finding (its route cannot be decided), never a pass. Provider names are compared on their normalised form (NFKC, lower case, trimmed); the lookup is a Map, so a name such as `constructor` is unknown like any other.',
  examples: {
    fire: [
      { description: 'local status with an external class', files: { [DECISION_PATH]: decisionDoc({ provider_class: '`external_openai_codex`' }) } },
      { description: 'external status with the local class', files: { [DECISION_PATH]: decisionDoc({ ...EXTERNAL_DECISION, provider_class: '`local_case_compatible`' }) } },
      { description: 'decided without a class', files: { [DECISION_PATH]: decisionDoc({ provider_class: null }) } },
      { description: 'local record, external primary provider', files: { [DECISION_PATH]: decisionDoc({ provider: '`anthropic`', model: '`claude-sonnet-4-6`' }) } },
      {
        description: 'external record whose provider is of another external class',
        files: { [DECISION_PATH]: decisionDoc({ ...EXTERNAL_DECISION, provider: '`anthropic`', model: '`claude-sonnet-4-6`' }) },
      },
      { description: 'a provider the policy does not list', files: { [DECISION_PATH]: decisionDoc({ provider: '`constructor`' }) } },
      { description: 'an unknown fallback provider', files: { [DECISION_PATH]: decisionDoc({ fallback_provider: '`openrouter`' }) } },
    ],
    quiet: [
      { description: 'local/local', files: { [DECISION_PATH]: decisionDoc() } },
      { description: 'external/openai-codex', files: { [DECISION_PATH]: decisionDoc(EXTERNAL_DECISION) } },
      { description: 'local record with the explicit external fallback of the seeds', files: { [DECISION_PATH]: decisionDoc({ fallback_provider: '`openai-codex`' }) } },
    ],
  },
  check(ctx, report) {
    const d = ctx.decision;
    const status = d?.fields.get('decision_status')?.value;
    if (!d || !status) return;
    const classes = ctx.config.vocabularies['provider-classes'];
    const allowed = Object.hasOwn(classes, status) ? classes[status] : undefined;
    if (!allowed) return;
    const cls = d.fields.get('provider_class');
    if (!cls || cls.value === '') {
      report({ file: d.file, line: d.line, message: `${status} needs a provider_class (${allowed.join(' or ')})` });
    } else if (!allowed.includes(cls.value)) {
      report({ file: d.file, line: cls.line, message: `provider_class "${cls.value}" does not fit ${status}: expected ${allowed.join(' or ')}` });
    }
    const classOf = providerClassMap(ctx.config);
    for (const key of ['provider', 'fallback_provider'] as const) {
      const f = d.fields.get(key);
      if (!f || f.value === '') continue;
      const providerClass = classOf.get(normId(f.value));
      if (providerClass === undefined) {
        report({ file: d.file, line: f.line, message: `${key} "${f.value}" has no provider class (vocabularies.provider-class-of lists ${[...classOf.keys()].join(', ') || 'none'}): its route cannot be decided` });
      } else if (key === 'provider' && cls && cls.value !== '' && providerClass !== cls.value && !cls.value.split('-plus-').includes(providerClass)) {
        report({ file: d.file, line: f.line, message: `provider "${f.value}" is of class ${providerClass}, not the record's provider_class "${cls.value}"` });
      }
    }
  },
};
