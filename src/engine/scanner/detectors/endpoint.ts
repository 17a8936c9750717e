import ipaddr from 'ipaddr.js';
import { redact } from '../redact.js';
import { QUOTE } from '../keys.js';
import { afterEscape, edgeFor, isPlaceholder, leftEdge } from '../util.js';
import type { Detector, Match, ScanOptions } from '../types.js';

const REASON = '(private endpoint must not be written anywhere)';
// An address may follow an escape or an encoded character (`\n10.0.0.5`, `%2F192.168.1.40`), not a word or a dotted number.
const IPV4 = new RegExp(`${leftEdge('0-9A-Za-z.')}(\\d{1,3})\\.(\\d{1,3})\\.(\\d{1,3})\\.(\\d{1,3})(?![0-9]|\\.\\d)`, 'g');
const PLACEHOLDER_HOST = /(?:^|\.)(?:example\.(?:com|org|net)|example|invalid|test|localhost)$|^(?:localhost|127\.\d+\.\d+\.\d+|0\.0\.0\.0|\[?::1\]?)$/i;
/** A host that names itself a placeholder: `your-host`, `your-gpu.corp`, `HOST`, `hostname`, `<host>`, `{host}`, `x.x.x.x`. */
const PLACEHOLDER_NAME = /^your(?:[-_][a-z0-9-]*|host|server|domain|machine|ip)(?:\.|$)|^(?:host|hostname|server|machine|ip|ip[-_]?address|address|domain|endpoint|x+(?:\.x+)*)$|[<>{}$*%\\]/i;

/**
 * An IPv6 address candidate: groups with a `::` or eight groups, optionally ending in a dotted IPv4 (`::ffff:10.0.0.1`).
 * ipaddr.js then decides whether it is an address and which range it is in.
 */
