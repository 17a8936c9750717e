import { englishLike, looksRandom, readable } from '../entropy.js';
import { redact } from '../redact.js';
import { atTokenStart, isPlaceholder } from '../util.js';
import type { Detector, Match } from '../types.js';

const HEADER =
  atTokenStart(/(?:(?:proxy-)?authorization["'`]?[ \t]{0,5}[:=][ \t]{0,5}["'`]?[ \t]{0,5}(?:(?:bearer|basic|token|api-token|apikey|key|digest|sso-key)[ \t]{1,5})?|bearer[ \t]{1,5})([A-Za-z0-9+/=._~-]{8,4096})/gi);

export const bearer: Detector = {
  id: 'secret/bearer',
  title: 'Authorization header credential',
  summary: 'Authorization: Bearer/Basic/Token header values (and bare "Bearer <token>") with real-looking values.',
  docs:
    'Matches the value of an `Authorization` or `Proxy-Authorization` header (with `Bearer`, `Basic`, `Token`, `Api-Token`, … or no scheme) and `Bearer <token>` ' +
    'when the value looks random: mixed character classes and enough entropy, or 20+ lower-case letters that do not read like English ' +
    '(fewer than 40% of its letter pairs are common English pairs). Words (`Bearer accesstokenfromtheserver`) and placeholders (`Bearer $API_KEY`, `Bearer <token>`, `Basic ...`, `Token ****`, ' +
    '`Bearer $(gcloud auth print-access-token)`) stay quiet.',
  keywords: ['authorization', 'bearer'],
  priority: 1,
  find(window) {
    const out: Match[] = [];
    HEADER.lastIndex = 0;
    for (let m = HEADER.exec(window); m !== null; m = HEADER.exec(window)) {
      const v = m[1] ?? '';
      // one letter case only (`vtsrzwtviyqpekfahnhdfktfefpwyb`): random unless it reads like English words run together
      const lowerRandom = /^[a-z]{20,}$/.test(v) && !englishLike(v);
      if (/^(?:bearer|basic|token|digest)$/i.test(v) || isPlaceholder(v)) continue;
      if (!lowerRandom && (!looksRandom(v, 8) || (readable(v) && !/\d/.test(v)))) continue;
      const index = m.index + m[0].length - v.length;
      out.push({ index, value: v, message: `Authorization header credential ${redact(v)} (secret value must not appear in SOT or artifacts)` });
    }
    return out;
  },
  examples: {
    tp: [
      'curl -H "Authorization: Bearer cfcabd11c7ed9a41b1a3e063c32d5114" https://api.corp',
      "curl -H 'Authorization: Basic YnJvd3Nlcjo9Xq2=' https://x",
      '"Authorization": "Token 22cb987851bc5659a29114c62e60c79abd0d2c08"',
      'Proxy-Authorization: Basic IWboKqeEvfF7kU8a3GSfWXlHMURiABjgjXPIMhgj',
      'curl -H "Authorization: Bearer vtsrzwtviyqpekfahnhdfktfefpwybbh" https://api.corp',
    ],
    fp: ['-H "Authorization: Bearer $API_KEY"', '-H "Authorization: Bearer <token>"', 'Authorization: Basic ...', 'Authorization: Token **********', 'the bearer token is read from the environment', 'Authorization: Bearer/Basic/Token header values', 'Authorization: Bearer XXXXXXXXXXXX', 'Authorization: Bearer accesstokenfromtheserver', 'Proxy-Authorization: Basic <credentials>'],
  },
};
