import { looksRandom } from '../entropy.js';
import { tokenDetector } from '../token.js';
import { leftEdge } from '../util.js';

const MARKER = 'T3BlbkFJ'; // base64 of "OpenAI", embedded in every generated key

export const openai = tokenDetector({
  id: 'secret/openai',
  title: 'OpenAI API key',
  summary: 'OpenAI API keys: legacy sk-…, sk-proj-, sk-svcacct-, sk-admin- keys and any key carrying the T3BlbkFJ marker.',
  docs:
    'Matches `sk-` tokens (not `sk-ant-`, which is Anthropic) that either carry the `T3BlbkFJ` marker OpenAI embeds in its keys, ' +
    'or are project / service-account / admin keys (`sk-proj-`, `sk-svcacct-`, `sk-admin-`) with a long random body, ' +
    'or are legacy 48-character keys with mixed case and digits. Placeholders such as `sk-...`, `sk-xxxx` or `sk-your-key` stay quiet.',
  keywords: ['sk-'],
  // Project/service-account/admin keys have a long distinctive prefix: `pre-sk-proj-…` and `_sk-proj-…` count. A bare `sk-` must
  // not continue a word (`task-list-…`, `disk-usage-…`).
  pattern: new RegExp(`(?:${leftEdge('A-Za-z0-9')}sk-(?:proj|svcacct|admin)-|${leftEdge()}sk-(?!ant-)(?:None-)?)[A-Za-z0-9_-]{20,400}`, 'g'),
  prefix: (v) => (/^sk-(?:proj|svcacct|admin|None)-/.exec(v)?.[0].length ?? 3),
  accept: (value, body) => {
    if (value.includes(MARKER)) return true;
    if (/^sk-(?:proj|svcacct|admin)-/.test(value)) return body.length >= 40 && looksRandom(body, 40);
    return /^[A-Za-z0-9]{48}$/.test(body) && /[a-z]/.test(body) && /[A-Z]/.test(body) && /[0-9]/.test(body);
  },
  examples: {
    tp: [
      'OPENAI_API_KEY=sk-proj-Ab3dE5fG7hJ9kL1mN3pQ5rS7tU9vW1xY3zA5bC7dE9fG1hJ3kL5mN7pQ9rS1tU3vW5xY7zT3BlbkFJa2B4c6D8e0F2g4H6j8K0m2N4p6Q8r0S2t4',
      'key: sk-Zq8Rt2Lm5Np7Vx9Wb3Yc6Hd1Jf4Kg8Ts0Uv2Ew5Fz7Gh9AiX',
      'Authorization: Bearer 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',
      'sk-svcacct-Xq3Wz8Yt1Rv6Lp9Nm2Kj5Hg8Fd1Sa4Qw7Er0Ty3Ui6Op9As2Df5Gh8Jk1Lz',
      '{"stdout":"$ cat token.txt\\nsk-proj-Ab3dE5fG7hJ9kL1mN3pQ5rS7tU9vW1xY3zA5bC7dE9fG1hJ3kL5mN7pQ9rS1tU3vW5xY7zT3BlbkFJa2B4c6D8e0F2g4H6j8K0m2N4p6Q8r0S2t4\\n"}',
      'OPENAI_KEY=pre-sk-proj-Ab3dE5fG7hJ9kL1mN3pQ5rS7tU9vW1xY3zA5bC7dE9fG1hJ3kL5mN7pQ9rS1tU3vW5xY7zT3BlbkFJa2B4c6D8e0F2g4H6j8K0m2N4p6Q8r0S2t4',
    ],
    fp: ['OPENAI_API_KEY=sk-...', 'api_key: sk-xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx', 'sk-openai-123456', 'use a key like sk-your-key-here', 'task-list-item-with-long-descriptive-name'],
  },
});
