import { looksRandom } from '../entropy.js';
import { findAll, isPlaceholder, isPlaceholderBody } from '../util.js';
import type { Detector } from '../types.js';

const KEY_ID = /(?<![A-Za-z0-9])(?:A3T[A-Z0-9]|AKIA|ASIA|ABIA|ACCA)[A-Z2-7]{16}(?![A-Za-z0-9])/g;
const SECRET = /(?<![A-Za-z0-9])aws_?secret_?(?:access_?)?key["'`]?\s{0,5}(?::=|=>|[:=])\s{0,5}["'`]?([A-Za-z0-9/+]{40})(?![A-Za-z0-9/+])/gi;

export const aws: Detector = {
  id: 'secret/aws',
  title: 'AWS credential',
  summary: 'AWS access key ids (AKIA…, ASIA…) and secret access keys assigned to aws_secret_access_key.',
  docs:
    'Matches 20-character access key ids with the AWS prefixes (`AKIA`, `ASIA`, `ABIA`, `ACCA`, `A3T…`) in base32, and 40-character ' +
    'secret access keys in an `aws_secret_access_key = …` assignment. AWS documentation keys such as `AKIAIOSFODNN7EXAMPLE` ' +
    'and `AKIAXXXXXXXXXXXXXXXX` stay quiet.',
  keywords: ['akia', 'asia', 'abia', 'acca', 'a3t', 'aws'],
  find(window) {
    return [
      ...findAll(window, KEY_ID, (v) => !isPlaceholderBody(v.slice(4))),
      ...findAll(window, SECRET, (v) => !isPlaceholder(v) && looksRandom(v, 40), 1),
    ];
  },
  examples: {
    tp: [
      'aws_access_key_id = AKIA4KZQ7RX3M2NVW6PB',
      'export AWS_SECRET_ACCESS_KEY=Wq7Zr2Xt9Lm4Np6Kb1Vc3Yh8Jd5Fg0Sa2Ex4Qu7Z',
      'creds: ASIAQ3MZ7TR2XW4NPK6L',
    ],
    fp: ['aws_access_key_id = AKIAIOSFODNN7EXAMPLE', 'key = AKIAXXXXXXXXXXXXXXXX', 'TODAYINASIAASACKOFRICEFELLOVER', 'AWS_SECRET_ACCESS_KEY=${{ secrets.AWS_SECRET_ACCESS_KEY }}'],
  },
};
