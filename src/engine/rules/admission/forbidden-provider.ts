import { admissionJson, admissionPath, DECISION_PATH, decisionDoc, EXTERNAL_DECISION, localTree } from '../fixtures.js';
import { deniedPair, providerClassOf } from '../../identity.js';
import type { Rule } from '../rule.js';
import { pairText } from './pairs.js';

const ANTHROPIC = admissionPath('anthropic', 'claude-sonnet-4-6');
const anthropic = admissionJson({ provider: 'anthropic', model: 'claude-sonnet-4-6', credential_source_class: 'anthropic-api-key-env', allowed_network_class: 'hosted' });

const samePairText = (a: { provider: string; model: string }, b: { provider: string; model: string }) => a.provider === b.provider && a.model === b.model;

export const forbiddenProvider: Rule = {
  id: 'admission/forbidden-provider',
  defaultSeverity: 'error',
  summary: 'A pair on the deny list is admitted while the decision does not approve its provider class.',
  description:
    'The seeds record an observed silent fallback to `anthropic` / `claude-sonnet-4-6`. Pairs on the configured `deny-list` (default: that pair) may be admitted only when the decision is decided and its provider_class is the provider\'s class (`vocabularies.provider-class-of`, e.g. anthropic is `external_anthropic`). Human provider approval is required before an external provider such as Anthropic is selected. Names are compared on their normalised form (Unicode NFKC, default-ignorable characters removed, lower case, trimmed: `Anthropic` / `Claude-Sonnet-4-6` is the deny-listed pair), and a model written as `provider/model` or `provider:model` that spells a deny-listed pair is that pair (`openrouter` / `anthropic/claude-sonnet-4-6`).',
  examples: {
    fire: [
      { description: 'anthropic under a local decision', files: localTree({ [ANTHROPIC]: anthropic }) },
      {
        description: 'a case variant of the deny-listed pair',
        files: localTree({ [admissionPath('anthropic', 'Claude-Sonnet-4-6')]: admissionJson({ provider: 'anthropic', model: 'Claude-Sonnet-4-6' }) }),
      },
      {
        description: 'the deny-listed pair spelled in the model (provider/model)',
        files: localTree({ [admissionPath('openrouter', 'anthropic')]: admissionJson({ provider: 'openrouter', model: 'anthropic/claude-sonnet-4-6' }) }),
      },
    ],
    quiet: [
      {
        description: 'anthropic approved by the decision',
        files: {
          [DECISION_PATH]: decisionDoc({ ...EXTERNAL_DECISION, provider_class: '`external_anthropic`', provider: '`anthropic`', model: '`claude-sonnet-4-6`', credential_source_class: '`anthropic-api-key-env`', allowed_network_class: '`hosted`' }),
          [ANTHROPIC]: anthropic,
        },
      },
      { description: 'a revoked anthropic admission', files: localTree({ [ANTHROPIC]: admissionJson({ provider: 'anthropic', model: 'claude-sonnet-4-6', status: 'revoked' }) }) },
    ],
  },
  check(ctx, report) {
    const status = ctx.decision?.fields.get('decision_status')?.value;
    const decisionClass = ctx.decision?.fields.get('provider_class')?.value;
    const decided = status !== undefined && status !== 'not_decided' && ctx.config.vocabularies['decision-status'].includes(status);
    for (const a of ctx.admissions) {
      const v = a.value;
      if (!v || v.status !== 'admitted') continue;
      const denied = deniedPair(v, ctx.config);
      if (!denied) continue;
      const needed = providerClassOf(ctx.config, denied.provider);
      if (decided && needed !== undefined && needed === decisionClass) continue;
      report({
        file: a.file,
        line: a.keyLines.provider ?? 1,
        message: `${pairText(v)} is on the deny list${samePairText(v, denied) ? '' : ` (as ${pairText(denied)})`} and the decision does not approve provider class ${needed ?? '(unknown class)'}`,
      });
    }
  },
};
