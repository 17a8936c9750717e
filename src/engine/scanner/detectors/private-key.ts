import { distinct } from '../entropy.js';
import type { Detector, Match } from '../types.js';

// A space may be URL-encoded (`%20`, or `+` in a form body): `-----BEGIN%20PRIVATE%20KEY-----`.
const BEGIN = /-----BEGIN(?:[ A-Z0-9]|%20|\+){0,30}PRIVATE(?: |%20|\+)KEY(?:(?: |%20|\+)BLOCK)?-----/g;
const MAX_BODY = 32 * 1024;

// The pieces of a key body, each tried at one position (sticky) and bounded: base64; a URL-encoded or JSON-escaped `+`, `/`
// or `=`; what may stand between its lines (a line break as such, JSON-escaped once or twice, URL-encoded; spaces, quotes,
// commas); an armor header line (`Proc-Type: 4,ENCRYPTED`, `Version: GnuPG v2`) at the start of a line.
const RUN = /[A-Za-z0-9+/=]{1,4096}/y;
const ENCODED = /%(?:2[BbFf]|3[Dd])|\\{1,3}\//y;
const BREAK = /(?:\\{1,4}[nrt]|%0[AaDd9]|%20|[\s"',]){1,256}/y;
const NEWLINE = /[\n\r]|\\[nr]|%0[AaDd]/;
const HEADER = /[A-Za-z][A-Za-z-]{1,39}:[^\n\\%]{0,256}/y;

/**
 * The base64 body that follows a BEGIN line (`after` holds at most MAX_BODY characters): pieces joined, separators and armor
 * headers dropped, `%2B` `%2F` `%3D` and `\/` decoded. It ends at the first other character: `-----END`, the next BEGIN,
 * prose. Linear: every step consumes input, and a body never reads past the next `-----BEGIN`.
 */
function body(after: string): string {
  let out = '';
  let i = 0;
  let lineStart = false;
  const at = (re: RegExp): string | undefined => {
    re.lastIndex = i;
    const m = re.exec(after);
    if (m) i = re.lastIndex;
    return m?.[0];
  };
  while (i < after.length) {
    let s: string | undefined;
    if (lineStart && at(HEADER) !== undefined) {
      // an armor header line: dropped
    } else if ((s = at(RUN)) !== undefined) out += s;
    else if ((s = at(ENCODED)) !== undefined) out += s.endsWith('/') ? '/' : decodeURIComponent(s);
    else if ((s = at(BREAK)) !== undefined) {
      lineStart = NEWLINE.test(s);
      continue;
    } else break;
    lineStart = false;
  }
  return out;
}

export const privateKey: Detector = {
  id: 'secret/private-key',
  title: 'Private key block',
  summary: 'PEM, OpenSSH, PGP and other private key blocks, including ones escaped inside JSON strings or URL-encoded.',
  docs:
    'Matches `-----BEGIN … PRIVATE KEY-----` (RSA, EC, DSA, OPENSSH, ENCRYPTED, PGP `PRIVATE KEY BLOCK`) followed by at least 50 characters of base64 ' +
    'key material, across lines, through `\\n` escapes in JSON (also JSON inside a JSON string, `\\\\n`) or URL-encoded ' +
    '(`-----BEGIN%20PRIVATE%20KEY-----%0A…`), anywhere in a line however long. The finding points at the BEGIN line; its value (and fingerprint) ' +
    'is the key material, the same in every encoding. Blocks whose body is `...`, `xxx`, `***` or empty stay quiet; ' +
    'public keys and certificates are never flagged.',
  keywords: ['private key', 'private%20key', 'private+key'],
  // The window runs from the start of the candidate line to the end of the text (a slice, not a copy): a BEGIN anywhere on
  // that line is found, however long the line, and each body is read from its BEGIN, at most MAX_BODY characters.
  windowAfter: Infinity,
  find(window) {
    const out: Match[] = [];
    const nl = window.indexOf('\n');
    const line = nl < 0 ? window : window.slice(0, nl);
    BEGIN.lastIndex = 0;
    for (let m = BEGIN.exec(line); m !== null; m = BEGIN.exec(line)) {
      const from = m.index + m[0].length;
      const b = body(window.slice(from, from + MAX_BODY));
      if (b.length < 50 || distinct(b) < 20 || /x{6,}|X{6,}/.test(b)) continue;
      out.push({ index: m.index, value: b });
    }
    return out;
  },
  examples: {
    tp: [
      '-----BEGIN RSA PRIVATE KEY-----\nMIIEpAIBAAKCAQEAq7Zr2Xt9Lm4Np6Kb1Vc3Yh8Jd5Fg0Sa2Ex4Qu7Wz1Lk3Mj5Nh7Bg9Vf2Cd4\nXs6Za8Qw0Er2Ty4Ui6Op8As0Df2Gh4Jk6Lz8Xc0Vb2Nm4Qa6Ws8Ed0Rf2Tg4Yh6Uj8Ik0Ol2\n-----END RSA PRIVATE KEY-----',
      '{"private_key": "-----BEGIN PRIVATE KEY-----\\nMIIEvQIBADANBgkqhkiG9w0BAQEFAASCBKcwggSjAgEAAoIBAQDq7Zr2Xt9Lm4Np6Kb1\\n-----END PRIVATE KEY-----\\n"}',
      '-----BEGIN OPENSSH PRIVATE KEY-----\nb3BlbnNzaC1rZXktdjEAAAAABG5vbmUAAAAEbm9uZQAAAAAAAAABAAAAMwAAAAtzc2gtZW\nQyNTUxOQAAACAxSChbEXO6DKOLpzlLEaypbXSwfRqlS8UnaSHWR8HaIgAAAKDFNoOuxTaD\n-----END OPENSSH PRIVATE KEY-----',
      '{"tool":"read","output":"{\\"private_key\\":\\"-----BEGIN PRIVATE KEY-----\\\\nMIIEvQIBADANBgkqhkiG9w0BAQEFAASCBKcwggSjAgEAAoIBAQDq7Zr2Xt9Lm4Np6Kb1\\\\n-----END PRIVATE KEY-----\\\\n\\"}"}',
      'key=-----BEGIN%20PRIVATE%20KEY-----%0AMIIEvQIBADANBgkqhkiG9w0BAQEFAASCBKcwggSjAgEAAoIBAQDq7Zr2Xt9Lm4Np6Kb1%2B%2F%0A-----END%20PRIVATE%20KEY-----',
    ],
    fp: [
      '-----BEGIN PRIVATE KEY-----\n...\n-----END PRIVATE KEY-----',
      '-----BEGIN OPENSSH PRIVATE KEY----------END OPENSSH PRIVATE KEY-----',
      '-----BEGIN PUBLIC KEY-----\nMIIBIjANBgkqhkiG9w0BAQEFAAOCAQ8AMIIBCgKCAQEAq7Zr2Xt9Lm4Np6Kb1Vc3Yh8Jd5Fg0Sa2\n-----END PUBLIC KEY-----',
      'the private key must never be committed',
      'key=-----BEGIN%20PRIVATE%20KEY-----%0A...%0A-----END%20PRIVATE%20KEY-----',
    ],
  },
};
