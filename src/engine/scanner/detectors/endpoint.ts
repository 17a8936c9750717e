import { isIPv6 } from 'node:net';
import { redact } from '../redact.js';
import { isPlaceholder } from '../util.js';
import type { Detector, Match, ScanOptions } from '../types.js';

const REASON = '(private endpoint must not be written anywhere)';
const IPV4 = /(?<![0-9A-Za-z.])(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})(?![0-9]|\.\d)/g;
const PLACEHOLDER_HOST = /(?:^|\.)(?:example\.(?:com|org|net)|example|invalid|test|localhost)$|^(?:localhost|127\.\d+\.\d+\.\d+|0\.0\.0\.0|\[?::1\]?)$/i;

/** An IPv6 unique local address (fc00::/7, e.g. a tailnet's fd7a:115c:a1e0::/48): the first group is fcXX or fdXX. */
const ULA = /(?<![0-9A-Za-z:.])(f[cd][0-9a-f]{2}(?::[0-9a-f]{0,4}){2,7})(?![0-9A-Za-z:])/gi;

/** 10/8, 172.16/12, 192.168/16, 100.64/10 (CGNAT, used by tailnets). */
export function isPrivateIPv4(o: number[]): boolean {
  const [a, b] = o as [number, number, number, number];
  if (o.some((x) => x > 255)) return false;
  return a === 10 || (a === 172 && b >= 16 && b <= 31) || (a === 192 && b === 168) || (a === 100 && b >= 64 && b <= 127);
}

