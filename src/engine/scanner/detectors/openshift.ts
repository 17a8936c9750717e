import { tokenDetector } from '../token.js';
import { atTokenStart } from '../util.js';

export const openshift = tokenDetector({
  id: 'secret/openshift',
  title: 'OpenShift user token',
  summary: 'OpenShift OAuth user tokens (sha256~ + 43 characters).',
  docs: 'Matches `sha256~` followed by 43 URL-safe characters as a whole token (`oc login --token=sha256~…`).',
  keywords: ['sha256~'],
  pattern: atTokenStart(/sha256~[A-Za-z0-9_-]{43}(?![A-Za-z0-9_-])/g),
  prefix: () => 7,
  examples: { tp: ['oc login --token=sha256~Qw7Rt2Zx9Lm4Np6Kb1Vc3Yh8Jd5Fg0Sa2Ex4Uq7Wz1L'], fp: ['--token=sha256~XXXXXXXXXX_PUT_YOUR_TOKEN_HERE_XXXXXXXXXXXX'] },
});
