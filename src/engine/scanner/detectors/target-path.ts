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
    'With no patterns configured (the default) the rule is silent.',
  keywords: [],
  dynamicKeywords: (opts) => opts.targetRepositoryPatterns.map((p) => literalPrefix(p).toLowerCase()).map((p) => (p.length >= 2 ? p : '/')),
  reason: REASON,
  find(window, opts: ScanOptions) {
    const out: Match[] = [];
    if (opts.targetRepositoryPatterns.length === 0) return out;
    TOKEN.lastIndex = 0;
    for (let m = TOKEN.exec(window); m !== null; m = TOKEN.exec(window)) {
      let token = m[0].replace(/[.:,;!?]+$/, '');
      let offset = 0;
      if (!token.includes('/')) continue;
      const file = /^(?:file:\/\/|[A-Za-z_][\w-]*:)(?=\/)/.exec(token);
      if (file) {
        offset = file[0].length;
        token = token.slice(offset);
      }
      if (!opts.targetRepositoryPatterns.some((p) => matchesTarget(token, p))) continue;
      out.push({ index: m.index + offset, value: token, message: `Target Repository path ${redact(token)} ${REASON}` });
    }
    return out;
  },
  exampleOptions: { targetRepositoryPatterns: ['/srv/targets/**', 'work/target-repo'] },
  examples: {
    // Examples run with targetRepositoryPatterns ['/srv/targets/**', 'work/target-repo'] (see test/scanner/detectors.test.ts).
    tp: ['cd /srv/targets/acme-api && git log', 'copied from file:///srv/targets/acme-api/src/main.ts', 'see work/target-repo/README.md'],
    fp: ['/home/svrnty/.hermes/config.yaml', 'No Target Repository path may be inspected or copied.', '/srv/other/acme'],
  },
};
