import { classes, readable } from '../entropy.js';
import { redact } from '../redact.js';
import { isPlaceholder } from '../util.js';
import type { Detector, Match } from '../types.js';

const URL_CREDS = /(?<![A-Za-z0-9+.-])[A-Za-z][A-Za-z0-9+.-]{1,20}:\/\/([^\s:/@'"`<>]{0,128}):([^\s/'"`<>]{1,256}|[^\s/@'"`<>]{1,128}(?:\/[^\s/@'"`<>]{1,128}){1,4})@[A-Za-z0-9[_-]/g;
// The same URL percent-encoded in a query parameter: `?next=https%3A%2F%2Fdeploy%3As3cr3t%40git.corp.io`.
const URL_CREDS_ENCODED =
  /(?<![A-Za-z0-9+.-])[A-Za-z][A-Za-z0-9+.-]{1,20}%3[Aa]%2[Ff]%2[Ff]((?:[^\s%:/@&?#'"`<>]|%(?!3[Aa]|40)[0-9A-Fa-f]{2}){0,128})%3[Aa]((?:[^\s%/@&?#'"`<>]|%(?!40|2[Ff])[0-9A-Fa-f]{2}){1,256})%40[A-Za-z0-9_-]/g;
const WORDS = new Set(['pass', 'passwd', 'pwd', 'secret', 'token', 'user', 'username', 'test', 'admin', 'root', 'guest', 'demo', 'none']);

/** A password that is a real value: not a placeholder, not the user name repeated, not a word like `password`. */
export function realPassword(user: string, pass: string): boolean {
  if (pass.length < 6 || pass === user || isPlaceholder(pass) || /[$%{<[]/.test(user)) return false;
  const lower = pass.toLowerCase();
  if (lower.includes('password') || WORDS.has(lower) || /^[[{].*[\]}]$/.test(pass)) return false;
  // ends in a variable reference (`pre$DB_PASS`, `%DB_PASS%`); a `$` inside a random value (`Xk9$mQ2vL7pR`) is just a character
  if (/\$\{?[A-Z_][A-Z0-9_]*\}?$|%[A-Za-z_]\w*%$/.test(pass)) return false;
  return classes(pass).count >= 2 || /[^A-Za-z0-9]/.test(pass);
}

/** A "password" with `/` in it is usually a port and path (`http://host:8080/a/b@c`): only a random-looking one counts. */
function slashPassword(pass: string): boolean {
  const parts = pass.split('/');
  return !/^\d*$/.test(parts[0]!) && parts.every(Boolean) && classes(pass).count >= 2 && !readable(pass);
}

const decode = (s: string): string => {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
};

export const urlCredentials: Detector = {
  id: 'secret/url-credentials',
  title: 'Credentials in URL',
  summary: 'scheme://user:password@host URLs (https, ftp, database connection strings) with a real password.',
  docs:
    'Matches `scheme://user:password@host` in any scheme (https, ftps, mongodb+srv, postgres, mysql, jdbc:mysql, redis, amqp…), also ' +
    'percent-encoded in a query parameter (`?next=https%3A%2F%2Fuser%3Apass%40host`). A password may hold `$` or `/` (`Xk9$mQ2vL7pR`, `Ab3/xY9+kL2q`). ' +
    'Quiet for `user@host` (no password), `user:${PASS}@`, `user:$DB_PASSWORD@` (a variable), `user:****@`, `{{user}}:{{pass}}`, `username:password`, `YOUR_PASSWORD`, ' +
    'a password equal to the user name, short or repeated-character passwords, and a port and path (`http://host:8080/a/b@c`).',
  keywords: ['://', '%3a%2f%2f'],
  priority: 1,
  find(window) {
    const out: Match[] = [];
    for (const [re, encoded] of [[URL_CREDS, false], [URL_CREDS_ENCODED, true]] as const) {
      re.lastIndex = 0;
      for (let m = re.exec(window); m !== null; m = re.exec(window)) {
        const pass = m[2] ?? '';
        const [u, p] = encoded ? [decode(m[1] ?? ''), decode(pass)] : [m[1] ?? '', pass];
        if (!realPassword(u, p) || (p.includes('/') && !slashPassword(p))) {
          re.lastIndex = m.index + 1; // a URL inside the rejected span (`http://proxy:3128/https://u:p@h`) is still seen
          continue;
        }
        const index = m.index + m[0].length - (encoded ? 4 : 2) - pass.length;
        out.push({ index, value: pass, message: `password ${redact(pass)} embedded in a URL (secret value must not appear in SOT or artifacts)` });
      }
    }
    return out;
  },
  examples: {
    tp: [
      'DATABASE_URL=postgres://app:Xk9#mQ2vL7pR@db.internal.example.net:5432/prod',
      'mongodb+srv://svc:hub24aoeu7Q@cluster0.mongodb.net/test',
      'git remote add origin https://deploy:T0k3nV4lu3!z@git.corp.io/r.git',
      'DATABASE_URL=postgres://app:Xk9$mQ2vL7pR@db.corp.io:5432/prod',
      'postgres://app:Ab3/xY9+kL2q@db.corp.io:5432/x',
      'GET /login?next=https%3A%2F%2Fdeploy%3As3cr3tP4ss%40git.corp.io%2Fr.git',
    ],
    fp: [
      'https://user@github.com/o/r',
      'https://${USER}:${PASS}@api.example.com',
      'redis://default:****@cache:6379',
      'https://username:password@example.com',
      'mysql://mysql:mysql@localhost:3306/db',
      'https://{{user}}:{{pass}}@host',
      'https://url:8000/ @something else',
      'DATABASE_URL=postgres://app:$DB_PASSWORD@db:5432/prod',
      'http://host:8080/path/x@y',
      'https://example.com/a:b@c',
    ],
  },
};
