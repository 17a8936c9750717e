/**
 * The sticky pull request comment: one comment, found by a hidden marker and its author (the token's identity),
 * updated in place, never a new comment per push. Anyone can write the marker: someone else's comment is never
 * edited (a new one is created instead). With `comment: on-failure` it is created only when the check fails, and an
 * existing one is turned into a passing note when the problems are fixed. A token that cannot write (fork pull requests, missing
 * `pull-requests: write`) gets a warning, never a failed check: the comment is a convenience, the check is the gate.
 */
import { isStatus, scrub } from './api-error.js';
import type { Octokit } from './deps.js';

export const COMMENT_MARKER = '<!-- sot-gate:comment -->';
/** GitHub rejects comment bodies over 65,536 characters. */
export const COMMENT_LIMIT = 65536;

export type CommentMode = 'on-failure' | 'always' | 'never';

export interface CommentInput {
  octokit: Octokit;
  owner: string;
  repo: string;
  issueNumber: number;
  mode: CommentMode;
  failed: boolean;
  /** The report (Markdown): used when failing, or always with `comment: always`. */
  body: string;
  /** The note that replaces an earlier failure comment once the check passes. */
  passingBody: string;
  /** The head repository is a fork: the token is read-only. */
  fork: boolean;
  warn: (message: string) => void;
  secrets?: readonly string[];
}

export type CommentResult = 'created' | 'updated' | 'unchanged' | 'skipped' | 'not-permitted';

/** Shorten to the limit (in UTF-16 units, as GitHub counts), with a note, keeping the marker first. */
export function shorten(body: string, limit = COMMENT_LIMIT): string {
  const full = body.startsWith(COMMENT_MARKER) ? body : `${COMMENT_MARKER}\n${body}`;
  if (full.length <= limit) return full;
  const note = '\n\n… (shortened: the job summary has the complete report)\n';
  let cut = full.slice(0, limit - note.length);
  const nl = cut.lastIndexOf('\n');
  if (nl > limit / 2) cut = cut.slice(0, nl);
  return cut + note;
}

/** The identity of the default GITHUB_TOKEN (an installation token of the GitHub Actions app). */
export const ACTIONS_BOT = 'github-actions[bot]';

interface CommentUser {
  login: string;
  type?: string;
}

/** The token's own login from GET /user, or undefined when it has none: installation tokens (GITHUB_TOKEN) get a 403 there. */
async function tokenLogin(octokit: Octokit): Promise<string | undefined> {
  try {
    return (await octokit.rest.users.getAuthenticated()).data.login;
  } catch {
    return undefined;
  }
}

/** Written by the default GITHUB_TOKEN: type Bot and login github-actions[bot] (no user or other app can have it). */
function isActionsBot(u: CommentUser | null | undefined): boolean {
  return u?.type === 'Bot' && u.login === ACTIONS_BOT;
}

const PERMISSION_HELP =
  'the token cannot write pull request comments: grant `pull-requests: write` to this job (for pull requests from forks GitHub gives a read-only token, so no comment is possible; the job summary and annotations still report everything)';

export async function upsertComment(input: CommentInput): Promise<CommentResult> {
  if (input.mode === 'never') return 'skipped';
  const base = { owner: input.owner, repo: input.repo };
  const denied = (e: unknown): CommentResult => {
    if (isStatus(e, 401, 403, 404)) {
      input.warn(`sot-gate: no pull request comment: ${PERMISSION_HELP} (HTTP ${(e as { status: number }).status}).`);
      return 'not-permitted';
    }
    input.warn(`sot-gate: the pull request comment could not be written (${scrub((e as Error).message?.split('\n')[0] ?? 'error', input.secrets)}); the check result is unaffected.`);
    return 'skipped';
  };
  let existing: { id: number; body?: string | null } | undefined;
  try {
    const comments = await input.octokit.paginate(input.octokit.rest.issues.listComments, { ...base, issue_number: input.issueNumber, per_page: 100 });
    // Ours: a marked comment by the Actions bot, or by the login GET /user names for this token (a PAT). GET /user is
    // asked only when a marked comment has another author, so the usual run (GITHUB_TOKEN, its own comment) makes no
    // extra call; installation tokens get a 403 there. A GitHub App token other than GITHUB_TOKEN cannot learn its bot
    // login (GET /user and GET /app refuse it): its earlier comments are not recognised and a new one is created,
    // never someone else's edited.
    const marked = comments.filter((c) => c.body?.startsWith(COMMENT_MARKER));
    const self = marked.some((c) => !isActionsBot(c.user)) ? await tokenLogin(input.octokit) : undefined;
    existing = marked.find((c) => isActionsBot(c.user) || (self !== undefined && c.user?.login.toLowerCase() === self.toLowerCase()));
  } catch (e) {
    return denied(e);
  }
  const wantReport = input.failed || input.mode === 'always';
  if (!existing && !wantReport) return 'skipped';
  const body = shorten(wantReport ? input.body : input.passingBody);
  if (existing?.body === body) return 'unchanged';
  if (input.fork) {
    input.warn(`sot-gate: no pull request comment on a pull request from a fork: ${PERMISSION_HELP}.`);
    return 'not-permitted';
  }
  try {
    if (existing) {
      await input.octokit.rest.issues.updateComment({ ...base, comment_id: existing.id, body });
      return 'updated';
    }
    await input.octokit.rest.issues.createComment({ ...base, issue_number: input.issueNumber, body });
    return 'created';
  } catch (e) {
    return denied(e);
  }
}
