import { tokenDetector } from '../token.js';
import { atTokenStart } from '../util.js';

export const hashicorp = tokenDetector({
  id: 'secret/hashicorp',
  title: 'Terraform Cloud token',
  summary: 'Terraform Cloud / Enterprise API tokens (<14>.atlasv1.<60+>).',
  docs: 'Matches Terraform Cloud tokens: 14 characters, `.atlasv1.`, then 60–70 URL-safe characters.',
  keywords: ['.atlasv1.'],
  pattern: atTokenStart(/[A-Za-z0-9]{14}\.atlasv1\.[A-Za-z0-9_=-]{60,70}(?![A-Za-z0-9_=-])/g),
  prefix: () => 23,
  examples: { tp: ['token = "Xq7Rt2Zx9Lm4Np.atlasv1.Kb1Vc3Yh8Jd5Fg0Sa2Ex4Uq7Wz1Lk3Mj5Nh7Bg9Vf2Cd4Xs6Za8Qw0Er2Ty4Ui6Op8"'], fp: ['xxxxxxxxxxxxxx.atlasv1.xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx'] },
});
