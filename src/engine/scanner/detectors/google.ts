import { tokenDetector } from '../token.js';
import { atTokenStart } from '../util.js';

export const google = tokenDetector({
  id: 'secret/google',
  title: 'Google API key',
  summary: 'Google Cloud / Firebase API keys (AIza…).',
  docs: 'Matches 39-character Google API keys: `AIza` followed by 35 URL-safe characters (most start `AIzaSy`, not all), as a whole token. Runs of one letter, `abcdef…` sequences and `x` placeholders stay quiet.',
  keywords: ['aiza'],
  pattern: atTokenStart(/AIza[A-Za-z0-9_-]{35}(?![A-Za-z0-9_-])/g),
  prefix: () => 4,
  examples: {
    tp: ['GOOGLE_API_KEY=AIzaSyR4t7Wq2Zx9Lm5Nk8Vb3Jh6Gf1Dc0Sa4_Q', 'apiKey: "AIzaSyB8kQ2mW7zR4tX9nL3vP6yJ1hG5fD0sA2e"', 'GOOGLE_API_KEY=AIzaSzFVLEiZdUycZDfzxQL7vyoc5kFNGqLVFd9'],
    fp: ['AIzaSyabcdefghijklmnopqrstuvwxyz1234567', 'apiKey: "AIzaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"', 'AIZASYCO2CXRMC9ELSKLHLHRMBSWDEVEDZTLO2O', 'xAIzaSyR4t7Wq2Zx9Lm5Nk8Vb3Jh6Gf1Dc0Sa4_Q'],
  },
});
