/**
 * A time limit on every request of an Octokit client, for the action and the CLI's dispatch. No runtime imports, so
 * the CLI can use it without loading Octokit at start.
 */
import type { getOctokit } from '@actions/github';

type Hookable = ReturnType<typeof getOctokit>['hook'];

/** A GitHub API call that has not answered in this time is aborted: it then fails the check like a 5xx would. */
export const API_TIMEOUT_MS = 30_000;

/**
 * Give every request of this client a time limit (Octokit has none: a hanging API would hold the job until the
 * workflow's timeout-minutes). The abort surfaces as a request error with status 500 whose cause is a TimeoutError;
 * describeApiError (api-error.ts) reports it as "no answer from the GitHub API within the time limit". The client's own fetch and proxy agent are kept.
 */
export function withTimeout<T extends { hook: Hookable }>(client: T, ms = API_TIMEOUT_MS): T {
  client.hook.wrap('request', (request, options) => {
    // Set on the options object the hook was given, with a fresh `request` object (the shared defaults stay as they
    // are). Tried and dropped: passing a copy of the options, which never reached fetch.
    options.request = { ...options.request, signal: AbortSignal.timeout(ms) };
    return request(options);
  });
  return client;
}
