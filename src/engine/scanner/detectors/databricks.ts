import { looksRandom } from '../entropy.js';
import { tokenDetector } from '../token.js';
import { atTokenStart } from '../util.js';

export const databricks = tokenDetector({
  id: 'secret/databricks',
  title: 'Databricks token',
  summary: 'Databricks personal access tokens (dapi + 32 hex).',
  docs: 'Matches `dapi` followed by 32 hex characters and an optional `-N` suffix, as a whole token.',
  keywords: ['dapi'],
  pattern: atTokenStart(/dapi[a-f0-9]{32}(?:-\d)?(?![A-Za-z0-9_])/g),
  prefix: () => 4,
  accept: (_v, body) => looksRandom(body.replace(/-\d$/, ''), 32),
  examples: { tp: ['DATABRICKS_TOKEN=dapi7f3c9a1b5e2d8f4a6c0b9e1d3f5a7c2e-2'], fp: ['dapi00000000000000000000000000000000', 'dapixxxxxxxx'] },
});
