import { looksRandom } from '../entropy.js';
import { tokenDetector } from '../token.js';
import { atTokenStart } from '../util.js';

export const npm = tokenDetector({
  id: 'secret/npm',
  title: 'npm access token',
  summary: 'npm access tokens (npm_ + 36 characters).',
  docs: 'Matches `npm_` followed by 36 alphanumeric characters as a whole token, when the body looks random. `npm_config_…` variables and `npm_xxxx` placeholders stay quiet.',
  keywords: ['npm_'],
  pattern: atTokenStart(/npm_[A-Za-z0-9]{36}(?![A-Za-z0-9_])/g, 'A-Za-z0-9_'),
  accept: (_v, body) => looksRandom(body, 36),
  examples: {
    tp: ['//registry.npmjs.org/:_authToken=npm_Na1Hedcm4pMbXDuCL1mHoOsFaQfDPrAJ71fT', 'NPM_TOKEN: npm_aZ3kL9mQ2wX7rT5yU1iO8pS4dF6gH0jK2lV5'],
    fp: ['npm_xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx', 'npm_config_registry=https://registry.npmjs.org', 'NPM_TOKEN=${{ secrets.NPM_TOKEN }}'],
  },
});
