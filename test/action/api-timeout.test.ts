/** A GitHub API call that never answers is aborted after the client's time limit and fails closed, naming the timeout. */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { getOctokit } from '@actions/github';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { describeApiError } from '../../src/action/api-error.js';
import { withTimeout } from '../../src/action/api-timeout.js';

let server: Server;
let baseUrl = '';

beforeAll(async () => {
  // /hang never answers; anything else answers at once.
  server = createServer((req, res) => {
    if (req.url?.includes('/pulls/1')) return; // never answered
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ number: 2, state: 'open' }));
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  server.closeAllConnections();
  await new Promise((r) => server.close(r));
});

describe('withTimeout', () => {
  it('aborts a request that does not answer in time; the error fails the check with a timeout message', async () => {
    const client = withTimeout(getOctokit('t0ken-value', { baseUrl }), 300);
    const t0 = Date.now();
    const err = await client.rest.pulls.get({ owner: 'o', repo: 'r', pull_number: 1 }).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(Date.now() - t0).toBeLessThan(5_000);
    expect(err).toMatchObject({ status: 500 });
    const message = describeApiError(err, 'reading the pull request', 'pull-requests: read', ['t0ken-value']);
    expect(message).toMatch(/^reading the pull request failed: no answer from the GitHub API within the time limit/);
    expect(message).not.toContain('t0ken-value');
  });
  it('leaves requests that answer untouched', async () => {
    const client = withTimeout(getOctokit('t', { baseUrl }), 300);
    const { data } = await client.rest.pulls.get({ owner: 'o', repo: 'r', pull_number: 2 });
    expect(data).toMatchObject({ number: 2, state: 'open' });
  });
});
