import { classes, shannon } from '../entropy.js';
import { QUOTE, SEPARATOR, assignments, flagAssignments, isSecretKey, type Assignment } from '../keys.js';
import { redact } from '../redact.js';
import { isPlaceholder } from '../util.js';
import type { Detector, Match } from '../types.js';

/** A value that is a real credential, not a reference, a path, a number or a word. */
export function realLooking(v: string): boolean {
  if (v.length < 8 || v.length > 1024 || isPlaceholder(v)) return false;
  if (/\s/.test(v) || v.includes('://')) return false;
  if (/^[-+]?\d+(?:\.\d+)?$/.test(v) || /^(?:true|false|null|none|nil|undefined|yes|no)$/i.test(v)) return false;
  // references: process.env.X, self.token, XSalsa20.key_length
  if (/^[A-Za-z_$][\w$]*(?:\.[A-Za-z_$][\w$]*)+$/.test(v) && !v.split('.').some((s) => s.length >= 20)) return false;
  // paths and files
  if (/^(?:\.{0,2}\/|~\/|[A-Za-z]:\\)/.test(v) || /\.(?:pem|p12|pfx|key|crt|cer|json|ya?ml|txt|keytab|jks|env|ini)$/i.test(v)) return false;
  if (/[()[\]]/.test(v) || /^[A-Za-z]+(?:\/[A-Za-z]+)+$/.test(v)) return false;
  const c = classes(v);
  const symbols = /[^A-Za-z0-9]/.test(v);
  if (c.count < 2 && !(symbols && c.count >= 1 && v.length >= 12)) return false;
  // words joined by separators: `my-bot-token`, `NEXUS-GPT4-API-KEY`
  if (/^[A-Za-z]+(?:[-_][A-Za-z0-9]{1,12})*$/.test(v) && !(c.lower && c.upper && v.length >= 16)) return false;
  return shannon(v) >= Math.min(3.0, Math.log2(v.length) - 1.2);
}

/**
 * A keyword inside a key (identifier characters, an optional quote or `"]`, spaces) followed by a separator of
 * assignments(), or inside a CLI flag (`--api-key`).
 */
const KEYWORDS = ['key', 'token', 'secret', 'pass', 'pwd', 'auth', 'cred', 'srt'];
const KW = `(?:${KEYWORDS.join('|')})`;
const SECRET_KEY_HINT = new RegExp(`${KW}[A-Za-z0-9_.-]{0,80}(?:${QUOTE}\\]?)?\\s{0,5}(?:${SEPARATOR}|,)|--[A-Za-z0-9_.-]{0,40}${KW}`, 'i');
/** An authorization scheme before the credential: `"Authorization": "Basic c3Zj…"` reports `c3Zj…`. */
const SCHEME = /^(?:bearer|basic|token|digest|bot|api-?token|api-?key|key|sso-key)[ \t]{1,5}(?=\S+$)/i;

/** The credential of an assignment, trimmed, without an authorization scheme; index is where it starts in the window. */
function credential(a: Assignment): { index: number; value: string } {
  const start = a.value.length - a.value.trimStart().length;
  let value = a.value.trim();
  const scheme = SCHEME.exec(value)?.[0].length ?? 0;
  value = value.slice(scheme);
  return { index: a.index + start + scheme, value };
}

export const keyName: Detector = {
  id: 'secret/key-name',
  title: 'Secret-named key',
  summary: 'Keys named like secrets (api_key, token, client_secret, password, …) with a real-looking value; in admission files any such key.',
  docs:
    'Matches JSON, YAML, env and code assignments (also inside escaped JSON `{\\"password\\":\\"…\\"}`, URL-encoded JSON ' +
    '`%22password%22%3A%22…`, and subscripts `os.environ["API_KEY"] = "…"`) and CLI flags (`--password=…`, `--api-key …`) whose key name ends in a secret word (`token`, `secret`, `password`, `passwd`, `api_key`, ' +
    '`access_token`, `client_secret`, `authorization`, `private_key`, `credentials`, …) and whose value looks like a credential: at least 8 characters, ' +
    'not a placeholder, reference (`$VAR`, `${{ secrets.X }}`, `process.env.X`), path, number or plain word. An authorization scheme ' +
    '(`"Authorization": "Basic c3Zj…"`) is not part of the value. Names such as `max_tokens`, `token_count`, ' +
    '`secret_scan`, `password_policy`, `credential_source_class`, `public_key` or `csrf_token` are not secret names. ' +
    'In an admission file any secret-named key with a value is an error, however short the value: admissions hold no secrets at all.',
  keywords: KEYWORDS,
  priority: 2,
  find(window, opts) {
    const out: Match[] = [];
    // Every secret key name holds a keyword; a line where no keyword runs into a separator has no such key.
    if (!SECRET_KEY_HINT.test(window)) return out;
    for (const a of [...assignments(window), ...flagAssignments(window)]) {
      if (!isSecretKey(a.key)) continue;
      const { index, value: v } = credential(a);
      if (opts.kind === 'admission') {
        if (v === '' || /^(?:null|true|false)$/.test(v)) continue;
        out.push({ index, value: v, message: `secret-named key "${a.key}" with value ${redact(v)} in an admission file (admission files must contain no secret keys)` });
        continue;
      }
      if (!realLooking(v)) continue;
      out.push({ index, value: v, message: `secret-named key "${a.key}" with value ${redact(v)} (secret value must not appear in SOT or artifacts)` });
    }
    return out;
  },
  examples: {
    tp: [
      'api_key: Zf3D0LXCM3EIMbgJpUNnkRtOfOueHznB',
      '"client_secret": "6da89121079f83b2eb6acccf8219ea982c3d79bc"',
      'export DB_PASSWORD=Tr0ub4dor&3xQ',
      'Token: 3fea6af1349166ea',
      'config.set("api_token", "dafa7817-e246-48f3-91a7-e87653d587b8")',
      '{"arguments":"{\\"password\\":\\"Qm7vR2xL9pK4wZ8t\\"}"}',
      'os.environ["OPENAI_API_KEY"] = "Qm7vR2xL9pK4wZ8t"',
      'headers["api_key"] = "Qm7vR2xL9pK4wZ8t"',
      'mysql --password=Qm7vR2xL9pK4wZ8t -h db',
      'tool --api-key Qm7vR2xL9pK4wZ8t',
      'data=%7B%22password%22%3A%22Qm7vR2xL9pK4wZ8t%22%7D',
      '{"req":"{\\"headers\\":{\\"Authorization\\":\\"Basic c3ZjOlFtN3ZSMnhMOXBLNHdaOHQ=\\"}}"}',
    ],
    fp: [
      'max_tokens: 4096',
      'token_count = 12817',
      '- `credential_source_class`: `pi-models-json-local-provider-no-secret-plus-codex-oauth-fallback`',
      'password_policy: strict-rotation-every-90-days',
      'secret_scan: enabled',
      'api_key: ${{ secrets.OPENAI_API_KEY }}',
      'token = process.env.GITHUB_TOKEN',
      'public_key = "9Cnzj4p4WGeKLs1Pt8QuKUpRKfFLfRYC9AIKjbJTWit"',
      'password: changeme',
      'api_key: <your-key>',
      'echo "$PW" | docker login --password-stdin --username ci',
      'tool --token-file ./token.txt --password $DB_PASSWORD',
      'os.environ["OPENAI_API_KEY"] = os.getenv("KEY")',
      '{"out":"{\\"password\\":\\"changeme\\",\\"max_tokens\\":4096}"}',
    ],
  },
};
