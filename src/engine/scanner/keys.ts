/**
 * Key/value assignments (`key = value`, `key: value`, `"key": "value"`, `export KEY=…`, `("key", "value")`,
 * `env["KEY"] = "value"`, and the same inside escaped or URL-encoded JSON) and CLI flags (`--password=value`,
 * `--api-key value`), and the classification of key names, shared by the key-name and high-entropy detectors.
 */
import { edgeFor, leftEdge } from './util.js';

export interface Assignment {
  key: string;
  /** Offset of the value in the window. */
  index: number;
  value: string;
  quoted: boolean;
}

/**
 * A quote around a key or a value: plain, backslash-escaped (JSON inside a JSON string: `\"`, `\\\"`) or URL-encoded
 * (`%22`, `%27`). A regex source, no capture group.
 */
export const QUOTE = String.raw`(?:\\{0,7}["'\`]|%2[27])`;
/** An assignment separator: `:=`, `=>`, `?=`, `=`, `:`, or URL-encoded `%3A` / `%3D`. A regex source, no capture group. */
export const SEPARATOR = String.raw`(?::=|=>|\?=|=|:|%3[AaDd])`;
/** The characters of a quoted value (up to the closing quote, found lazily) and of a bare value. */
const QUOTED_VALUE = String.raw`[^"'\`\n]{0,1024}?`;
const BARE_VALUE = String.raw`[^\s"'\`,;)\]}>]{1,1024}`;

// key (optionally quoted, optionally subscripted: `["key"]`), separator, value (quoted or bare). Bounded, unambiguous:
// linear per start. The key may follow an escape (`\nKEY=`) but not a backslash itself (the `n` of `\n` starts no key).
const KV = new RegExp(
  `${leftEdge('A-Za-z0-9_.\\\\-')}(${QUOTE}?)([A-Za-z_][A-Za-z0-9_.-]{0,80})\\1(?:(?<=["'\`])\\])?\\s{0,5}(${SEPARATOR}|,)[ \\t]{0,5}` +
    `(?:(${QUOTE})(${QUOTED_VALUE})\\4|(${BARE_VALUE}))`,
  'g',
);
// `--password=value`, `--api-key value`, `--token "value"` (a value never starts with `-`: that is the next flag).
const FLAG = new RegExp(
  `${leftEdge()}--([A-Za-z][A-Za-z0-9_.-]{0,80})(?:=|[ \\t]{1,5})(?:(${QUOTE})(${QUOTED_VALUE})\\2|(?!-)(${BARE_VALUE}))`,
  'g',
);

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

/** The end of a value: a literal `\n` (an embedded `KEY=value` line ends there), and in URL-encoded text `&`, `,`, `}`. */
function valueEnd(value: string, encoded: boolean): string {
  const v = value.split(/\\[nrt]/)[0] ?? '';
  return encoded ? (v.split(/%(?:2[267Cc]|7[Dd]|5[Dd])/)[0] ?? '') : v;
}

function parseAssignments(window: string): Assignment[] {
  const out: Assignment[] = [];
  const kv = edgeFor(KV, window);
  kv.lastIndex = 0;
  for (let m = kv.exec(window); m !== null; m = kv.exec(window)) {
    const keyQuote = m[1] ?? '';
    const key = m[2] ?? '';
    const sep = m[3] ?? '';
    const quoted = m[5] !== undefined;
    const value = (quoted ? m[5] : m[6]) ?? '';
    // `("key", "value")` counts only with both sides quoted.
    if (sep === ',' && (!keyQuote || !quoted)) {
      kv.lastIndex = m.index + 1 + keyQuote.length;
      continue;
    }
    const index = m.index + m[0].length - value.length - (quoted ? (m[4] ?? '').length : 0);
    out.push({ key, index, value: valueEnd(value, sep.startsWith('%') || keyQuote.startsWith('%')), quoted });
    // rescan from the value: `"config.ini": "TOKEN=abc…"` holds an assignment inside a value
    kv.lastIndex = index;
  }
  return out;
}

/** CLI flags with a value (`--password=…`, `--api-key …`): only the key-name detector reads them (a flag says what its value is). */
export function flagAssignments(window: string): Assignment[] {
  const out: Assignment[] = [];
  if (!window.includes('--')) return out;
  FLAG.lastIndex = 0;
  for (let m = FLAG.exec(window); m !== null; m = FLAG.exec(window)) {
    const quoted = m[3] !== undefined;
    const value = (quoted ? m[3] : m[4]) ?? '';
    const index = m.index + m[0].length - value.length - (quoted ? (m[2] ?? '').length : 0);
    out.push({ key: m[1] ?? '', index, value: valueEnd(value, false), quoted });
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
