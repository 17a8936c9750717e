import { tokenDetector } from '../token.js';
import { atTokenStart } from '../util.js';

export const onepassword = tokenDetector({
  id: 'secret/1password',
  title: '1Password credential',
  summary: '1Password service-account tokens (ops_eyJ…) and account secret keys (A3-XXXXXX-…).',
  docs: 'Matches `ops_eyJ…` service-account tokens (100+ base64 characters) and 1Password secret keys `A3-` + six groups of upper-case letters and digits. Placeholders made of `X` stay quiet.',
  keywords: ['ops_eyj', 'a3-'],
  pattern: atTokenStart(/(?:ops_eyJ[A-Za-z0-9+/=_-]{100,8000}|A3-[A-Z0-9]{6}-(?:[A-Z0-9]{11}|[A-Z0-9]{6}-[A-Z0-9]{5})-[A-Z0-9]{5}-[A-Z0-9]{5}-[A-Z0-9]{5}(?![A-Za-z0-9]))/g),
  prefix: (v) => (v.startsWith('ops_') ? 7 : 3),
  examples: {
    tp: ['OP_SECRET_KEY=A3-Q7RT2Z-X9LM4NP6KB1-VC3YH-8JD5F-G0SA2', 'export OP_SERVICE_ACCOUNT_TOKEN=ops_eyJzaWduSW5BZGRyZXNzIjoibXkuMXBhc3N3b3JkLmNvbSIsInVzZXJBdXRoIjp7Im1ldGhvZCI6IlNSUGctNDA5NiIsImFsZyI6IlBCRVMyZy1IUzI1NiJ9fQ'],
    fp: ['A3-XXXXXX-XXXXXXXXXXX-XXXXX-XXXXX-XXXXX', 'ops_eyJzaWduSW5B..[Redacted]'],
  },
});
