import { tokenDetector } from '../token.js';
import { atTokenStart } from '../util.js';

export const jwt = tokenDetector({
  id: 'secret/jwt',
  title: 'JSON Web Token',
  summary: 'JSON Web Tokens (eyJ….eyJ….signature).',
  docs: 'Matches a base64url JSON header and payload (`eyJ…` `.` `eyJ…`) with an optional signature, as a whole token. A JWT is a bearer credential: anyone holding it acts as its subject until it expires.',
  keywords: ['eyj'],
  pattern: atTokenStart(/eyJ[A-Za-z0-9_-]{10,4000}\.eyJ[A-Za-z0-9_-]{10,20000}\.?[A-Za-z0-9_/+-]{0,2000}/g),
  prefix: () => 3,
  examples: {
    tp: [
      'Authorization: Bearer eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiJ1c2VyLTQyIiwiaWF0IjoxNzAwMDAwMDAwfQ.Zq8Rt2Lm5Np7Vx9Wb3Yc6Hd1Jf4Kg8Ts0Uv2Ew5Fz7',
      'id_token=eyJhbGciOiJSUzI1NiJ9.eyJpc3MiOiJodHRwczovL2lkcC5jb3JwIiwiYXVkIjoiYXBwIn0.c2lnbmF0dXJlLXBhcnQtb2YtdGhlLXRva2Vu',
    ],
    fp: ['eyJxxxxxxxxxxxxxxxxxx.eyJxxxxxxxxxxxxxxxxxxxxx.xxxxxxxx', 'the token starts with eyJ', 'eyJhbGciOiJIUzI1NiJ9 is a header only'],
  },
});
