/**
 * The local endpoint probe: `GET <CTO_HARNESS_CASE_LOCAL_BASE_URL>/models` must answer within a bounded time with an
 * OpenAI-compatible model list (`{"data":[{"id":"..."}]}`) that includes the admitted model.
 *
 * The endpoint value is private: no message built here contains it (or any part of it, or the error text of the
 * HTTP client, which may quote the address). Messages say "CTO_HARNESS_CASE_LOCAL_BASE_URL" instead. Model ids the
 * server lists are shown only when they cannot carry an address (see showableId). Redirects are not followed, and a
 * value with credentials (user:password@) is refused before any request.
 */
import { ENDPOINT_NAME, ENDPOINT_TIMEOUT_MS } from './vocabulary.js';

export type ProbeResult =
  | { ok: true; models: number }
  | { ok: false; kind: 'config'; reason: string }
  | { ok: false; kind: 'unavailable'; reason: string }
  | { ok: false; kind: 'model-missing'; reason: string };

/** Largest model list read. */
export const MAX_MODEL_LIST_BYTES = 4 * 1024 * 1024;

/**
 * The URL of the model list and the endpoint's host name (lower case, without IPv6 brackets), or why the value is not
 * usable (the reason never contains the value).
 */
export function modelsUrl(base: string): { ok: true; url: string; hostname: string } | { ok: false; reason: string } {
  let u: URL;
  try {
    u = new URL(base.trim());
  } catch {
    return { ok: false, reason: `${ENDPOINT_NAME} is not a URL` };
  }
  if (u.protocol !== 'http:' && u.protocol !== 'https:') return { ok: false, reason: `${ENDPOINT_NAME} is not an http(s) URL` };
  if (u.username || u.password) {
    return { ok: false, reason: `${ENDPOINT_NAME} contains credentials (user:password@): credentials in the endpoint URL are not allowed` };
  }
  if (u.search || u.hash) return { ok: false, reason: `${ENDPOINT_NAME} must be a base URL without query or fragment (e.g. http://host:8000/v1)` };
  const pathname = u.pathname.replace(/\/+$/, '');
  u.pathname = `${pathname}/models`;
  return { ok: true, url: u.toString(), hostname: u.hostname.replace(/^\[|\]$/g, '').toLowerCase() };
}

async function readCapped(res: Response, cap: number): Promise<string | undefined> {
  if (!res.body) return '';
  const reader = res.body.getReader();
  const chunks: Uint8Array[] = [];
  let total = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    total += value.byteLength;
    if (total > cap) {
      await reader.cancel().catch(() => undefined);
      return undefined;
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks).toString('utf8');
}

/** A plain model id (`qwen3-coder-30b`, `openai/gpt-oss-120b`, `llama3:8b`): never a URL or an absolute path. */
const PLAIN_ID = /^[A-Za-z0-9][A-Za-z0-9._:-]*(\/[A-Za-z0-9._:-]+)?$/;
/** A part of an id that looks like an address: host:port, an IPv4 or IPv6 address, localhost, or a domain name. */
const ADDRESS_LIKE = [
  /:\d+$/, // host:port
  /(^|[^0-9])\d{1,3}(\.\d{1,3}){3}([^0-9]|$)/, // IPv4
  /:.*:/, // IPv6 (an Ollama-style name:tag has one colon)
  /^localhost$/i,
  /^([a-z0-9-]+\.)+[a-z]{2,}$/i, // a domain name (the last label all letters)
];

/**
 * Whether a model id the server listed may be shown in a message: a plain id of at most 128 characters that does not
 * contain the endpoint's host name (or a label of it longer than 3 characters) and has no part that looks like an
 * address. The server can list anything, including its own address.
 */
export function showableId(id: string, hostname: string): boolean {
  if (id.length > 128 || !PLAIN_ID.test(id)) return false;
  const lower = id.toLowerCase();
  const hostParts = [hostname, ...hostname.split('.').filter((l) => l.length > 3 && !/^\d+$/.test(l))].filter(Boolean);
  if (hostParts.some((h) => lower.includes(h))) return false;
  return !id.split('/').some((part) => ADDRESS_LIKE.some((re) => re.test(part)));
}