function hostOf(value: string): string {
  const noScheme = value.replace(/^[A-Za-z][A-Za-z0-9+.-]*:\/\//, '');
  const host = noScheme.replace(/^[^@/]*@/, '').split(/[/?#]/)[0] ?? '';
  return host.startsWith('[') ? host.slice(0, host.indexOf(']') + 1) : host.replace(/:\d*$/, '');
}

const varRegexes = new Map<string, RegExp>();
function varRegex(name: string): RegExp {
  let re = varRegexes.get(name);
  if (!re) {
    re = new RegExp(`(?<![A-Za-z0-9_])${name}["'\`]?[ \\t]{0,5}(?::=|=>|=|:)[ \\t]{0,5}["'\`]?([^\\s"'\`,;<>]{1,2048})`, 'g');
    varRegexes.set(name, re);
  }
  return re;
}

function assignedValues(window: string, opts: ScanOptions, out: Match[]): void {
  for (const name of opts.endpointVariables) {
    if (!window.includes(name)) continue;
    const re = varRegex(name);
    re.lastIndex = 0;
    for (let m = re.exec(window); m !== null; m = re.exec(window)) {
      const v = (m[1] ?? '').replace(/[.)\]]+$/, '');
      const looksLikeAddress = /^[A-Za-z][A-Za-z0-9+.-]*:\/\/./.test(v) || /^[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+(?::\d{1,5})?(?:\/|$)|^[A-Za-z0-9.-]+:\d{1,5}(?:\/|$)/.test(v);
      if (!looksLikeAddress || isPlaceholder(v)) continue;
      const host = hostOf(v);
      if (!host || PLACEHOLDER_HOST.test(host) || isPlaceholder(host)) continue;
      const index = m.index + m[0].length - (m[1] ?? '').length;
      out.push({ index, value: v, message: `value of ${name} ${redact(v)} ${REASON}` });
    }
  }
}

function tailnetHosts(window: string, out: Match[]): void {
  const lower = window.toLowerCase();
  for (let i = lower.indexOf('.ts.net'); i >= 0; i = lower.indexOf('.ts.net', i + 7)) {
    if (/[A-Za-z0-9-]/.test(window[i + 7] ?? '')) continue;
    let start = i;
    while (start > 0 && /[A-Za-z0-9.-]/.test(window[start - 1] ?? '') && i - start < 253) start--;
    const host = window.slice(start, i + 7);
    if (start === i || isPlaceholder(host.slice(0, -7)) || /^(?:tailnet|tail[-_]?name|machine|host|name|your)\b/i.test(host)) continue;
    out.push({ index: start, value: host, message: `tailnet host ${redact(host)} ${REASON}` });
  }
}

function privateAddresses(window: string, out: Match[]): void {
  IPV4.lastIndex = 0;
  for (let m = IPV4.exec(window); m !== null; m = IPV4.exec(window)) {
    const octets = m.slice(1, 5).map(Number);
    if (!isPrivateIPv4(octets)) continue;
    const before = window.slice(Math.max(0, m.index - 12), m.index);
    if (/(?:version|\bv|release)[ :=]*$/i.test(before)) continue;
    const after = window.slice(m.index + m[0].length, m.index + m[0].length + 4);
    if (/^\/\d{1,2}(?!\d)/.test(after) && !/:\/\/$/.test(before)) continue; // a CIDR range, not a host
    out.push({ index: m.index, value: m[0], message: `private network address ${redact(m[0])} ${REASON}` });
  }
  ULA.lastIndex = 0;
  for (let m = ULA.exec(window); m !== null; m = ULA.exec(window)) {
    const addr = m[1] ?? '';
    if (!isIPv6(addr)) continue;
    if (/^\/\d{1,3}(?!\d)/.test(window.slice(m.index + addr.length, m.index + addr.length + 5))) continue; // a prefix, not a host
    out.push({ index: m.index, value: addr, message: `private network address ${redact(addr)} ${REASON}` });
  }
}

export const endpoint: Detector = {
  id: 'endpoint/exposed',
  title: 'Private endpoint',
  summary: 'Values of configured endpoint variables (CTO_HARNESS_CASE_LOCAL_BASE_URL) and private model-server addresses: *.ts.net, 100.64/10, RFC 1918, IPv6 fc00::/7.',
  docs:
    'Flags a value assigned to any configured endpoint variable (`CTO_HARNESS_CASE_LOCAL_BASE_URL=http://…`, `"CTO_HARNESS_CASE_LOCAL_BASE_URL": "…"`, `export …=`), ' +
    'and, anywhere, tailnet host names (`*.ts.net`), CGNAT addresses (100.64.0.0/10), RFC 1918 addresses (10/8, 172.16/12, 192.168/16) and IPv6 unique local addresses (fc00::/7, which holds a tailnet\'s fd7a:115c:a1e0::/48) used as hosts. ' +
    'Naming the variable is fine, and so are loopback addresses (127.x, localhost, ::1), placeholders (`<base-url>`, `${{ secrets.X }}`, `$VAR`, `***`, example.com), ' +
    'version numbers (`10.2.3`) and CIDR ranges (`10.0.0.0/8`, `fd00::/8`). IPv6 addresses are found where they are written compressed (`::`), in brackets (`[fd…]`) or in a tailnet\'s range (`fd7a:`).',
  keywords: ['.ts.net', '10.', '172.', '192.168.', '100.', '::', '[fd', '[fc', 'fd7a:'],
  dynamicKeywords: (opts) => opts.endpointVariables.map((v) => v.toLowerCase()),
  reason: REASON,
  find(window, opts) {
    const out: Match[] = [];
    assignedValues(window, opts, out);
    tailnetHosts(window, out);
    privateAddresses(window, out);
    return out;
  },
  examples: {
    tp: [
      'CTO_HARNESS_CASE_LOCAL_BASE_URL=http://spark-1.tail4f2a9.ts.net:8000/v1',
      '"CTO_HARNESS_CASE_LOCAL_BASE_URL": "https://models.corp.internal/v1"',
      'export CTO_HARNESS_CASE_LOCAL_BASE_URL=http://100.101.7.33:8000/v1',
      'backend log: connecting to http://192.168.1.40:8000/v1/chat/completions',
      'base_url: http://10.4.0.12:11434',
      'connecting to http://[fd7a:115c:a1e0::53]:8000/v1',
      'spark peer fd7a:115c:a1e0:ab12:4843:cd96:6258:b240 online',
      'listen fd12:3456:789a::1 port 8000',
    ],
    fp: [
      'The required runtime variable is `CTO_HARNESS_CASE_LOCAL_BASE_URL`.',
      'must set CTO_HARNESS_CASE_LOCAL_BASE_URL before running',
      'CTO_HARNESS_CASE_LOCAL_BASE_URL=http://127.0.0.1:8000/v1',
      'CTO_HARNESS_CASE_LOCAL_BASE_URL=<base-url>',
      'CTO_HARNESS_CASE_LOCAL_BASE_URL: ${{ secrets.LOCAL_BASE_URL }}',
      'CTO_HARNESS_CASE_LOCAL_BASE_URL=$LOCAL_URL',
      'CTO_HARNESS_CASE_LOCAL_BASE_URL=https://example.com/v1',
      'upgraded to 10.2.3 and 172.16.4',
      'allow 10.0.0.0/8 in the firewall',
      'route fd00::/8 via the tailnet',
      'std::vector<int> fdata; Foo::fd(x)',
      'loopback http://[::1]:8000/v1 and fe80::1%eth0',
      'hash fd8e1c22a9f0 and fcff:zz::1',
    ],
  },
};
