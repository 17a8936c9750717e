import { looksRandom } from '../entropy.js';
import { QUOTE, SEPARATOR } from '../keys.js';
import { atTokenStart, findAll, isPlaceholder, isPlaceholderBody, leftEdge } from '../util.js';
import type { Detector } from '../types.js';

// A short prefix: a letter or digit before it means base64 or a longer word, not a key id.
const KEY_ID = atTokenStart(/(?:A3T[A-Z0-9]|AKIA|ASIA|ABIA|ACCA)[A-Z2-7]{16}(?![A-Za-z0-9])/g, 'A-Za-z0-9');
/**
 * `aws_secret_access_key = …`, and `SecretAccessKey` as the AWS CLI/STS JSON names it, with the quotes and separators of
 * keys.ts (escaped JSON `\"SecretAccessKey\":\"…\"`, URL-encoded `%22…%22%3A%22…`).
 */
const SECRET = new RegExp(
  `${leftEdge('A-Za-z0-9')}(?:aws_?secret_?(?:access_?)?key|secret_?access_?key)${QUOTE}?\\s{0,5}${SEPARATOR}\\s{0,5}${QUOTE}?([A-Za-z0-9/+]{40})(?![A-Za-z0-9/+])`,
  'gi',
);

export const aws: Detector = {
  id: 'secret/aws',
  title: 'AWS credential',
  summary: 'AWS access key ids (AKIA…, ASIA…) and secret access keys assigned to aws_secret_access_key or SecretAccessKey.',
  docs:
    'Matches 20-character access key ids with the AWS prefixes (`AKIA`, `ASIA`, `ABIA`, `ACCA`, `A3T…`) in base32, also right after an escape ' +
    '(`\\n`, `\\u0022`, `%22`) but not inside a longer word or base64 run, and 40-character secret access keys in an ' +
    '`aws_secret_access_key = …` assignment or a `SecretAccessKey` field (AWS CLI and STS JSON, also escaped or URL-encoded). ' +
    'AWS documentation keys such as `AKIAIOSFODNN7EXAMPLE` and `AKIAXXXXXXXXXXXXXXXX` stay quiet.',
  keywords: ['akia', 'asia', 'abia', 'acca', 'a3t', 'aws', 'secretaccesskey', 'secret_access_key'],
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
      '{"out":"{\\"Credentials\\":{\\"SecretAccessKey\\":\\"Tn4Kp8Wz2Rq6Lx9Vm3Bc7Hy1Jd5Fs0Ga8Eu2Qo4X\\"}}"}',
      '"\\u0022AKIA4KZQ7RX3M2NVW6PB\\u0022"',
    ],
    fp: ['aws_access_key_id = AKIAIOSFODNN7EXAMPLE', 'key = AKIAXXXXXXXXXXXXXXXX', 'dump xAKIA4KZQ7RX3M2NVW6PB end', 'TODAYINASIAASACKOFRICEFELLOVER', 'AWS_SECRET_ACCESS_KEY=${{ secrets.AWS_SECRET_ACCESS_KEY }}'],
  },
};
