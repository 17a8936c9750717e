import { admissionJson, admissionPath, localTree } from '../fixtures.js';
import type { Rule } from '../rule.js';
import { admittedCases, covered, pairText } from './pairs.js';

const P = admissionPath('qwen-local', 'qwen3.6-35b-a3b');

export const stale: Rule = {
  id: 'admission/stale',
  defaultSeverity: 'error',
  summary: 'The admission\'s credential or network class is not covered by the decision record.',
  description:
    'The decision record\'s review_trigger fires "before any credential source change": an admission whose credential_source_class or allowed_network_class is neither equal to the record\'s nor one of its parts joined by `-plus-` was written for another decision and needs review. Example: the record says `pi-models-json-local-provider-no-secret-plus-codex-oauth-fallback`, so `pi-models-json-local-provider-no-secret` is covered and `hermes-openai-codex-oauth-and-local-vllm-config` is not.',
  examples: {
    fire: [
      { description: 'credential class from an older decision', files: localTree({ [P]: admissionJson({ credential_source_class: 'hermes-openai-codex-oauth-and-local-vllm-config' }) }) },
      { description: 'network class not covered', files: localTree({ [P]: admissionJson({ allowed_network_class: 'public-internet' }) }) },
    ],
    quiet: [
      { description: 'a -plus- part of the record\'s class', files: localTree() },
      {
        description: 'the record\'s whole class',
        files: localTree({
          [P]: admissionJson({
            credential_source_class: 'pi-models-json-local-provider-no-secret-plus-codex-oauth-fallback',
            allowed_network_class: 'local-tailscale-vllm-spark1-plus-codex-oauth-fallback',
          }),
        }),
      },
    ],
  },
  check(ctx, report) {
    for (const c of admittedCases(ctx)) {
      if (c.position === 'none') continue;
      for (const key of ['credential_source_class', 'allowed_network_class'] as const) {
        const recordValue = c.decision.fields.get(key)?.value;
        if (!covered(c.value[key], recordValue)) {
          report({
            file: c.doc.file,
            line: c.doc.keyLines[key] ?? 1,
            message: `${key} "${c.value[key]}" of ${pairText(c.value)} is not covered by the decision record's "${recordValue ?? '(none)'}": the record's review trigger fired, review this admission`,
          });
        }
      }
    }
  },
};
