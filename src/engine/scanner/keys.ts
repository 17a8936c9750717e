/**
 * Key/value assignments (`key = value`, `key: value`, `"key": "value"`, `export KEY=…`, `("key", "value")`)
 * and the classification of key names, shared by the key-name and high-entropy detectors.
 */
export interface Assignment {
  key: string;
  /** Offset of the value in the window. */
  index: number;
  value: string;
  quoted: boolean;
}

// key (optionally quoted) , separator , value (quoted or bare). Bounded, unambiguous: linear per start.
const KV =
  /(?<![A-Za-z0-9_.-])(["'`]?)([A-Za-z_][A-Za-z0-9_.-]{0,80})\1\s{0,5}(:=|=>|\?=|=|:|,)[ \t]{0,5}(?:(["'`])([^"'`\n]{0,1024})\4|([^\s"'`,;)\]}>]{1,1024}))/g;

/**
 * The key-name and high-entropy detectors both read the assignments of the same line: the last line's result is kept,
 * so the assignment regex runs once per line, not once per detector. Callers must not modify the returned array.
 */
let lastWindow: string | undefined;
let lastAssignments: readonly Assignment[] = [];

export function assignments(window: string): readonly Assignment[] {
  if (window === lastWindow) return lastAssignments;
  lastAssignments = parseAssignments(window);
  lastWindow = window;
  return lastAssignments;
}

function parseAssignments(window: string): Assignment[] {
  const out: Assignment[] = [];
  KV.lastIndex = 0;
  for (let m = KV.exec(window); m !== null; m = KV.exec(window)) {
    const key = m[2] ?? '';
    const sep = m[3];
    const quoted = m[5] !== undefined;
    const value = (quoted ? m[5] : m[6]) ?? '';
    // `("key", "value")` counts only with both sides quoted.
    if (sep === ',' && (!m[1] || !quoted)) {
      KV.lastIndex = m.index + 1 + (m[1]?.length ?? 0);
      continue;
    }
    const index = m.index + m[0].length - value.length - (quoted ? 1 : 0);
    // a literal \n inside a JSON string ends an embedded `KEY=value` line
    out.push({ key, index, value: value.split(/\\[nrt]/)[0] ?? '', quoted });
    // rescan from the value: `"config.ini": "TOKEN=abc…"` holds an assignment inside a value
    KV.lastIndex = index;
  }
  return out;
}

/** `clientSecret` → ['client', 'secret']; `AUTH_CLIENTSECRET` → ['auth', 'clientsecret']; digits at word ends dropped. */
export function keyWords(key: string): string[] {
  let words = KEY_WORDS.get(key);
  if (words === undefined) {
    if (KEY_WORDS.size > 4096) KEY_WORDS.clear();
    words = splitKey(key);
    KEY_WORDS.set(key, words);
  }
  return words;
}

/** Key names repeat across lines and files: memoised, bounded. */
const KEY_WORDS = new Map<string, string[]>();

function splitKey(key: string): string[] {
  return key
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .replace(/([A-Z]+)([A-Z][a-z])/g, '$1 $2')
    .toLowerCase()
    .split(/[^a-z0-9]+/)
    .map((w) => w.replace(/\d+$/, ''))
    .filter(Boolean);
}

const SECRET_LAST = new Set([
  'token', 'secret', 'password', 'passwd', 'pwd', 'passphrase', 'pass', 'apikey', 'credentials', 'credential', 'creds',
  'auth', 'authorization', 'clientsecret', 'secretkey', 'accesskey', 'privatekey', 'accesstoken', 'authtoken',
  'refreshtoken', 'bearertoken', 'sessiontoken', 'apitoken', 'apisecret', 'secretaccesskey', 'srt',
]);
const KEY_QUALIFIERS = new Set([
  'api', 'access', 'secret', 'private', 'client', 'auth', 'master', 'signing', 'encryption', 'account', 'service',
  'license', 'admin', 'root', 'ssh', 'deploy', 'consumer', 'webhook', 'subscription', 'app', 'openai', 'anthropic',
]);
/** Words that make a name non-secret wherever they appear (public keys, CSRF tokens are published by design). */
const NOT_SECRET = new Set(['public', 'pub', 'publishable', 'csrf', 'xsrf', 'authenticity', 'recaptcha', 'site']);

/** Does this key name say it holds a secret? `max_tokens`, `token_count`, `credential_source_class` do not. */
export function isSecretKey(key: string): boolean {
  const words = keyWords(key);
  const last = words[words.length - 1];
  if (last === undefined || words.some((w) => NOT_SECRET.has(w))) return false;
  if (SECRET_LAST.has(last)) return true;
  if (last === 'key') {
    const prev = words[words.length - 2];
    return prev !== undefined && KEY_QUALIFIERS.has(prev);
  }
  return false;
}

/** Names whose long values are by design not secrets: hashes, ids, versions, signatures, locations. */
const NOT_SECRET_VALUE = new Set([
  ...NOT_SECRET, 'id', 'ids', 'uuid', 'guid', 'hash', 'sha', 'md5', 'checksum', 'chksum', 'digest', 'integrity',
  'signature', 'sig', 'version', 'rev', 'srcrev', 'revision', 'commit', 'etag', 'url', 'uri', 'path', 'file', 'dir',
  'name', 'class', 'value', 'content', 'href', 'src', 'nonce', 'salt', 'fingerprint', 'thumbprint', 'etag', 'link',
  'module', 'package', 'image', 'ref', 'branch', 'sri', 'cursor', 'example',
]);
export function isNonSecretName(key: string): boolean {
  return keyWords(key).some((w) => NOT_SECRET_VALUE.has(w));
}
