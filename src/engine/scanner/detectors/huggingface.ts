import { tokenDetector } from '../token.js';
import { atTokenStart } from '../util.js';

export const huggingface = tokenDetector({
  id: 'secret/huggingface',
  title: 'Hugging Face token',
  summary: 'Hugging Face user access tokens (hf_…) and organization tokens (api_org_…).',
  docs: 'Matches `hf_` and `api_org_` followed by exactly 34 letters with both cases, as a whole token. Identifiers that merely contain `hf_` (`rhf_Sponsored…`, `hf_requiredCharacteristic…`) and `hf_xxxxx` placeholders stay quiet.',
  keywords: ['hf_', 'api_org_'],
  pattern: atTokenStart(/(?:hf|api_org)_[A-Za-z]{34}(?![A-Za-z0-9_-])/g),
  prefix: (v) => v.lastIndexOf('_') + 1,
  accept: (_v, body) => /[a-z]/.test(body) && /[A-Z]/.test(body),
  examples: {
    tp: ['HF_TOKEN=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', 'huggingface-cli login --token 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', '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'],
    fp: ['hf_xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx', '- (id)hf_requiredCharacteristicTypesForDisplayMetadata;', 'hf_abc', 'HF_TOKEN=$HF_TOKEN'],
  },
});
