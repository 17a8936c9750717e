import { tokenDetector } from '../token.js';
import { atTokenStart } from '../util.js';

export const age = tokenDetector({
  id: 'secret/age',
  title: 'age secret key',
  summary: 'age encryption secret keys (AGE-SECRET-KEY-1…).',
  docs: 'Matches `AGE-SECRET-KEY-1` followed by 58 bech32 characters. The format is unambiguous, so no placeholder heuristics apply.',
  keywords: ['age-secret-key-1'],
  pattern: atTokenStart(/AGE-SECRET-KEY-1[QPZRY9X8GF2TVDW0S3JN54KHCE6MUA7L]{58}(?![A-Za-z0-9])/g),
  placeholder: () => false,
  examples: {
    tp: ['AGE_KEY="AGE-SECRET-KEY-1NZPY7YN5GYYUHZG4K97Y6PLQCCQY998S64CAUA9PN97PW8LLSQHNFV24UL"'],
    fp: ['AGE-SECRET-KEY-1...', 'the AGE-SECRET-KEY-1 prefix'],
  },
});
