import { tokenDetector } from '../token.js';
import { atTokenStart } from '../util.js';

export const sourcegraph = tokenDetector({
  id: 'secret/sourcegraph',
  title: 'Sourcegraph access token',
  summary: 'Sourcegraph access tokens (sgp_…).',
  docs: 'Matches `sgp_` followed by 40 hex characters, optionally preceded by a 16-hex-character instance id (`sgp_<16>_<40>`).',
  keywords: ['sgp_'],
  pattern: atTokenStart(/sgp_(?:[a-fA-F0-9]{16}_)?[a-fA-F0-9]{40}(?![A-Za-z0-9_!-])/g),
  examples: {
    tp: ['SRC_ACCESS_TOKEN=sgp_0D697F54cb24238EefB29af05Abf1b505E90950A', 'sgp_AaD80dc6E02eCAE1_d3cba16CC0F18fA14A2EFB61CbDFceEBf9fAD16c'],
    fp: ['sgp_5555555dAAAAA7777777CcccCFaaaaaaaaaaaaaa', 'sgp_local_d45b6G86aBb0F2Cee943902dbaDBCFCFDD1dA089', 'sgp_652d9a2e48FC7E!FcDbEA1BC2E2A6CE23cFe7F7D'],
  },
});
