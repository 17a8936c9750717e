import { tokenDetector } from '../token.js';
import { atTokenStart } from '../util.js';

export const clojars = tokenDetector({
  id: 'secret/clojars',
  title: 'Clojars deploy token',
  summary: 'Clojars deploy tokens (CLOJARS_ + 60 characters).',
  docs: 'Matches `CLOJARS_` followed by 60 lower-case alphanumerics.',
  keywords: ['clojars_'],
  pattern: atTokenStart(/CLOJARS_[a-z0-9]{60}(?![A-Za-z0-9])/gi),
  prefix: () => 8,
  examples: { tp: ['token: CLOJARS_34bf0e88955ff5a1c328d6a7491acc4f48e865a7b8dd4d70a70749037443'], fp: ['CLOJARS_USERNAME=me'] },
});
