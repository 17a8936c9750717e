/**
 * Everything the action touches outside the pure engine, injected so tests pass typed fakes:
 * no Octokit client is built at import time.
 */
import * as core from '@actions/core';
import * as github from '@actions/github';

export type Core = Pick<
  typeof core,
  | 'getInput'
  | 'getBooleanInput'
  | 'setOutput'
  | 'setFailed'
  | 'setSecret'
  | 'info'
  | 'warning'
  | 'error'
  | 'notice'
  | 'debug'
  | 'startGroup'
  | 'endGroup'
  | 'summary'
>;

export type Octokit = ReturnType<typeof github.getOctokit>;

/** A GitHub API call that has not answered in this time is aborted: it then fails the check like a 5xx would. */
export const API_TIMEOUT_MS = 30_000;

/**
 * Give every request of this client a time limit (Octokit has none: a hanging API would hold the job until the
 * workflow's timeout-minutes). The abort surfaces as a request error with status 500, which fails the check closed
 * with the "GitHub outage or timeout" message. The client's own fetch and proxy agent are kept.
 */
export function withTimeout<T extends Pick<Octokit, 'hook'>>(client: T, ms = API_TIMEOUT_MS): T {
  client.hook.wrap('request', (request, options) => {
    // Set on the options object the hook was given, with a fresh `request` object (the shared defaults stay as they
    // are). Tried and dropped: passing a copy of the options, which never reached fetch.
    options.request = { ...options.request, signal: AbortSignal.timeout(ms) };
    return request(options);
  });
  return client;
}

export interface ActionContext {
  eventName: string;
  sha: string;
  ref: string;
  runId: number;
  serverUrl: string;
  repo: { owner: string; repo: string };
  payload: Record<string, unknown> & {
    pull_request?: { number: number; head: { sha: string; ref?: string; repo?: { full_name?: string } | null }; base: { sha: string; ref?: string; repo?: { full_name?: string } }; user?: { login: string } };
  };
}

export interface ActionDeps {
  core: Core;
  context: ActionContext;
  /** Builds the client on first use from the `token` input; throws a clear error when there is no token. */
  octokit: () => Octokit;
  env: Record<string, string | undefined>;
  /** The workspace (GITHUB_WORKSPACE), where the repository is checked out. */
  cwd: string;
  now: () => Date;
  fetch: typeof fetch;
}

export function defaultDeps(): ActionDeps {
  let client: Octokit | undefined;
  return {
    core,
    context: {
      eventName: github.context.eventName,
      sha: github.context.sha,
      ref: github.context.ref,
      runId: github.context.runId,
      serverUrl: github.context.serverUrl,
      get repo() {
        return github.context.repo;
      },
      payload: github.context.payload as ActionContext['payload'],
    },
    octokit: () => {
      if (client) return client;
      const token = core.getInput('token');
      if (!token) throw new Error('no GitHub token: set the `token` input (default: github.token)');
      client = withTimeout(github.getOctokit(token));
      return client;
    },
    env: process.env,
    cwd: process.env.GITHUB_WORKSPACE ?? process.cwd(),
    now: () => new Date(),
    fetch: globalThis.fetch,
  };
}
