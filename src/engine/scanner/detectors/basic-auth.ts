import { redact } from '../redact.js';
import type { Detector, Match } from '../types.js';
import { atTokenStart } from '../util.js';
import { realPassword } from './url-credentials.js';

// `-u user:pass`, `--user 'user:pass'`, `--user "user":"pass"` on a curl (or similar) command line.
const FLAG = atTokenStart(/(?:-u|--user)[ \t]{1,5}(\S{1,300})/g);

export const basicAuth: Detector = {
  id: 'secret/basic-auth',
  title: 'Basic-auth credentials on a command line',
  summary: 'user:password given to curl -u / --user (and other tools taking the same flag).',
  docs:
    'Matches `-u user:password` and `--user user:password` arguments, quoted or not. Quiet when the password is a variable or template ' +
    '(`$PASS`, `${{ secrets.X }}`, `{{ .Values.password }}`, `$(cat file)`), a placeholder (`[PASSWORD]`, `<user:password>`, `xxx`), ' +
    'equal to the user name (`test:test`), or missing (`-u user`, the tool then prompts).',
  keywords: ['-u ', '-u\t', '--user'],
  priority: 1,
  find(window) {
    const out: Match[] = [];
    FLAG.lastIndex = 0;
    for (let m = FLAG.exec(window); m !== null; m = FLAG.exec(window)) {
      const arg = (m[1] ?? '').replace(/["']/g, '');
      const colon = arg.indexOf(':');
      if (colon < 0) continue;
      const strip = (s: string) => s.replace(/^\{(.*)\}$/, '$1');
      const user = strip(arg.slice(0, colon));
      const pass = strip(arg.slice(colon + 1));
      if (!realPassword(user, pass)) continue;
      const raw = m[1] ?? '';
      const index = m.index + m[0].length - raw.length + Math.max(0, raw.indexOf(pass.slice(0, 4), raw.indexOf(':')));
      out.push({ index, value: pass, message: `password ${redact(pass)} passed on a command line (secret value must not appear in SOT or artifacts)` });
    }
    return out;
  },
  examples: {
    tp: ['curl -u elastic:Pq7@ssw0rd!9 https://localhost:9200', "curl --user 'johns:h0pk1ns~21s' $URL", 'curl -s --user api:d2LkV78zLx!t https://api.mailgun.net/v3'],
    fp: ['curl -u "$USER:$PASS" https://x', 'curl --user neo4j:[PASSWORD] http://[IP]:7474/', "curl -i -u 'test:test'", 'curl -u "${{ env.ID }}:${{ env.PASS }}"', 'nc -u -l 41234', 'curl -u myusername http://localhost'],
  },
};
