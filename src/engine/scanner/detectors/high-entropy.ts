import { classes, looksRandom, readable, shannon } from '../entropy.js';
import { assignments, isNonSecretName, isSecretKey, QUOTE } from '../keys.js';
import { redact } from '../redact.js';
import { isPlaceholder } from '../util.js';
import type { Detector, Match } from '../types.js';

const HEX = /^(?:0x)?[0-9a-fA-F]+$/;
const UUID = /^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$/;
/** Words joined by separators (kebab/snake/dotted names, versions, domains): readable, not random. */
const WORDY = /^[A-Za-z0-9]{1,14}(?:[-_.:+][A-Za-z0-9]{1,14})+$/;

/** Crockford base32 ULID whose timestamp lies in 2010–2100 (`01HZX3K8Q2N7V5W9R4T6Y1M0PB`): a sortable id, not a key. */
const ULID = /^0[1-3][0-9A-HJKMNP-TV-Z]{24}$/i;
/** IPFS content ids: CIDv0 (`Qm` + 44 base58) and CIDv1 in base32 (`bafy…`). */
const CID = /^(?:Qm[1-9A-HJ-NP-Za-km-z]{44}|baf[a-z2-7]{50,70})$/;
/** A go.sum / go.mod hash: `h1:` + base64 of a SHA-256. */
const GO_SUM_HASH = /^[A-Za-z0-9+/]{43}=$/;

/**
 * Is this base64 (standard or URL-safe, padded or not) of readable text (`VGhlIHF1aWNr…` = "The quick…") or of a JSON
 * document with no random-looking string and no secret-named key in it (`eyJuYW1lIjogImV4YW1wbGUi…`)? Then it is encoded
 * data, not a key. Random bytes decode to printable text almost never; a token that encodes JSON holding a key
 * (`eyJrIjoiODNsN3JnWFJQaDE1MjFtZTFNIn0`, Grafana-style) still counts.
 */
function base64OfText(v: string): boolean {
  if (!/^[A-Za-z0-9+/_-]+={0,2}$/.test(v) || v.replace(/=+$/, '').length % 4 === 1) return false;
  const text = Buffer.from(v, 'base64').toString('latin1');
  if (!/^[\x20-\x7e\t\r\n]+$/.test(text)) return false;
  if (/^\s*[[{]/.test(text)) {
    const keys = [...text.matchAll(/"([^"\\]{1,80})"\s*:/g)].map((k) => k[1]!);
    return !keys.some(isSecretKey) && !(text.match(/[A-Za-z0-9_+/-]{16,}/g) ?? []).some((w) => looksRandom(w, 16));
  }
  const letters = (text.match(/[A-Za-z ]/g) ?? []).length;
  return text.includes(' ') && letters / text.length >= 0.85;
}

export function highEntropy(v: string): boolean {
  if (v.length < 20 || v.length > 1024 || !/^[A-Za-z0-9+/=_~.-]+$/.test(v)) return false;
  if (HEX.test(v) || UUID.test(v) || ULID.test(v) || CID.test(v) || isPlaceholder(v) || v.startsWith('/') || base64OfText(v)) return false;
  if ((WORDY.test(v) && !/[A-Za-z0-9]{16}/.test(v)) || readable(v)) return false;
  const c = classes(v);
  if (c.count < 2 || (c.count === 2 && !c.digit)) return false;
  return shannon(v) >= (c.count === 3 ? 4.0 : 4.3);
}

export const highEntropyDetector: Detector = {
  id: 'secret/high-entropy',
  title: 'High-entropy value',
  summary: 'Long random-looking strings assigned to a key (key = value, key: value, "key": "value", export X=…).',
  docs:
    'Flags values of 20+ characters in an assignment whose Shannon entropy is high (≥ 4.0 bits/char with upper case, lower case and digits; ≥ 4.3 otherwise). ' +
    'It does not flag hex strings (SHA-1/SHA-256 hashes, git commit ids), UUIDs, ULIDs, IPFS content ids (`Qm…`, `bafy…`), go.sum `h1:` hashes, ' +
    'base64 or base64url (padded or not) of plain text or of a JSON document without a random-looking value or a secret-named key, paths, kebab-case or dotted names ' +
    '(`pi-models-json-local-provider-no-secret-plus-codex-oauth-fallback`), nor keys that name a hash, id, version, signature, URL or public key.',
  keywords: [],
  // a long token right after an assignment separator, also URL-encoded (`%3A`), after a quote that may be escaped
  // (`\"`) or encoded (`%22`): the KV parse then confirms the context
  trigger: new RegExp(String.raw`(?:[=:,]|%3[AaDd])[ \t]{0,5}${QUOTE}?[A-Za-z0-9+/=_~.-]{20}`, 'g'),
  priority: 3,
  find(window) {
    const out: Match[] = [];
    for (const a of assignments(window)) {
      if (isSecretKey(a.key) || isNonSecretName(a.key)) continue;
      const v = a.value.trim();
      if (!highEntropy(v) || (a.key === 'h1' && GO_SUM_HASH.test(v))) continue;
      out.push({ index: a.index, value: v, message: `high-entropy value ${redact(v)} assigned to "${a.key}" (secret value must not appear in SOT or artifacts)` });
    }
    return out;
  },
  examples: {
    tp: ['loki_key: eXJvIjoiNzQ0NTg3IiwibiI6InN0YWNrLTQ3NTgzMCIsImsiOiI4M2w3cmdYUlBoMTUyMW1lMU0', 'export SPARK_SESSION=Qm9Xr7Tz2Lp4Wv8Ny1Kc6Hj3Gf5Db0Sa', 'setting = "uV3kP9qL2wX7zR5tY1mN8bC4"', '{"arguments":"{\\"blob\\":\\"Zx9kQ2vLm8RtY4wP7nB3sD6fH1jK5gT0\\"}"}', 'data=%7B%22blob%22%3A%22Zx9kQ2vLm8RtY4wP7nB3sD6fH1jK5gT0%22%7D'],
    fp: [
      'SRCREV_moby = "43fc912ef59a83054ea7f6706df4d53a7dea4d80"',
      'request = 3b241101-e2bb-4255-8caf-4136c566a962',
      'ANY_KEY = ZHVtbXkgdGV4dCBkYXRhIGRhdGEgZGF0YQ==',
      'allowed_network_class: local-tailscale-vllm-spark1-plus-codex-oauth-fallback',
      'commit = 5db23c7a9e1f0b2c4d6e8f0a1b2c3d4e5f6a7b8c',
      'artifact: /home/svrnty/.hermes/profiles/cto-planb/harness-runs/20260531T235421Z-r1-string-slugify-1875638',
      'payload: VGhlIHF1aWNrIGJyb3duIGZveCBqdW1wcyBvdmVyIHRoZSBsYXp5IGRvZy4',
      'payload: eyJuYW1lIjogImV4YW1wbGUiLCAiZW5hYmxlZCI6IHRydWUsICJjb3VudCI6IDEyfQ',
      'github.com/foo/bar v1.2.3 h1:0GF6fsFw64z4unW99mKupwHYKnByPpX9IwesNDD6qeE=',
      'run: 01HZX3K8Q2N7V5W9R4T6Y1M0PB',
      'cid: QmYwAPJzv5CZsnA625s3Xf2nemtYgPpHdWEz79ojWnPbdG',
    ],
  },
};
