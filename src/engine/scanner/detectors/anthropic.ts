import { distinct } from '../entropy.js';
import { tokenDetector } from '../token.js';
import { atTokenStart } from '../util.js';

export const anthropic = tokenDetector({
  id: 'secret/anthropic',
  title: 'Anthropic API key',
  summary: 'Anthropic API and admin keys (sk-ant-api03-…, sk-ant-admin01-…).',
  docs:
    'Matches `sk-ant-apiNN-` and `sk-ant-adminNN-` keys: a body of 80–120 URL-safe characters ending in `AA`, ' +
    'the shape Anthropic issues. Truncated examples (`sk-ant-api03-...`) and bodies that do not end in `AA` stay quiet.',
  keywords: ['sk-ant-'],
  pattern: atTokenStart(/sk-ant-(?:api|admin)\d{2}-[A-Za-z0-9_-]{80,120}AA(?![A-Za-z0-9_-])/g, 'A-Za-z0-9'),
  prefix: (v) => v.indexOf('-', 7) + 1,
  // the shape (length, trailing AA) is specific enough: only x-runs and near-constant bodies are placeholders
  placeholder: (b) => /x{4,}|X{4,}/.test(b) || distinct(b) <= 3,
  examples: {
    tp: [
      'ANTHROPIC_API_KEY=sk-ant-api03-Qm4Zr8Tx2Wv6Ny1Lp5Ks9Jh3Gd7Fb0Ca4Xe8Uo2Ri6Yt1Pn5Mk9Lj3Hg7Df0Sb4Az8Qw2Ex6Rc1Vt5By9Nu3Mi7Ko0Pl4Jh8Gf2Ds6Aa1Qz-5Wx_9AA',
      '"key": "sk-ant-admin01-Ht6Yq1Wm8Zr3Xv5Ln7Kp2Js9Gf4Dc0Bb6Na1Mz8Qx3Wr5Et7Yu2Io9Pa4Sd6Fg1Hj8Kl3Zx5Cv7Bn0Mq2Wl4Ek6Rt9Yi1Up3Oa5Sf8Dg0Hk2Jm4AA"',
      'KEY=pre-sk-ant-api03-Qm4Zr8Tx2Wv6Ny1Lp5Ks9Jh3Gd7Fb0Ca4Xe8Uo2Ri6Yt1Pn5Mk9Lj3Hg7Df0Sb4Az8Qw2Ex6Rc1Vt5By9Nu3Mi7Ko0Pl4Jh8Gf2Ds6Aa1Qz-5Wx_9AA',
    ],
    fp: ['sk-ant-api03-...', 'sk-ant-api03-abc123xyz-456de-klMnopqrstuvwx-3456yza789bcde-1234fghijklmnopAA', 'ANTHROPIC_API_KEY=<your-key>', 'sk-ant-api02-notarealkey'],
  },
});
