import { tokenDetector } from '../token.js';
import { atTokenStart } from '../util.js';

export const stripe = tokenDetector({
  id: 'secret/stripe',
  title: 'Stripe secret key',
  summary: 'Stripe secret and restricted keys (sk_live_, rk_live_, sk_test_, rk_test_, *_prod_).',
  docs: 'Matches Stripe secret (`sk_`) and restricted (`rk_`) keys in live, test or prod mode with a body of 20+ alphanumerics. Publishable keys (`pk_live_…`) are public and stay quiet, as do short or repeated-character placeholders.',
  keywords: ['sk_live_', 'sk_test_', 'sk_prod_', 'rk_live_', 'rk_test_', 'rk_prod_'],
  pattern: atTokenStart(/[sr]k_(?:live|test|prod)_[A-Za-z0-9]{20,247}(?![A-Za-z0-9])/g, 'A-Za-z0-9_'),
  prefix: (v) => v.indexOf('_', 3) + 1,
  examples: {
    tp: ['STRIPE_SECRET_KEY=sk_live_51Hq7Rt2Zx9Lm4Np6Kb1Vc3Yh8Jd5Fg0Sa2Ex4', 'stripe.api_key = "rk_test_4eC39HqLyjWDarjtT1zdp7dc2Xq8Rm5Nw"'],
    fp: ['pk_live_AAAAAAAAAAAAAAAAAAAAAAAA', 'sk_live_short', 'xsk_live_AAAAAAAAAAAAAAAAAAAAAAAA', 'sk_test_XXXXXXXXXXXXXXXXXXXXXXXX'],
  },
});
