import { looksRandom } from '../entropy.js';
import { tokenDetector } from '../token.js';
import { atTokenStart } from '../util.js';

export const gitlab = tokenDetector({
  id: 'secret/gitlab',
  title: 'GitLab token',
  summary: 'GitLab personal, project, deploy, runner and trigger tokens (glpat-, glptt-, gldt-, glrt-, GR1348941…).',
  docs: 'Matches GitLab token prefixes (`glpat-`, `glptt-`, `gldt-`, `glrt-`, `glsoat-`, `glft-`, runner registration `GR1348941`) followed by 20+ random characters. `glpat-XXXX…` placeholders and digit-only bodies stay quiet.',
  keywords: ['glpat-', 'glptt-', 'gldt-', 'glrt-', 'glsoat-', 'glft-', 'gr1348941'],
  pattern: atTokenStart(/(?:(?:glpat|glptt|gldt|glrt|glsoat|glft)-|GR1348941)[A-Za-z0-9_.-]{20,300}/g),
  prefix: (v) => (v.startsWith('GR1348941') ? 9 : v.indexOf('-') + 1),
  accept: (_v, body) => looksRandom(body, 20),
  examples: {
    tp: ['GITLAB_TOKEN=glpat-Qw7Rt2Zx9Lm4Np6Kb1Vc', 'runner: GR1348941aZ3kL9mQ2wX7rT5yU1iO8'],
    fp: ['glpat-XXXXXXXXXXX-XXXXXXXX', 'GR134894112312312312312312312', 'glpat-abc'],
  },
});
