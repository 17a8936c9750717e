import { admissionJson, admissionPath, DECISION_PATH, decisionDoc, EXTERNAL_DECISION, localTree } from '../fixtures.js';
import type { Rule } from '../rule.js';
import { pairText } from './pairs.js';

const ANTHROPIC = admissionPath('anthropic', 'claude-sonnet-4-6');
const anthropic = admissionJson({ provider: 'anthropic', model: 'claude-sonnet-4-6', credential_source_class: 'anthropic-api-key-env', allowed_network_class: 'hosted' });

export const forbiddenProvider: Rule = {
  id: 'admission/forbidden-provider',
  defaultSeverity: 'error',
  summary: 'A pair on the deny list is admitted while the decision does not approve its provider class.',
  description:
    'The seeds record an observed silent fallback to `anthropic` / `claude-sonnet-4-6`. Pairs on the configured `deny-list` (default: that pair) may be admitted only when the decision is decided and its provider_class is the provider\'s class (`vocabularies.provider-class-of`, e.g. anthropic is `external_anthropic`). Human provider approval is required before an external provider such as Anthropic is selected.',
  examples: {
    fire: [{ description: 'anthropic under a local decision', files: localTree({ [ANTHROPIC]: anthropic }) }],
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
    const deny = ctx.config['deny-list'];
    const classOf = ctx.config.vocabularies['provider-class-of'];
    const status = ctx.decision?.fields.get('decision_status')?.value;
    const decisionClass = ctx.decision?.fields.get('provider_class')?.value;
    const decided = status !== undefined && status !== 'not_decided' && ctx.config.vocabularies['decision-status'].includes(status);
    for (const a of ctx.admissions) {
      const v = a.value;
      if (!v || v.status !== 'admitted') continue;
      if (!deny.some((d) => d.provider === v.provider && d.model === v.model)) continue;
      const needed = Object.hasOwn(classOf, v.provider) ? classOf[v.provider] : undefined;
      if (decided && needed !== undefined && needed === decisionClass) continue;
      report({
        file: a.file,
        line: a.keyLines.provider ?? 1,
        message: `${pairText(v)} is on the deny list and the decision does not approve provider class ${needed ?? '(unknown class)'}`,
      });
    }
  },
};
