import { distinct } from '../entropy.js';
import { tokenDetector } from '../token.js';
import { atTokenStart } from '../util.js';

export const groq = tokenDetector({
  id: 'secret/groq',
  title: 'Groq API key',
  summary: 'Groq API keys (gsk_ + 52 alphanumerics).',
  docs: 'Matches `gsk_` followed by exactly 52 alphanumeric characters as a whole token; longer or shorter runs and `gsk_xxxx` placeholders stay quiet.',
  keywords: ['gsk_'],
  pattern: atTokenStart(/gsk_[A-Za-z0-9]{52}(?![A-Za-z0-9_-])/g),
  placeholder: (b) => /x{4,}|X{4,}/.test(b) || distinct(b) <= 3,
  examples: {
    tp: ['GROQ_API_KEY=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'],
    fp: ['gsk_abc123', 'wordgsk_Qw7Rt2Zx9Lm4Np6Kb1Vc3Yh8Jd5Fg0Sa2Ex4Uq7Wz1Lk3Mj5Nh7Bg9Vf2C', 'gsk_xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx'],
  },
});