const IPV6 = new RegExp(`${leftEdge('0-9A-Za-z:.')}((?:[0-9a-f]{0,4}:){2,7}(?:[0-9a-f]{1,4}|\\d{1,3}(?:\\.\\d{1,3}){3})?)(?![0-9A-Za-z:]|\\.\\d)`, 'gi');
/** A URL whose host starts with a digit or `[`: the forms a URL parser turns into an address (`0x0a.0.0.1`, `012.0.0.1`, `167772161`, `10.1`, `[::ffff:a00:1]`). */
const NUMERIC_URL = /[A-Za-z][A-Za-z0-9+.-]{0,30}:\/\/(?:[^\s/@"'`<>\\]{0,256}@)?(?:\[[0-9A-Fa-f:.]{2,60}\]|[0-9][0-9A-Fa-fXx.]{0,60})(?![0-9A-Za-z.-])/g;

/** ipaddr.js ranges that are private: RFC 1918, CGNAT 100.64/10 (tailnets), IPv6 unique local fc00::/7 (tailnets' fd7a:115c:a1e0::/48). */
const PRIVATE_RANGES = new Set(['private', 'carrierGradeNat', 'uniqueLocal']);

/**
 * Is this address (dotted IPv4, IPv6, IPv4-mapped IPv6 such as `::ffff:a00:1`) in a private range? ipaddr.js parses and
 * classifies it; an IPv4-mapped IPv6 address is judged by the IPv4 address it carries.
 */
export function isPrivateAddress(address: string): boolean {
  const a = address.replace(/^\[|\]$/g, '');
  if (!ipaddr.isValid(a)) return false;
  let parsed = ipaddr.parse(a);
  if (parsed.kind() === 'ipv6' && (parsed as ipaddr.IPv6).isIPv4MappedAddress()) parsed = (parsed as ipaddr.IPv6).toIPv4Address();
  return PRIVATE_RANGES.has(parsed.range());
}

/**
 * 10/8, 172.16/12, 192.168/16, 100.64/10 (CGNAT, used by tailnets): four octets, the hot path of the dotted-quad search
 * (the same ranges ipaddr.js calls private and carrierGradeNat; a test checks they agree).
 */
export function isPrivateIPv4(o: number[]): boolean {
  const [a, b] = o as [number, number, number, number];
  if (o.length !== 4 || o.some((x) => x > 255)) return false;
  return a === 10 || (a === 172 && b >= 16 && b <= 31) || (a === 192 && b === 168) || (a === 100 && b >= 64 && b <= 127);
}

/** The host a URL parser reads from `url`, canonical (hex, octal and single-number IPv4 hosts become dotted), or undefined. */
export function canonicalHost(url: string): string | undefined {
  try {
    return new URL(url).hostname;
  } catch {
    return undefined;
  }
}

function hostOf(value: string): string {
  const noScheme = value.replace(/^[A-Za-z][A-Za-z0-9+.-]*:\/\//, '');
  const host = noScheme.replace(/^[^@/]*@/, '').split(/[/?#]/)[0] ?? '';
  return host.startsWith('[') ? host.slice(0, host.indexOf(']') + 1) : host.replace(/:\d*$/, '');
}

/** A value: up to white space, a quote, `,;<>` or a backslash (the `\n` ending a line inside a JSON string). */
const VALUE = String.raw`([^\s"'\`,;<>\\]{1,2048})`;

interface VarRegexes {
  /** `NAME=value`, `"NAME": "value"`, `\"NAME\":\"value\"`, `%22NAME%22%3A%22value`, `env["NAME"] = "value"`, `export NAME=…` */
  assigned: RegExp;
  /** A Kubernetes/JSON env entry: `name: NAME` then `value: …`, on the same line or the next one. */
  entry: RegExp;
}
const varRegexes = new Map<string, VarRegexes>();
function regexesFor(name: string): VarRegexes {
  let re = varRegexes.get(name);
  if (!re) {
    const sep = String.raw`[ \t]{0,5}(?::=|=>|=|:|%3[AaDd])[ \t]{0,5}`;
    re = {
      assigned: new RegExp(`${leftEdge('A-Za-z0-9_')}${name}${QUOTE}?\\]?${sep}${QUOTE}?${VALUE}`, 'g'),
      entry: new RegExp(`${leftEdge()}name${QUOTE}?${sep}${QUOTE}?${name}${QUOTE}?[ \\t]{0,5},?[ \\t]{0,5}\\r?\\n?[ \\t]{0,40}${QUOTE}?value${QUOTE}?${sep}${QUOTE}?${VALUE}`, 'g'),
    };
    varRegexes.set(name, re);
  }
  return re;
}

/** `http%3A%2F%2Fgpu.corp.io%3A8000` → `http://gpu.corp.io:8000`, cut at an encoded quote, comma, space or brace. */
function decoded(value: string): { raw: string; plain: string } {
  if (!/%[0-9A-Fa-f]{2}/.test(value)) return { raw: value, plain: value };
  const raw = value.split(/%(?:2[027Cc]|3[BbCcEe]|5[Cc]|60|7[Dd])/)[0] ?? '';
  try {
    return { raw, plain: decodeURIComponent(raw) };
  } catch {
    return { raw, plain: raw };
  }
}

function addValue(name: string, value: string, index: number, out: Match[]): void {
  const { raw, plain } = decoded(value.replace(/[.)\]]+$/, ''));
  const looksLikeAddress = /^[A-Za-z][A-Za-z0-9+.-]*:\/\/./.test(plain) || /^[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+(?::\d{1,5})?(?:\/|$)|^[A-Za-z0-9.-]+:\d{1,5}(?:\/|$)/.test(plain);
  if (!raw || !looksLikeAddress || isPlaceholder(plain)) return;
  const host = hostOf(plain);
  if (!host || PLACEHOLDER_HOST.test(host) || PLACEHOLDER_NAME.test(host) || isPlaceholder(host)) return;
  out.push({ index, value: raw, message: `value of ${name} ${redact(raw)} ${REASON}` });
}

/** `line` is the window's first line; `window` may hold the next line too (a value written below its name). */
function assignedValues(line: string, window: string, opts: ScanOptions, out: Match[]): void {
  for (const name of opts.endpointVariables) {
    if (!line.includes(name)) continue;
    const both = regexesFor(name);
    const assigned = edgeFor(both.assigned, window);
    const entry = edgeFor(both.entry, window);
    assigned.lastIndex = 0;
    for (let m = assigned.exec(line); m !== null; m = assigned.exec(line)) addValue(name, m[1] ?? '', m.index + m[0].length - (m[1] ?? '').length, out);
    if (!/value/i.test(window)) continue;
    entry.lastIndex = 0;
    for (let m = entry.exec(window); m !== null && m.index < line.length; m = entry.exec(window)) {
      addValue(name, m[1] ?? '', m.index + m[0].length - (m[1] ?? '').length, out);
    }
  }
}

function tailnetHosts(window: string, out: Match[]): void {
  const lower = window.toLowerCase();
  for (let i = lower.indexOf('.ts.net'); i >= 0; i = lower.indexOf('.ts.net', i + 7)) {
    if (/[A-Za-z0-9-]/.test(window[i + 7] ?? '')) continue;
    let start = i;
    while (start > 0 && /[A-Za-z0-9.-]/.test(window[start - 1] ?? '') && i - start < 253) start--;
    start = Math.min(i, afterEscape(window, start)); // `\nspark.ts.net`, `%2Fspark.ts.net`: the escape is no part of the host
    const host = window.slice(start, i + 7);
    if (start === i || isPlaceholder(host.slice(0, -7)) || /^(?:tailnet|tail[-_]?name|machine|host|name|your)\b/i.test(host)) continue;
    out.push({ index: start, value: host, message: `tailnet host ${redact(host)} ${REASON}` });
  }
}

function privateAddresses(window: string, out: Match[]): void {
  const ipv4 = edgeFor(IPV4, window);
  ipv4.lastIndex = 0;
  for (let m = ipv4.exec(window); m !== null; m = ipv4.exec(window)) {
    const octets = m.slice(1, 5).map(Number);
    if (!isPrivateIPv4(octets)) continue;
    const before = window.slice(Math.max(0, m.index - 12), m.index);
    if (/(?:version|\bv|release)[ :=]*$/i.test(before)) continue;
    const after = window.slice(m.index + m[0].length, m.index + m[0].length + 4);
    if (/^\/\d{1,2}(?!\d)/.test(after) && !/:\/\/$/.test(before)) continue; // a CIDR range, not a host
    out.push({ index: m.index, value: m[0], message: `private network address ${redact(m[0])} ${REASON}` });
  }
  if (window.includes(':')) {
    const ipv6 = edgeFor(IPV6, window);
    ipv6.lastIndex = 0;
    for (let m = ipv6.exec(window); m !== null; m = ipv6.exec(window)) {
      const addr = m[1] ?? '';
      if (!isPrivateAddress(addr)) continue;
      if (/^\/\d{1,3}(?!\d)/.test(window.slice(m.index + addr.length, m.index + addr.length + 5))) continue; // a prefix, not a host
      out.push({ index: m.index, value: addr, message: `private network address ${redact(addr)} ${REASON}` });
    }
  }
  if (!window.includes('://')) return;
  NUMERIC_URL.lastIndex = 0;
  for (let m = NUMERIC_URL.exec(window); m !== null; m = NUMERIC_URL.exec(window)) {
    const host = canonicalHost(m[0]);
    if (!host || !isPrivateAddress(host)) continue;
    const at = m[0].lastIndexOf('@');
    const start = at >= 0 ? at + 1 : m[0].indexOf('//') + 2;
    const written = m[0].slice(start);
    out.push({ index: m.index + start, value: written, message: `private network address ${redact(written)} ${REASON}` });
  }
}

export const endpoint: Detector = {
  id: 'endpoint/exposed',
  title: 'Private endpoint',
  summary: 'Values of configured endpoint variables (CTO_HARNESS_CASE_LOCAL_BASE_URL) and private model-server addresses: *.ts.net, 100.64/10, RFC 1918, IPv6 fc00::/7.',
  docs:
    'Flags a value assigned to any configured endpoint variable (`CTO_HARNESS_CASE_LOCAL_BASE_URL=http://…`, `"CTO_HARNESS_CASE_LOCAL_BASE_URL": "…"`, `export …=`, ' +
    '`os.environ["CTO_HARNESS_CASE_LOCAL_BASE_URL"] = "…"`, escaped JSON `{\\"CTO_…\\":\\"…\\"}`, after a `\\n` inside a JSON string, URL-encoded `http%3A%2F%2F…`, ' +
    'and a Kubernetes env entry `- name: CTO_…` with `value: …` on the next line), ' +
    'and, anywhere, tailnet host names (`*.ts.net`), CGNAT addresses (100.64.0.0/10), RFC 1918 addresses (10/8, 172.16/12, 192.168/16) and IPv6 unique local addresses (fc00::/7, which holds a tailnet\'s fd7a:115c:a1e0::/48) used as hosts. ' +
    'An address is read the way a URL parser reads it: a URL host written in hex (`0x0a.0.0.1`), octal (`012.0.0.1`), as a single number (`167772161`) ' +
    'or shortened (`10.1`) is canonicalised by the WHATWG URL parser, and IPv4-mapped IPv6 addresses (`::ffff:` then a private IPv4 address, dotted or as two hex groups) are judged by the IPv4 address they carry; ' +
    'ranges are decided by ipaddr.js, not by patterns over dotted quads. ' +
    'Addresses are found right after an escape or an encoded character too (`\\n`, `\\t`, `%2F` before the address). ' +
    'Naming the variable is fine, and so are loopback addresses (127.x, localhost, ::1), placeholders (`<base-url>`, `${{ secrets.X }}`, `$VAR`, `***`, example.com, ' +
    'and hosts named `host`, `HOST`, `hostname`, `your-host`, `<host>`), ' +
    'version numbers (`10.2.3`) and CIDR ranges (`10.0.0.0/8`, `fd00::/8`). IPv6 addresses are found where they are written compressed (`::`), in brackets (`[fd…]`) or in a tailnet\'s range (`fd7a:`).',
  keywords: ['.ts.net', '10.', '172.', '192.168.', '100.', '::', '[fd', '[fc', 'fd7a:'],
  dynamicKeywords: (opts) => opts.endpointVariables.map((v) => v.toLowerCase()),
  // a URL whose host starts with a digit or `[` (`http://0x0a.0.0.1/`, `http://167772161/`, `http://[::ffff:a00:1]/`)
  trigger: /:\/\/(?:[^\s/@"'`<>]{0,256}@)?[0-9[]/g,
  reason: REASON,
  nextLine: true,
  find(window, opts) {
    const out: Match[] = [];
    const nl = window.indexOf('\n');
    const line = nl < 0 ? window : window.slice(0, nl);
    assignedValues(line, window, opts, out);
    tailnetHosts(line, out);
    privateAddresses(line, out);
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
      '{"stdout":"PATH=/usr/bin\\nCTO_HARNESS_CASE_LOCAL_BASE_URL=http://gpu.corp.io:8000/v1\\nHOME=/root\\n"}',
      '{"out":"{\\"CTO_HARNESS_CASE_LOCAL_BASE_URL\\":\\"http://gpu.corp.io:8000/v1\\"}"}',
      'os.environ["CTO_HARNESS_CASE_LOCAL_BASE_URL"] = "http://gpu.corp.io:8000/v1"',
      'CTO_HARNESS_CASE_LOCAL_BASE_URL=http%3A%2F%2Fgpu.corp.io%3A8000%2Fv1',
      '{"stdout":"connecting\\n10.0.0.5:8000 refused"}',
      'u=http%3A%2F%2F192.168.1.40%3A8000%2Fv1',
      'base_url: http://0x0a.0.0.1:8000/v1',
      'base_url: http://012.0.0.1:8000/v1',
      'base_url: http://167772161:8000/v1',
      'base_url: http://10.1:8000/v1',
      'connecting to http://[::ffff:a00:1]:8000/v1',
      'peer ::ffff:10.0.0.1 online',
      'peer ::ffff:a00:1 online',
      'listen fd00::53 port 8000',
      'base_url: http://0x64.0x40.0.7:8000/v1',
      'CTO\\_HARNESS\\_CASE\\_LOCAL\\_BASE\\_URL=http://gpu.corp.io:8000/v1',
      '| CTO_HARNESS_CASE_LOCAL_BASE_URL | http://gpu.corp.io:8000/v1 |',
      '| `CTO_HARNESS_CASE_LOCAL_BASE_URL` | `https://models.corp.internal/v1` | staging |',
      'served from spark-1.tail4f2a9\\.ts\\.net',
      'CTO_HARNESS_CASE_LOCAL_BASE_URL&#61;http://gpu.corp.io:8000/v1',
      'env: eyJ1c2VyIjoianAiLCJ1cmwiOiJodHRwOi8vMTAuNC4wLjEyOjExNDM0L3YxIn0=',
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
      'CTO_HARNESS_CASE_LOCAL_BASE_URL=http://your-host:8000/v1',
      'CTO_HARNESS_CASE_LOCAL_BASE_URL=http://HOST:8000/v1',
      'CTO_HARNESS_CASE_LOCAL_BASE_URL=http://host:8000/v1',
      'os.environ["CTO_HARNESS_CASE_LOCAL_BASE_URL"] = "https://api.example.com/v1"',
      'CTO_HARNESS_CASE_LOCAL_BASE_URL=http%3A%2F%2F%3Chost%3E%3A8000%2Fv1',
      '{"stdout":"version\\n10.2.3 installed"}',
      'public http://0x08.0x08.0x08.0x08/ and http://134744072/',
      'loopback http://0x7f.0.0.1:8000/v1 and http://2130706433:8000/v1',
      'mapped ::ffff:8.8.8.8 and ::ffff:7f00:1',
      'ratio 12:30:45 at 10:15',
      '| `CTO_HARNESS_CASE_LOCAL_BASE_URL` | required | the private endpoint, never written down |',
      '| CTO_HARNESS_CASE_LOCAL_BASE_URL | `<base-url>` |',
    ],
  },
};
