/**
 * Is there an approving review that counts? From one of the policy's `approvers` (login or org/team), not the
 * pull request's author, on the current head commit, and still that reviewer's latest decisive review
 * (a later CHANGES_REQUESTED or a dismissal voids it; COMMENTED reviews do not change it).
 */
import type { ApprovalState } from '../engine/rules/decision/unapproved-change.js';
import { ActionFailure, describeApiError, isStatus } from './api-error.js';
import type { Octokit } from './deps.js';

/** The fields of a pulls.listReviews item the decision uses. */
export interface Review {
  id: number;
  user: { login: string } | null;
  state: string;
  commit_id: string | null;
  submitted_at?: string | null;
}

const DECISIVE = new Set(['APPROVED', 'CHANGES_REQUESTED', 'DISMISSED']);

/** Each reviewer's latest decisive review (by submitted_at, then id), the author excluded. Keys are lower-case logins. */
export function latestDecisive(reviews: readonly Review[], author: string | undefined): Map<string, Review & { user: { login: string } }> {
  const sorted = [...reviews].sort((a, b) => (a.submitted_at ?? '').localeCompare(b.submitted_at ?? '') || a.id - b.id);
  const latest = new Map<string, Review & { user: { login: string } }>();
  for (const r of sorted) {
    if (!r.user || !DECISIVE.has(r.state)) continue;
    const login = r.user.login.toLowerCase();
    if (author && login === author.toLowerCase()) continue;
    latest.set(login, r as Review & { user: { login: string } });
  }
  return latest;
}

export interface ApprovalInput {
  octokit: Octokit;
  owner: string;
  repo: string;
  pullNumber: number;
  headSha: string;
  author: string | undefined;
  approvers: readonly string[];
  warn: (message: string) => void;
  secrets?: readonly string[];
}

const short = (sha: string | null) => (sha ?? 'unknown').slice(0, 7);

export async function findApproval(input: ApprovalInput): Promise<ApprovalState> {
  const { approvers } = input;
  if (!approvers.length) return { approvers };
  let reviews: Review[];
  try {
    reviews = await input.octokit.paginate(input.octokit.rest.pulls.listReviews, {
      owner: input.owner,
      repo: input.repo,
      pull_number: input.pullNumber,
      per_page: 100,
    });
  } catch (e) {
    throw new ActionFailure(describeApiError(e, "reading the pull request's reviews", 'pull-requests: read', input.secrets));
  }
  const users = new Set(approvers.filter((a) => !a.includes('/')).map((a) => a.toLowerCase()));
  const teams = approvers.filter((a) => a.includes('/'));
  const notes: string[] = [];
  const selfApproved = reviews.some((r) => r.state === 'APPROVED' && input.author && r.user?.login.toLowerCase() === input.author.toLowerCase());
  if (selfApproved) notes.push("the author's own approval does not count");

  const candidates: string[] = [];
  for (const r of latestDecisive(reviews, input.author).values()) {
    const login = r.user.login;
    if (r.state !== 'APPROVED') {
      if (reviews.some((x) => x.user?.login.toLowerCase() === login.toLowerCase() && x.state === 'APPROVED')) {
        notes.push(`@${login}'s approval was voided by a later ${r.state === 'DISMISSED' ? 'dismissal' : 'request for changes'}`);
      }
      continue;
    }
    if (r.commit_id !== input.headSha) {
      notes.push(`@${login}'s approval is on ${short(r.commit_id)}, not on the current head ${short(input.headSha)} (a later push voids it)`);
      continue;
    }
    candidates.push(login);
  }
  for (const login of candidates) if (users.has(login.toLowerCase())) return { approvers, approvedBy: login };

  const warned = new Set<string>();
  for (const login of candidates) {
    for (const team of teams) {
      const [org, slug] = team.split('/') as [string, string];
      try {
        const { data } = await input.octokit.rest.teams.getMembershipForUserInOrg({ org, team_slug: slug, username: login });
        if (data.state === 'active') return { approvers, approvedBy: login };
      } catch (e) {
        if (isStatus(e, 403, 404)) {
          if (!warned.has(team)) {
            warned.add(team);
            input.warn(
              `sot-gate: could not confirm that @${login} is a member of ${team} (HTTP ${(e as { status: number }).status}): either they are not, ` +
                'or the token cannot read team membership. Team approvers need a token with `read:org` (a PAT, or a GitHub App token with Members: read); ' +
                'the default GITHUB_TOKEN cannot read teams. Treated as not approved.',
            );
          }
          continue;
        }
        throw new ActionFailure(describeApiError(e, `checking ${team} membership`, 'read:org', input.secrets));
      }
    }
    notes.push(`@${login} approved but is not one of the approvers`);
  }
  if (!candidates.length && !notes.length) notes.push('no approving review yet');
  return { approvers, reason: notes.slice(0, 4).join('; ') };
}
