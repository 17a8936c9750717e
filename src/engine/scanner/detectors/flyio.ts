import { tokenDetector } from '../token.js';
import { atTokenStart } from '../util.js';

export const flyio = tokenDetector({
  id: 'secret/flyio',
  title: 'Fly.io token',
  summary: 'Fly.io access and macaroon tokens (fo1_, fm1r_/fm1a_/fm2_).',
  docs: 'Matches `fo1_` + 43 URL-safe characters and `fm1r_`, `fm1a_`, `fm2_` macaroon tokens with a long base64 body.',
  keywords: ['fo1_', 'fm1r_', 'fm1a_', 'fm2_'],
  pattern: atTokenStart(/(?:fo1_[A-Za-z0-9_-]{43}(?![A-Za-z0-9_-])|fm(?:1[ar]|2)_[A-Za-z0-9+/]{100,8000}={0,3})/g),
  examples: {
    tp: ['FLY_API_TOKEN=fo1_Qw7Rt2Zx9Lm4Np6Kb1Vc3Yh8Jd5Fg0Sa2Ex4Uq7Wz1L'],
    fp: ['api_key = "fo1_xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"', 'value="7SWa-Fo1_hsC6oovfBsJFLGPUl2EhkSWPbJhWANwgaJW"'],
  },
});
