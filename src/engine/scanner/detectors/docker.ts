import { looksRandom } from '../entropy.js';
import { tokenDetector } from '../token.js';
import { atTokenStart } from '../util.js';

export const docker = tokenDetector({
  id: 'secret/docker',
  title: 'Docker Hub token',
  summary: 'Docker Hub personal access tokens (dckr_pat_ + 27 characters).',
  docs: 'Matches `dckr_pat_` followed by 27 URL-safe random characters.',
  keywords: ['dckr_pat_'],
  pattern: atTokenStart(/dckr_pat_[A-Za-z0-9_-]{27}(?![A-Za-z0-9_-])/g),
  prefix: () => 9,
  accept: (_v, body) => looksRandom(body, 27),
  examples: { tp: ['DOCKER_TOKEN=dckr_pat_Qw7Rt2Zx9Lm4Np6Kb1Vc3Yh8Jd5'], fp: ['dckr_pat_tooshort', 'DOCKER_TOKEN=not_a_real_token'] },
});
