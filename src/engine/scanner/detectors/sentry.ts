import { tokenDetector } from '../token.js';
import { atTokenStart } from '../util.js';

export const sentry = tokenDetector({
  id: 'secret/sentry',
  title: 'Sentry token',
  summary: 'Sentry organization (sntrys_) and user (sntryu_) auth tokens.',
  docs: 'Matches `sntrys_eyJ…` organization tokens (base64 JSON claims plus a secret) and `sntryu_` followed by 64 hex characters.',
  keywords: ['sntrys_', 'sntryu_'],
  pattern: atTokenStart(/(?:sntrys_eyJ[A-Za-z0-9+/=_-]{30,2000}|sntryu_[a-f0-9]{64}(?![A-Za-z0-9]))/g),
  prefix: () => 7,
  examples: {
    tp: ['SENTRY_AUTH_TOKEN=sntrys_eyJpYXQiOjE3MjkyNzg1ODEuMDgxMTUzLCJ1cmwiOiJodHRwczovL3NlbnRyeS5pbyJ9_Qw7Rt2Zx9Lm4Np6Kb1Vc3Yh8Jd5Fg0Sa2Ex4U'],
    fp: ['sntrys_xxxxxxxxxxxxxxxx', 'sntrys_eyJxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx'],
  },
});
