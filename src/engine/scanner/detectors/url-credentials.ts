import { classes } from '../entropy.js';
import { redact } from '../redact.js';
import { isPlaceholder } from '../util.js';
import type { Detector, Match } from '../types.js';

const URL_CREDS = /(?<![A-Za-z0-9+.-])[A-Za-z][A-Za-z0-9+.-]{1,20}:\/\/([^\s:/@'"`<>]{0,128}):([^\s/'"`<>]{1,256})@[A-Za-z0-9[_-]/g;
const WORDS = new Set(['pass', 'passwd', 'pwd', 'secret', 'token', 'user', 'username', 'test', 'admin', 'root', 'guest', 'demo', 'none']);

/** A password that is a real value: not a placeholder, not the user name repeated, not a word like `password`. */
export function realPassword(user: string, pass: string): boolean {
  if (pass.length < 6 || pass === user || isPlaceholder(pass) || /[$%{<[]/.test(user)) return false;
  const lower = pass.toLowerCase();
  if (lower.includes('password') || WORDS.has(lower) || /^[[{].*[\]}]$/.test(pass) || /[$%]\{?[A-Za-z_]/.test(pass)) return false;
  return classes(pass).count >= 2 || /[^A-Za-z0-9]/.test(pass);
}

export const urlCredentials: Detector = {
  id: 'secret/url-credentials',
  title: 'Credentials in URL',
  summary: 'scheme://user:password@host URLs (https, ftp, database connection strings) with a real password.',
  docs:
    'Matches `scheme://user:password@host` in any scheme (https, ftps, mongodb+srv, postgres, mysql, jdbc:mysql, redis, amqp…). ' +
    'Quiet for `user@host` (no password), `user:${PASS}@`, `user:****@`, `{{user}}:{{pass}}`, `username:password`, `YOUR_PASSWORD`, ' +
    'a password equal to the user name, and short or repeated-character passwords.',
  keywords: ['://'],
  priority: 1,
  find(window) {
    const out: Match[] = [];
    URL_CREDS.lastIndex = 0;
    for (let m = URL_CREDS.exec(window); m !== null; m = URL_CREDS.exec(window)) {
      const user = m[1] ?? '';
      const pass = m[2] ?? '';
      if (!realPassword(user, pass)) continue;
      const index = m.index + m[0].length - 2 - pass.length;
      out.push({ index, value: pass, message: `password ${redact(pass)} embedded in a URL (secret value must not appear in SOT or artifacts)` });
    }
    return out;
  },
  examples: {
    tp: [
      'DATABASE_URL=postgres://app:Xk9#mQ2vL7pR@db.internal.example.net:5432/prod',
      'mongodb+srv://svc:hub24aoeu7Q@cluster0.mongodb.net/test',
      'git remote add origin https://deploy:T0k3nV4lu3!z@git.corp.io/r.git',
    ],
    fp: [
      'https://user@github.com/o/r',
      'https://${USER}:${PASS}@api.example.com',
      'redis://default:****@cache:6379',
      'https://username:password@example.com',
      'mysql://mysql:mysql@localhost:3306/db',
      'https://{{user}}:{{pass}}@host',
      'https://url:8000/ @something else',
    ],
  },
};
