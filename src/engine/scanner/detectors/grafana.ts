import { tokenDetector } from '../token.js';
import { atTokenStart } from '../util.js';

export const grafana = tokenDetector({
  id: 'secret/grafana',
  title: 'Grafana token',
  summary: 'Grafana Cloud API tokens (glc_), service-account tokens (glsa_) and legacy API keys (eyJrIjoi…).',
  docs: 'Matches `glc_` + 32+ base64 characters, `glsa_` + 32 alphanumerics + `_` + 8 hex, and legacy `eyJrIjoi` API keys.',
  keywords: ['glc_', 'glsa_', 'eyjrijoi'],
  pattern: atTokenStart(/(?:glc_[A-Za-z0-9+/]{32,400}={0,3}|glsa_[A-Za-z0-9]{32}_[A-Fa-f0-9]{8}(?![A-Za-z0-9])|eyJrIjoi[A-Za-z0-9]{70,400}={0,3})/g),
  prefix: (v) => (v.startsWith('eyJ') ? 8 : v.indexOf('_') + 1),
  examples: { tp: ["'Authorization': 'Bearer glsa_Qw7Rt2Zx9Lm4Np6Kb1Vc3Yh8Jd5Fg0Sa_486f63e1'"], fp: ['glsa_xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx_00000000', 'glc_abc'] },
});
