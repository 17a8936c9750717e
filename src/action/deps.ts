/**
 * Everything the action touches outside the pure engine, injected so tests pass typed fakes:
 * no Octokit client is built at import time.
 */
import * as core from '@actions/core';
import * as github from '@actions/github';
import { withTimeout } from './api-timeout.js';

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

export { API_TIMEOUT_MS, withTimeout } from './api-timeout.js';

export interface ActionContext {
  eventName: string;
  sha: string;
  ref: string;
  runId: number;
  serverUrl: string;
  repo: { owner: string; repo: string };
  payload: Record<string, unknown> & {
    pull_request?: {
      number: number;
      head: { sha: string; ref?: string; repo?: { full_name?: string } | null };
      base: { sha: string; ref?: string; repo?: { full_name?: string } };
      user?: { login: string };
      /** The test merge commit GitHub made for the pull request (null while it is not mergeable or not computed). */
      merge_commit_sha?: string | null;
    };
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
