import { tokenDetector } from '../token.js';
import { atTokenStart } from '../util.js';
import { looksRandom } from '../entropy.js';

export const github = tokenDetector({
  id: 'secret/github',
  title: 'GitHub token',
  summary: 'GitHub tokens: classic ghp_/gho_/ghu_/ghs_/ghr_, fine-grained github_pat_, app installation tokens.',
  docs:
    'Matches GitHub personal access tokens (`ghp_`), OAuth (`gho_`), user-to-server (`ghu_`), server-to-server (`ghs_`) and refresh (`ghr_`) ' +
    'tokens with a 36+ character body, fine-grained `github_pat_` tokens, and `ghs_<id>_<jwt>` app tokens. ' +
    'Bodies made of `x`, sequences or `EXAMPLE` are placeholders and stay quiet.',
  keywords: ['ghp_', 'gho_', 'ghu_', 'ghs_', 'ghr_', 'github_pat_'],
  pattern: atTokenStart(/(?:gh[pousr]_[A-Za-z0-9]{36,255}|github_pat_[A-Za-z0-9_]{50,255}|gh[su]_\d{1,12}_[A-Za-z0-9_.-]{30,4000})/g, 'A-Za-z0-9'),
  prefix: (v) => (v.startsWith('github_pat_') ? 11 : 4),
  accept: (_v, body) => looksRandom(body.replace(/^\d+_/, ''), 30),
  examples: {
    tp: [
      'GITHUB_TOKEN=ghp_R7kLm2Nq8Wx4Zt6Yv1Bc3Df5Gh9Jk0Lp2Qs4W',
      'git clone https://x-access-token:ghs_Z2xQ7Wm9Rt4Yv6Nb1Kp3Lj8Hf5Dc0Sa2Ex4G@github.com/o/r',
      'token: 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',
      'refresh=ghr_Q1w2E3r4T5y6U7i8O9p0AaSsDdFfGgHhJjKkLl',
      '{"stdout":"key\\tghp_R7kLm2Nq8Wx4Zt6Yv1Bc3Df5Gh9Jk0Lp2Qs4W\\tactive"}',
      'body=%7B%22key%22%3A%22ghp_R7kLm2Nq8Wx4Zt6Yv1Bc3Df5Gh9Jk0Lp2Qs4W%22%7D',
      'MY_TOKEN=_ghp_R7kLm2Nq8Wx4Zt6Yv1Bc3Df5Gh9Jk0Lp2Qs4W',
      'rotated token ghp\\_R7kLm2Nq8Wx4Zt6Yv1Bc3Df5Gh9Jk0Lp2Qs4W',
      'rotated token ghp&#95;R7kLm2Nq8Wx4Zt6Yv1Bc3Df5Gh9Jk0Lp2Qs4W',
      'rotated token ghp_<!-- -->R7kLm2Nq8Wx4Zt6Yv1Bc3Df5Gh9Jk0Lp2Qs4W',
      '| GITHUB_TOKEN | `ghp_`R7kLm2Nq8Wx4Zt6Yv1Bc3Df5Gh9Jk0Lp2Qs4W |',
      'blob: Z2hwX1I3a0xtMk5xOFd4NFp0Nll2MUJjM0RmNUdoOUprMExwMlFzNFc=',
      'blob=6768705f52376b4c6d324e71385778345a74365976314263334466354768394a6b304c703251733457',
    ],
    fp: [
      'ghp_xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx',
      'xghp_R7kLm2Nq8Wx4Zt6Yv1Bc3Df5Gh9Jk0Lp2Qs4W',
      'gXX_wWPw5k4aXcaT4fNP0UcnZwJUVFk6LO0pINUx',
      'token: ghp_...',
      'see the ghp_ prefix in GitHub docs',
      'escaped placeholder ghp\\_xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx',
      'blob: Z2hwX3h4eHh4eHh4eHh4eHh4eHh4eHh4eHh4eHh4eHh4eHh4eHh4eA==',
    ],
  },
});
