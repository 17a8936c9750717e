import path from 'node:path';
import { globMatch } from '../../glob.js';
import { redact } from '../redact.js';
import type { Detector, Match, ScanOptions } from '../types.js';

const REASON = '(Target Repository paths must not appear)';
const TOKEN = /[^\s"'`()<>[\]{},;|=]{2,2048}/g;
const GLOB = /[*?[{]/;

function literalPrefix(pattern: string): string {
  const i = pattern.search(GLOB);
  return i < 0 ? pattern : pattern.slice(0, i);
}

/**
 * The path a token names, written any way a shell, a JSON string or Windows would read it: escaped slashes (`\\/`) and
 * backslashes are separators, `//` is one, `.` segments go and `..` segments are resolved (`/srv/x/../targets/a` is
 * `/srv/targets/a`). A relative path stays relative.
 */
export function normalisePath(token: string): string {
  if (!/[\\]|\/\/|(?:^|\/)\.{1,2}(?:\/|$)/.test(token)) return token;
  const slashes = token.replace(/\\+\/|\\+/g, '/');
  const n = path.posix.normalize(slashes);
  return n.length > 1 ? n.replace(/\/+$/, '') : n;
}

/** The segment of a pattern's literal prefix every path that matches it must spell (normalising only drops segments). */
function keywordOf(pattern: string): string {
  const segments = literalPrefix(pattern).split(/[\\/]+/).filter((s) => s.length >= 2 && s !== '..');
  const longest = segments.reduce((a, b) => (b.length > a.length ? b : a), '');
  return longest ? longest.toLowerCase() : '/';
}

/** Does a path-like token match a pattern (glob, or plain prefix)? */
export function matchesTarget(token: string, pattern: string): boolean {
  if (!GLOB.test(pattern)) {
    const p = pattern.replace(/\/+$/, '');
    return token === p || token.startsWith(p + '/');
  }
  return globMatch(token, pattern) || globMatch(token, pattern.replace(/\/+$/, '') + '/**');
}

export const targetPath: Detector = {
  id: 'path/target-repository',
  title: 'Target Repository path',
  summary: 'Paths that match the configured secrets.target-repository-patterns (minimatch globs or plain prefixes); quiet unless configured.',
  docs:
    'Flags any path-like token that matches one of `secrets.target-repository-patterns` in `.github/sot-gate.yml` (minimatch globs such as ' +
    '`/srv/targets/**`, or plain prefixes such as `/home/ci/target-repo`). Paths inside `file://` URLs and after `key=` are checked too. ' +
    'A path is normalised before it is matched: escaped slashes (`\\/` in JSON), backslashes, doubled slashes, `.` and `..` segments ' +
    '(`/srv//targets/./acme`, `/srv/other/../targets/acme`, `\\/srv\\/targets\\/acme`, `\\srv\\targets\\acme` all name `/srv/targets/acme`). ' +
    'With no patterns configured (the default) the rule is silent.',
  keywords: [],
  dynamicKeywords: (opts) => opts.targetRepositoryPatterns.map(keywordOf),
  reason: REASON,
  find(window, opts: ScanOptions) {
    const out: Match[] = [];
    if (opts.targetRepositoryPatterns.length === 0) return out;
    TOKEN.lastIndex = 0;
    for (let m = TOKEN.exec(window); m !== null; m = TOKEN.exec(window)) {
      let token = m[0].replace(/[.:,;!?]+$/, '');
      let offset = 0;
      if (!/[\\/]/.test(token)) continue;
      const file = /^(?:file:\/\/|[A-Za-z_][\w-]*:)(?=\/)/.exec(token);
      if (file) {
        offset = file[0].length;
        token = token.slice(offset);
      }
      const plain = normalisePath(token);
      if (!opts.targetRepositoryPatterns.some((p) => matchesTarget(plain, p))) continue;
      out.push({ index: m.index + offset, value: token, message: `Target Repository path ${redact(token)} ${REASON}` });
    }
    return out;
  },
  exampleOptions: { targetRepositoryPatterns: ['/srv/targets/**', 'work/target-repo'] },
  examples: {
    // Examples run with targetRepositoryPatterns ['/srv/targets/**', 'work/target-repo'] (see test/scanner/detectors.test.ts).
    tp: [
      'cd /srv/targets/acme-api && git log',
      'copied from file:///srv/targets/acme-api/src/main.ts',
      'see work/target-repo/README.md',
      'cd /srv//targets/acme-api',
      'cd /srv/./targets/acme-api',
      'cd /srv/other/../targets/acme-api',
      '{"cwd":"\\/srv\\/targets\\/acme-api"}',
      'cd \\srv\\targets\\acme-api',
      'see ./work/./target-repo/README.md',
    ],
    fp: [
      '/home/svrnty/.hermes/config.yaml',
      'No Target Repository path may be inspected or copied.',
      '/srv/other/acme',
      'cd /srv/targets/../other/acme',
      '{"cwd":"\\/srv\\/other\\/targets"}',
    ],
  },
};
