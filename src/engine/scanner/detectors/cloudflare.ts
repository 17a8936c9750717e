import { tokenDetector } from '../token.js';
import { atTokenStart } from '../util.js';

export const cloudflare = tokenDetector({
  id: 'secret/cloudflare',
  title: 'Cloudflare Origin CA key',
  summary: 'Cloudflare Origin CA keys (v1.0-<24 hex>-<146 hex>).',
  docs: 'Matches Cloudflare Origin CA keys: `v1.0-`, 24 hex characters, `-`, 146 hex characters.',
  keywords: ['v1.0-'],
  pattern: atTokenStart(/v1\.0-[a-f0-9]{24}-[a-f0-9]{146}(?![A-Za-z0-9])/g),
  prefix: () => 5,
  examples: { tp: ['cloudflareToken := "v1.0-aaa334dc886f30631ba0a610-0d98ef66290d7e50aac7c27b5986c99e6f3f1084c881d8ac0eae5de1d1aa0644076ff57022069b3237d19afe60ad045f207ef2b16387ee37b749441b2ae2e9ebe5b4606e846475d4a5"'], fp: ['version v1.0-beta'] },
});
