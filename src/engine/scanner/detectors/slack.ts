import { looksRandom } from '../entropy.js';
import { atTokenStart, findAll, isPlaceholderBody } from '../util.js';
import type { Detector } from '../types.js';

const TOKEN = atTokenStart(/(?:xoxe\.)?xox[abposre]-[A-Za-z0-9-]{8,300}/g, 'A-Za-z0-9.');
const APP = atTokenStart(/xapp-\d-[A-Za-z0-9]{9,12}-\d{10,14}-[A-Za-z0-9]{32,80}(?![A-Za-z0-9])/g);
const WEBHOOK = /https?:\/\/hooks\.slack\.com\/(?:services|workflows|triggers)\/[A-Za-z0-9+/_-]{20,200}/g;
// The same URL percent-encoded (a query parameter, a form body): `https%3A%2F%2Fhooks.slack.com%2Fservices%2FT…%2FB…%2F…`.
const WEBHOOK_ENCODED = /https?%3[Aa]%2[Ff]%2[Ff]hooks\.slack\.com%2[Ff](?:services|workflows|triggers)%2[Ff](?:[A-Za-z0-9+_-]|%2[Ff]){20,300}/g;

/** A webhook URL (decoded) with team, channel and a random secret part, not `T000/B000/XXXX`. */
function validWebhook(url: string): boolean {
  const parts = url.split('/').slice(4);
  const last = parts[parts.length - 1] ?? '';
  return parts.length >= 3 && !isPlaceholderBody(parts.join('')) && last.length >= 16 && looksRandom(last, 16);
}

function validToken(v: string): boolean {
  const config = /^(?:xoxe\.xox[a-z]-\d-|xoxe-\d-)/.exec(v);
  if (config) {
    const body = v.slice(config[0].length);
    return body.length >= 60 && !isPlaceholderBody(body) && looksRandom(body, 60);
  }
  const segments = v.slice(5).split('-');
  const last = segments[segments.length - 1] ?? '';
  if (segments.length < 2 || last.length < 8) return false;
  if (!segments.some((s) => /^\d{8,}$/.test(s))) return false;
  if (isPlaceholderBody(last) || segments.some((s) => /x{3,}/i.test(s))) return false;
  return /[0-9]/.test(last) || (/[a-z]/.test(last) && /[A-Z]/.test(last));
}

export const slack: Detector = {
  id: 'secret/slack',
  title: 'Slack token',
  summary: 'Slack bot/user/app/config tokens (xoxb-, xoxp-, xoxa-, xoxs-, xoxe-, xapp-) and incoming webhook URLs.',
  docs:
    'Matches Slack tokens by structure: an `xox?-` prefix, a numeric team/user id segment of 8+ digits and a random final segment; ' +
    'long configuration tokens (`xoxe.xoxp-1-…`, `xoxe-1-…`); app-level tokens (`xapp-1-…`) and `hooks.slack.com` webhook URLs, also percent-encoded. ' +
    'Placeholders like `xoxb-xxx`, `xoxb-my-bot-token` or `T000/B000/XXXX` webhooks stay quiet.',
  keywords: ['xox', 'xapp-', 'hooks.slack.com'],
  find(window) {
    return [
      ...findAll(window, TOKEN, validToken),
      ...findAll(window, APP, (v) => !isPlaceholderBody(v.slice(7))),
      ...findAll(window, WEBHOOK, validWebhook),
      ...findAll(window, WEBHOOK_ENCODED, (v) => validWebhook(v.replace(/%2F/gi, '/').replace(/%3A/gi, ':'))),
    ];
  },
  examples: {
    tp: [
      'SLACK_BOT_TOKEN=xoxb-284719305527-3391048827712-Qw7Rt2Zx9Lm4Np6Kb1Vc3Yh8',
      '"user_token": "xoxp-41684372915-1320496754-45609968301-7c2e9a1b4d6f8e0a3c5b7d9f1e2a4c6b"',
      'webhook: https://hooks.slack.com/services/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',
      'xapp-1-A05R7X1LPQZ-5171572773297-9f2c4e6a8b0d1f3e5a7c9b2d4f6e8a0c1b3d5f7e9a2c4e6b8d0f1a3c5e7b9d2f',
      'GET /cb?value=https%3A%2F%2Fhooks.slack.com%2Fservices%2F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&x=1',
    ],
    fp: ['xoxb-xxxxxxxxx-xxxxxxxxxx-xxxxxxxxxxxx', 'xoxb-12345-abcd234', 'xoxb-xoxb-my-bot-token', 'https://hooks.slack.com/services/TXXXXX/BXXXXX/XXXXXXXXXX', 'url=https%3A%2F%2Fhooks.slack.com%2Fservices%2FT000%2FB000%2FXXXXXXXXXXXXXXXXXXXX', 'xoxe.xoxp-1-RANDOMSTRINGHERE'],
  },
};
