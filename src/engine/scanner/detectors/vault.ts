import { looksRandom } from '../entropy.js';
import { tokenDetector } from '../token.js';
import { atTokenStart } from '../util.js';

export const vault = tokenDetector({
  id: 'secret/vault',
  title: 'HashiCorp Vault token',
  summary: 'HashiCorp Vault service, batch and recovery tokens (hvs., hvb., hvr.).',
  docs: 'Matches Vault tokens with the `hvs.`, `hvb.` or `hvr.` prefix and a random body of 24+ characters. Legacy `s.` tokens are covered by `secret/key-name` when assigned to a token key.',
  keywords: ['hvs.', 'hvb.', 'hvr.'],
  pattern: atTokenStart(/hv[sbr]\.[A-Za-z0-9_-]{24,400}/g, 'A-Za-z0-9_.-'),
  prefix: () => 4,
  accept: (_v, body) => looksRandom(body, 24),
  examples: {
    tp: ['VAULT_TOKEN=hvs.CAESIQw7Rt2Zx9Lm4Np6Kb1Vc3Yh8Jd5Fg0Sa2Ex4Uq7Wz1Lk3Mj5Nh7Bg9Vf2Cd4', "token = 'hvb.AAAAAQJgxDgq7Rt2Zx9Lm4Np6Kb1Vc3Yh8Jd5Fg0Sa2Ex4'"],
    fp: ['hvs.xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx', 'hvb.tooshortxxx', 'hvr.placeholder', 'xhvs.CAESIQw7Rt2Zx9Lm4Np6Kb1Vc3Yh8Jd5Fg0Sa2Ex4Uq7'],
  },
});
