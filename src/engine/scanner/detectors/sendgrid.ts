import { tokenDetector } from '../token.js';
import { atTokenStart } from '../util.js';

export const sendgrid = tokenDetector({
  id: 'secret/sendgrid',
  title: 'SendGrid API key',
  summary: 'SendGrid API keys (SG.<22>.<43>).',
  docs: 'Matches `SG.` followed by a 22-character id and a 43-character secret, separated by a dot.',
  keywords: ['sg.'],
  pattern: atTokenStart(/SG\.[A-Za-z0-9_-]{22}\.[A-Za-z0-9_-]{43}(?![A-Za-z0-9_-])/g),
  prefix: () => 3,
  examples: {
    tp: ['SENDGRID_API_KEY=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'],
    fp: ['SG.xxxxxxxxxxxxxxxxxxxxxx.xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx', 'SG.config'],
  },
});
