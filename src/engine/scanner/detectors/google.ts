import { tokenDetector } from '../token.js';

export const google = tokenDetector({
  id: 'secret/google',
  title: 'Google API key',
  summary: 'Google Cloud / Firebase API keys (AIzaSy…).',
  docs: 'Matches 39-character Google API keys: `AIzaSy` followed by 33 URL-safe characters, as a whole token. Runs of one letter, `abcdef…` sequences and `x` placeholders stay quiet.',
  keywords: ['aizasy'],
  pattern: /(?<![A-Za-z0-9_-])AIzaSy[A-Za-z0-9_-]{33}(?![A-Za-z0-9_-])/g,
  prefix: () => 6,
  examples: {
    tp: ['GOOGLE_API_KEY=AIzaSyR4t7Wq2Zx9Lm5Nk8Vb3Jh6Gf1Dc0Sa4_Q', 'apiKey: "AIzaSyB8kQ2mW7zR4tX9nL3vP6yJ1hG5fD0sA2e"'],
    fp: ['AIzaSyabcdefghijklmnopqrstuvwxyz1234567', 'apiKey: "AIzaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"', 'AIZASYCO2CXRMC9ELSKLHLHRMBSWDEVEDZTLO2O', 'xAIzaSyR4t7Wq2Zx9Lm5Nk8Vb3Jh6Gf1Dc0Sa4_Q'],
  },
});
