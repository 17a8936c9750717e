import { distinct } from '../entropy.js';
import { tokenDetector } from '../token.js';
import { atTokenStart } from '../util.js';

export const notion = tokenDetector({
  id: 'secret/notion',
  title: 'Notion API token',
  summary: 'Notion integration tokens (ntn_ + 11 digits + 35 alphanumerics).',
  docs: 'Matches `ntn_` followed by 11 digits and 35 alphanumerics as a whole token; other lengths, upper-case `NTN_` and `ntn_xxxx` placeholders stay quiet.',
  keywords: ['ntn_'],
  pattern: atTokenStart(/ntn_\d{11}[A-Za-z0-9]{35}(?![A-Za-z0-9_-])/g),
  placeholder: (b) => /x{4,}|X{4,}/.test(b) || distinct(b) <= 3 || !/[A-Za-z]/.test(b),
  examples: {
    tp: ['NOTION_TOKEN=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'],
    fp: ['ntn_abc', 'ntn_123456789012345678901234567890123456789012345678901234567890', 'xntn_45647615172Qw7Rt2Zx9Lm4Np6Kb1Vc3Yh8Jd5Fg0Sa2Ex4U'],
  },
});
