import { describe, expect, it } from 'vitest';
import { COMMENT_LIMIT, COMMENT_MARKER, shorten, upsertComment, type CommentInput } from '../../src/action/comment-pr.js';
import { FakeGitHub, recorded } from '../fixtures/github/fake.js';

const LIST = '/repos/acme/governance/issues/7/comments';

function setup(comments: unknown[], write: { status: number; body?: unknown } = { status: 200, body: { id: 1 } }) {
  const api = new FakeGitHub()
    .list(LIST, comments)
    .reply('POST', LIST, write.status === 200 ? { status: 201, body: { id: 2 } } : write)
    .reply('PATCH', '/repos/acme/governance/issues/comments/:id', write);
  const warnings: string[] = [];
  const go = (over: Partial<CommentInput>) =>
    upsertComment({
      octokit: api.octokit(),
      owner: 'acme',
      repo: 'governance',
      issueNumber: 7,
      mode: 'on-failure',
      failed: true,
      body: `${COMMENT_MARKER}\nfailing report`,
      passingBody: `${COMMENT_MARKER}\npassing note`,
      fork: false,
      warn: (m) => warnings.push(m),
      ...over,
    });
  return { api, warnings, go };
}

const BOT = { login: 'github-actions[bot]', type: 'Bot' };
const others = () => recorded<Array<{ id: number; body: string }>>('issues-list-comments.json').filter((c) => !c.body.startsWith(COMMENT_MARKER));

describe('sticky pull request comment', () => {
  it('creates one comment on failure when there is none', async () => {
    const { api, go } = setup(others());
    expect(await go({})).toBe('created');
    const post = api.callsTo('POST', /comments$/);
    expect(post).toHaveLength(1);
    expect(post[0]!.body).toEqual({ body: `${COMMENT_MARKER}\nfailing report` });
  });

  it('updates the existing comment (found by the marker across pages) instead of adding one', async () => {
    const filler = Array.from({ length: 120 }, (_, i) => ({ id: i + 1, body: `chatter ${i}`, user: { login: 'x' } }));
    const { api, go } = setup([...filler, ...recorded<unknown[]>('issues-list-comments.json')]);
    expect(await go({})).toBe('updated');
    expect(api.callsTo('POST', /comments$/)).toHaveLength(0);
    const patch = api.callsTo('PATCH', /comments\/1500002$/);
    expect(patch).toHaveLength(1);
  });

  it("someone else's comment carrying the marker is never edited: a new comment is created instead", async () => {
    const foreign = [
      { id: 4242, body: `${COMMENT_MARKER}\nI am a human`, user: { login: 'mallory', type: 'User' } },
      // a lookalike: the right login but not a Bot account cannot exist on GitHub; a Bot of another app is not ours either
      { id: 4243, body: `${COMMENT_MARKER}\nanother app`, user: { login: 'other-app[bot]', type: 'Bot' } },
    ];
    const { api, go } = setup(foreign);
    expect(await go({})).toBe('created');
    expect(api.callsTo('PATCH', /comments\/\d+$/)).toHaveLength(0);
    expect(api.callsTo('POST', /issues\/7\/comments$/)).toHaveLength(1);
    // the token's identity was asked for (GET /user: 404 here, 403 for GITHUB_TOKEN), and treated as the Actions bot
    expect(api.callsTo('GET', /^\/user$/)).toHaveLength(1);
  });

  it('with a token whose GET /user names a login (a PAT), that login\'s marked comment is ours', async () => {
    const { api, go } = setup([
      { id: 4242, body: `${COMMENT_MARKER}\nI am a human`, user: { login: 'mallory', type: 'User' } },
      { id: 4244, body: `${COMMENT_MARKER}\nold report`, user: { login: 'Gate-Bot-User', type: 'User' } },
    ]);
    api.reply('GET', '/user', { status: 200, body: { login: 'gate-bot-user', id: 5, type: 'User' } });
    expect(await go({})).toBe('updated');
    expect(api.callsTo('PATCH', /comments\/4244$/)).toHaveLength(1);
    expect(api.callsTo('PATCH', /comments\/4242$/)).toHaveLength(0);
  });

  it("the Actions bot's own comment is found without asking GET /user", async () => {
    const { api, go } = setup([{ id: 4242, body: `${COMMENT_MARKER}\nold`, user: BOT }]);
    expect(await go({})).toBe('updated');
    expect(api.callsTo('PATCH', /comments\/4242$/)).toHaveLength(1);
    expect(api.callsTo('GET', /^\/user$/)).toHaveLength(0);
  });

  it('turns the existing comment into a passing note when fixed; creates nothing when passing and none exists', async () => {
    const fixed = setup(recorded<unknown[]>('issues-list-comments.json'));
    expect(await fixed.go({ failed: false })).toBe('updated');
    expect(fixed.api.callsTo('PATCH', /1500002$/)[0]!.body).toEqual({ body: `${COMMENT_MARKER}\npassing note` });
    const clean = setup(others());
    expect(await clean.go({ failed: false })).toBe('skipped');
    expect(clean.api.calls.filter((c) => c.method !== 'GET')).toHaveLength(0);
  });

  it('always: writes the report even when passing; never: makes no call', async () => {
    const a = setup(others());
    expect(await a.go({ failed: false, mode: 'always' })).toBe('created');
    const n = setup(others());
    expect(await n.go({ mode: 'never' })).toBe('skipped');
    expect(n.api.calls).toHaveLength(0);
  });

  it('leaves an identical comment alone', async () => {
    const { api, go } = setup([{ id: 5, body: `${COMMENT_MARKER}\nfailing report`, user: BOT }]);
    expect(await go({})).toBe('unchanged');
    expect(api.calls.filter((c) => c.method !== 'GET')).toHaveLength(0);
  });

  it('a 403 (read-only token) is a warning naming pull-requests: write, not a failure', async () => {
    const { go, warnings } = setup(others(), { status: 403, body: recorded('error-403-integration.json') });
    expect(await go({})).toBe('not-permitted');
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toContain('`pull-requests: write`');
  });

  it('a fork pull request: warns and writes nothing', async () => {
    const { api, go, warnings } = setup(others());
    expect(await go({ fork: true })).toBe('not-permitted');
    expect(warnings[0]).toContain('from a fork');
    expect(api.calls.filter((c) => c.method !== 'GET')).toHaveLength(0);
  });

  it('a body over 65,536 characters is shortened with a note, marker kept', () => {
    const long = shorten(`${COMMENT_MARKER}\n` + 'row\n'.repeat(40000));
    expect(long.length).toBeLessThanOrEqual(COMMENT_LIMIT);
    expect(long.startsWith(COMMENT_MARKER)).toBe(true);
    expect(long).toContain('shortened: the job summary has the complete report');
    expect(shorten('short')).toBe(`${COMMENT_MARKER}\nshort`);
  });
});
