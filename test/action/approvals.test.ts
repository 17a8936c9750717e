import { describe, expect, it } from 'vitest';
import { findApproval, latestDecisive, type Review } from '../../src/action/approvals.js';
import { FakeGitHub, recorded } from '../fixtures/github/fake.js';

const HEAD = 'c'.repeat(40);
const OLD = 'b'.repeat(40);
const REVIEWS = '/repos/acme/governance/pulls/7/reviews';
let id = 100;
const review = (login: string, state: string, commit = HEAD, at = `2026-06-01T1${id % 10}:00:00Z`): Review => ({ id: id++, user: { login }, state, commit_id: commit, submitted_at: at });

async function approval(reviews: unknown[], approvers: string[], api = new FakeGitHub()) {
  const warnings: string[] = [];
  api.list(REVIEWS, reviews);
  const out = await findApproval({ octokit: api.octokit(), owner: 'acme', repo: 'governance', pullNumber: 7, headSha: HEAD, author: 'pr-author', approvers, warn: (m) => warnings.push(m) });
  return { out, warnings, api };
}

describe('approvals', () => {
  it('the recorded reviews: the author self-approved, jp approved an older head, a comment: nothing counts', async () => {
    const { out } = await approval(recorded<unknown[]>('pulls-list-reviews.json', { HEAD_SHA: HEAD, OLD_SHA: OLD }), ['jp', 'pr-author']);
    expect(out.approvedBy).toBeUndefined();
    expect(out.reason).toContain("the author's own approval does not count");
    expect(out.reason).toContain(`@jp's approval is on bbbbbbb, not on the current head ccccccc`);
  });

  it('an approver approving the current head counts (login match is case-insensitive)', async () => {
    const { out } = await approval([review('JP', 'APPROVED')], ['jp']);
    expect(out.approvedBy).toBe('JP');
  });

  it('a later CHANGES_REQUESTED voids the approval; a later COMMENTED does not', async () => {
    const voided = await approval([review('jp', 'APPROVED', HEAD, '2026-06-01T10:00:00Z'), review('jp', 'CHANGES_REQUESTED', HEAD, '2026-06-01T11:00:00Z')], ['jp']);
    expect(voided.out.approvedBy).toBeUndefined();
    expect(voided.out.reason).toContain('voided by a later request for changes');
    const kept = await approval([review('jp', 'APPROVED', HEAD, '2026-06-01T10:00:00Z'), review('jp', 'COMMENTED', HEAD, '2026-06-01T11:00:00Z')], ['jp']);
    expect(kept.out.approvedBy).toBe('jp');
  });

  it('a dismissed approval does not count', async () => {
    const { out } = await approval([review('jp', 'DISMISSED')], ['jp']);
    expect(out.approvedBy).toBeUndefined();
  });

  it('a re-approval on the new head after a push counts', async () => {
    const { out } = await approval([review('jp', 'APPROVED', OLD, '2026-06-01T10:00:00Z'), review('jp', 'APPROVED', HEAD, '2026-06-01T11:00:00Z')], ['jp']);
    expect(out.approvedBy).toBe('jp');
  });

  it('an approval from someone who is not an approver does not count', async () => {
    const { out } = await approval([review('mallory', 'APPROVED')], ['jp']);
    expect(out.approvedBy).toBeUndefined();
    expect(out.reason).toContain('@mallory approved but is not one of the approvers');
  });

  it('the author is excluded even when listed as an approver', async () => {
    const { out } = await approval([review('pr-author', 'APPROVED')], ['pr-author']);
    expect(out.approvedBy).toBeUndefined();
  });

  it('reads every page of reviews', async () => {
    const many = Array.from({ length: 150 }, (_, i) => ({ id: i + 1, user: { login: `u${i}` }, state: 'COMMENTED', commit_id: HEAD, submitted_at: '2026-06-01T09:00:00Z' }));
    const { out, api } = await approval([...many, review('jp', 'APPROVED', HEAD, '2026-06-02T00:00:00Z')], ['jp']);
    expect(out.approvedBy).toBe('jp');
    expect(api.callsTo('GET', /reviews$/)).toHaveLength(2);
  });

  it('team approvers: active membership counts; 403 warns naming read:org and does not count; 5xx fails', async () => {
    const ok = new FakeGitHub().reply('GET', '/orgs/acme/teams/gov/memberships/rev', { status: 200, body: recorded('teams-membership-active.json') });
    expect((await approval([review('rev', 'APPROVED')], ['acme/gov'], ok)).out.approvedBy).toBe('rev');

    const pending = new FakeGitHub().reply('GET', '/orgs/acme/teams/gov/memberships/rev', { status: 200, body: { state: 'pending', role: 'member' } });
    expect((await approval([review('rev', 'APPROVED')], ['acme/gov'], pending)).out.approvedBy).toBeUndefined();

    const denied = new FakeGitHub().reply('GET', '/orgs/acme/teams/gov/memberships/rev', { status: 403, body: recorded('error-403-integration.json') });
    const d = await approval([review('rev', 'APPROVED')], ['acme/gov'], denied);
    expect(d.out.approvedBy).toBeUndefined();
    expect(d.warnings).toHaveLength(1);
    expect(d.warnings[0]).toContain('read:org');

    const down = new FakeGitHub().reply('GET', '/orgs/acme/teams/gov/memberships/rev', { status: 502, body: {} });
    await expect(approval([review('rev', 'APPROVED')], ['acme/gov'], down)).rejects.toThrow(/checking acme\/gov membership failed: GitHub returned 502/);
  });

  it('no approvers: no API call at all (the rule fails closed)', async () => {
    const api = new FakeGitHub();
    const out = await findApproval({ octokit: api.octokit(), owner: 'a', repo: 'b', pullNumber: 1, headSha: HEAD, author: 'x', approvers: [], warn: () => {} });
    expect(out).toEqual({ approvers: [] });
    expect(api.calls).toHaveLength(0);
  });

  it('latestDecisive orders by submitted_at, ignores COMMENTED/PENDING and the author', () => {
    const m = latestDecisive(
      [review('a', 'APPROVED', HEAD, '2026-06-01T12:00:00Z'), review('a', 'CHANGES_REQUESTED', HEAD, '2026-06-01T11:00:00Z'), review('b', 'PENDING'), review('me', 'APPROVED')],
      'ME',
    );
    expect([...m.keys()]).toEqual(['a']);
    expect(m.get('a')?.state).toBe('APPROVED');
  });
});
