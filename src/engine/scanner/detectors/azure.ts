import { tokenDetector } from '../token.js';
import { atTokenStart } from '../util.js';

export const azure = tokenDetector({
  id: 'secret/azure',
  title: 'Azure AD client secret',
  summary: 'Azure AD / Entra ID application client secrets (xxx8Q~…).',
  docs: 'Matches Entra ID client secrets: three characters, a digit, `Q~`, then 31–34 characters, delimited by quotes, spaces, `=`, `:` or brackets. Runs of tildes, CSS selectors and `Q~xxxx` placeholders stay quiet.',
  keywords: ['q~'],
  // the token may follow only a quote, white space, a backslash, one of `>=:(,` or an escape
  pattern: atTokenStart(/[A-Za-z0-9_~.]{3}\dQ~[A-Za-z0-9_~.-]{31,34}(?![^\\'"`\s<),])/g, '^\\\\\'"`\\s>=:(,'),
  prefix: () => 6,
  examples: {
    tp: ['client_secret=bP88Q~8JmR8y4EMfAdggcG9qpVTzqA05MFsHl7U', 'AZURE_CLIENT_SECRET="Xy27Q~Lm4Np6Kb1Vc3Yh8Jd5Fg0Sa2Ex4Qu7Wz1"'],
    fp: ['client_secret=bP88Q~xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx', '~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~', '.ui.visible.right.sidebar~.ui.visible.left.sidebar~.pusher{transform:none}'],
  },
});
