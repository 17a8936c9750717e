import { distinct } from '../entropy.js';
import type { Detector, Match } from '../types.js';

const BEGIN = /-----BEGIN[ A-Z0-9]{0,30}PRIVATE KEY(?: BLOCK)?-----/g;
const MAX_BODY = 32 * 1024;

/** The base64 body after a BEGIN line: JSON `\n` escapes and armor headers removed. */
function body(after: string): string {
  const end = after.indexOf('-----END');
  const raw = (end >= 0 ? after.slice(0, end) : after).replace(/\\[nr]/g, '\n');
  const lines = raw.split('\n').filter((l) => !/^[A-Za-z-]{2,40}:/.test(l.trim()));
  const run = /^[A-Za-z0-9+/=]*/.exec(lines.join('').replace(/[\s"',]+/g, ''));
  return run ? run[0] : '';
}

export const privateKey: Detector = {
  id: 'secret/private-key',
  title: 'Private key block',
  summary: 'PEM, OpenSSH, PGP and other private key blocks, including ones escaped inside JSON strings.',
  docs:
    'Matches `-----BEGIN … PRIVATE KEY-----` (RSA, EC, DSA, OPENSSH, ENCRYPTED, PGP `PRIVATE KEY BLOCK`) followed by at least 50 characters of base64 ' +
    'key material, across lines or through `\\n` escapes in JSON. The finding points at the BEGIN line. Blocks whose body is `...`, `xxx`, `***` or empty stay quiet; ' +
    'public keys and certificates are never flagged.',
  keywords: ['private key'],
  windowAfter: MAX_BODY,
  find(window) {
    const out: Match[] = [];
    BEGIN.lastIndex = 0;
    for (let m = BEGIN.exec(window); m !== null; m = BEGIN.exec(window)) {
      const b = body(window.slice(m.index + m[0].length, m.index + m[0].length + MAX_BODY));
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
    ],
    fp: [
      '-----BEGIN PRIVATE KEY-----\n...\n-----END PRIVATE KEY-----',
      '-----BEGIN OPENSSH PRIVATE KEY----------END OPENSSH PRIVATE KEY-----',
      '-----BEGIN PUBLIC KEY-----\nMIIBIjANBgkqhkiG9w0BAQEFAAOCAQ8AMIIBCgKCAQEAq7Zr2Xt9Lm4Np6Kb1Vc3Yh8Jd5Fg0Sa2\n-----END PUBLIC KEY-----',
      'the private key must never be committed',
    ],
  },
};
