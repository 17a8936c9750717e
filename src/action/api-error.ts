/**
 * Turning a failed GitHub API call into one clear, specific sentence: what failed, why (status, rate limit,
 * permission), and what to do. Fail closed: the caller throws it, the step fails. No token ever appears in it.
 */

/** A failure the action reports as is (the step fails with this message). */
export class ActionFailure extends Error {
  override readonly name = 'ActionFailure';
}

interface RequestErrorLike {
  status?: number;
  message?: string;
  code?: string;
  response?: { headers?: Record<string, string | number | undefined> };
}

/** Remove any of `secrets` (and anything shaped like a GitHub token) from a message. */
export function scrub(text: string, secrets: readonly string[] = []): string {
  let out = text;
  for (const s of secrets) if (s && s.length >= 4) out = out.split(s).join('***');
  return out.replace(/\b(gh[pousr]_[A-Za-z0-9]{20,}|github_pat_[A-Za-z0-9_]{20,})\b/g, '***');
}

export function isStatus(e: unknown, ...statuses: number[]): boolean {
  const s = (e as RequestErrorLike | undefined)?.status;
  return typeof s === 'number' && statuses.includes(s);
}

function isRateLimit(e: RequestErrorLike): boolean {
  const h = e.response?.headers ?? {};
  return e.status === 429 || (e.status === 403 && (String(h['x-ratelimit-remaining']) === '0' || /rate limit/i.test(e.message ?? '')));
}

/**
 * `what`: the call, e.g. "listing the pull request's files". `permission`: the workflow permission it needs,
 * e.g. "pull-requests: read".
 */
/** A request aborted by withTimeout (src/action/deps.ts): Octokit wraps the fetch's TimeoutError as a status 500. */
function isTimeout(err: unknown): boolean {
  const e = err as { name?: string; cause?: { name?: string } };
  return e.name === 'TimeoutError' || e.cause?.name === 'TimeoutError';
}

export function describeApiError(e: unknown, what: string, permission: string, secrets: readonly string[] = []): string {
  const err = (e ?? {}) as RequestErrorLike;
  const first = (err.message ?? String(e)).split('\n')[0]?.slice(0, 200) ?? '';
  let why: string;
  if (isRateLimit(err)) {
    const reset = Number(err.response?.headers?.['x-ratelimit-reset']);
    const at = Number.isFinite(reset) && reset > 0 ? ` (resets at ${new Date(reset * 1000).toISOString()})` : '';
    why = `the GitHub API rate limit is exhausted${at}: re-run the job later`;
  } else if (err.status === 401) {
    why = 'the token was rejected (401): check the `token` input';
  } else if (err.status === 403) {
    why = `forbidden (403): the token needs \`${permission}\``;
  } else if (err.status === 404) {
    why = `not found (404): the resource does not exist or the token cannot see it (it needs \`${permission}\`)`;
  } else if (isTimeout(err)) {
    why = 'no answer from the GitHub API within the time limit (a GitHub outage): re-run the job';
  } else if (typeof err.status === 'number' && err.status >= 500) {
    why = `GitHub returned ${err.status}: a GitHub outage or timeout, re-run the job`;
  } else if (typeof err.status === 'number') {
    why = `GitHub returned ${err.status}: ${first}`;
  } else {
    why = `network error (${err.code ?? 'no response'}): ${first}`;
  }
  return scrub(`${what} failed: ${why}`, secrets);
}