export async function probeEndpoint(
  base: string,
  model: string,
  fetchFn: typeof fetch,
  timeoutMs: number = ENDPOINT_TIMEOUT_MS,
): Promise<ProbeResult> {
  const target = modelsUrl(base);
  if (!target.ok) return { ok: false, kind: 'config', reason: target.reason };
  const seconds = `${Math.round((timeoutMs / 1000) * 10) / 10} s`;
  const signal = AbortSignal.timeout(timeoutMs);
  let res: Response;
  try {
    // `manual`: a redirect comes back as a response (and is refused below), never followed to another address.
    res = await fetchFn(target.url, { method: 'GET', headers: { accept: 'application/json' }, redirect: 'manual', signal });
  } catch (e) {
    return { ok: false, kind: 'unavailable', reason: fetchFailure(e, seconds) };
  }
  let body: string | undefined;
  try {
    if (!res.ok) {
      await res.body?.cancel().catch(() => undefined);
      if (res.type === 'opaqueredirect' || (res.status >= 300 && res.status < 400)) {
        const code = res.status ? `HTTP ${res.status}` : 'a redirect';
        return { ok: false, kind: 'unavailable', reason: `${ENDPOINT_NAME}/models answered with a redirect (${code}): redirects are not followed, set ${ENDPOINT_NAME} to the endpoint's own base URL` };
      }
      return { ok: false, kind: 'unavailable', reason: `${ENDPOINT_NAME}/models answered HTTP ${res.status}, not 200` };
    }
    body = await readCapped(res, MAX_MODEL_LIST_BYTES);
  } catch (e) {
    return { ok: false, kind: 'unavailable', reason: fetchFailure(e, seconds) };
  }
  if (body === undefined) return { ok: false, kind: 'unavailable', reason: `${ENDPOINT_NAME}/models answered more than ${MAX_MODEL_LIST_BYTES} bytes` };
  let parsed: unknown;
  try {
    parsed = JSON.parse(body);
  } catch {
    return { ok: false, kind: 'unavailable', reason: `${ENDPOINT_NAME}/models did not answer JSON (not an OpenAI-compatible model list)` };
  }
  const data = (parsed as { data?: unknown } | null)?.data;
  if (!Array.isArray(data)) {
    return { ok: false, kind: 'unavailable', reason: `${ENDPOINT_NAME}/models did not answer an OpenAI-compatible model list ({"data":[{"id":...}]})` };
  }
  const ids = data.map((m) => (m && typeof m === 'object' ? (m as { id?: unknown }).id : undefined)).filter((id): id is string => typeof id === 'string');
  if (ids.includes(model)) return { ok: true, models: ids.length };
  const showable = ids.filter((id) => showableId(id, target.hostname));
  const withheld = ids.length - showable.length;
  const shown = showable.slice(0, 5);
  const more = showable.length > shown.length ? ', …' : '';
  const listed =
    ids.length === 0
      ? 'it lists no model'
      : [
          `it lists ${ids.length} model${ids.length === 1 ? '' : 's'}${shown.length ? `: ${shown.join(', ')}${more}` : ''}`,
          withheld ? `; ${withheld} not shown (not a plain model id, or it names a host, address or URL)` : '',
        ].join('');
  return { ok: false, kind: 'model-missing', reason: `the model list at ${ENDPOINT_NAME}/models does not include the admitted model ${model} (${listed})` };
}

/** A fixed description of a fetch failure: the error code only, never the client's message (it may quote the address). */
function fetchFailure(e: unknown, seconds: string): string {
  const err = e as { name?: string; cause?: { code?: unknown; name?: string } };
  if (err?.name === 'TimeoutError' || err?.cause?.name === 'TimeoutError' || err?.name === 'AbortError') {
    return `${ENDPOINT_NAME} did not answer GET /models within ${seconds}`;
  }
  const code = typeof err?.cause?.code === 'string' && /^[A-Z0-9_]{2,40}$/.test(err.cause.code) ? err.cause.code : undefined;
  return `${ENDPOINT_NAME} did not answer GET /models (${code ?? 'connection failed'})`;
}
