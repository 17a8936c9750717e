/**
 * The pull request's changed files: from the API (pulls.listFiles, paginated), or, when the API cannot give the full
 * list (it stops at 3,000 files) or fails, from `git diff` between the base commit and the checked-out head.
 * Renames keep both names; deletions are kept (deleting an admission file is itself a change to report).
 */
import { ActionFailure, describeApiError } from './api-error.js';
import type { Octokit } from './deps.js';
import { diffNameStatus, ensureCommit } from './git.js';

export type ChangeStatus = 'added' | 'removed' | 'modified' | 'renamed' | 'copied' | 'changed' | 'unchanged';

export interface ChangedFile {
  /** Path relative to the repository's top, POSIX separators. */
  path: string;
  status: ChangeStatus;
  /** The old name of a renamed (or copied) file. */
  previousPath?: string;
}

export interface ChangedFiles {
  files: ChangedFile[];
  source: 'api' | 'git';
  /** Why git was used, when it was. */
  fallbackReason?: string;
  /**
   * git was used because the API call failed (permission, outage): the caller warns, naming the reason (a 403 names
   * `pull-requests: read`). Not set for the 3,000-file limit, which is expected.
   */
  apiFailed?: true;
}

/** GitHub's pulls.listFiles returns at most this many files. */
export const API_FILE_LIMIT = 3000;

export interface ChangedFilesInput {
  octokit: Octokit;
  owner: string;
  repo: string;
  pullNumber: number;
  /** The repository's top in the workspace. */
  cwd: string;
  baseSha: string;
  /** The checked-out revision to diff against (default HEAD: the tree that is evaluated). */
  head?: string;
  secrets?: readonly string[];
}

const STATUSES: readonly string[] = ['added', 'removed', 'modified', 'renamed', 'copied', 'changed', 'unchanged'];

export async function listChangedFiles(input: ChangedFilesInput): Promise<ChangedFiles> {
  let reason: string;
  let apiFailed = false;
  try {
    const items = await input.octokit.paginate(input.octokit.rest.pulls.listFiles, {
      owner: input.owner,
      repo: input.repo,
      pull_number: input.pullNumber,
      per_page: 100,
    });
    if (items.length < API_FILE_LIMIT) {
      return {
        source: 'api',
        files: items.map((f) => ({
          path: f.filename,
          status: (STATUSES.includes(f.status) ? f.status : 'modified') as ChangeStatus,
          ...(f.previous_filename ? { previousPath: f.previous_filename } : {}),
        })),
      };
    }
    reason = `the API lists at most ${API_FILE_LIMIT} files and this pull request has at least ${items.length}`;
  } catch (e) {
    reason = describeApiError(e, "listing the pull request's files", 'pull-requests: read', input.secrets);
    apiFailed = true;
  }
  try {
    await ensureCommit(input.cwd, input.baseSha);
    return { source: 'git', files: await diffNameStatus(input.cwd, input.baseSha, input.head ?? 'HEAD'), fallbackReason: reason, ...(apiFailed ? { apiFailed: true as const } : {}) };
  } catch (e) {
    throw new ActionFailure(`cannot list the pull request's changed files: ${reason}; and git diff failed: ${(e as Error).message}`);
  }
}

/** Every path a change touches: both names of a rename. */
export function touchedPaths(files: readonly ChangedFile[]): string[] {
  return files.flatMap((f) => (f.previousPath && f.previousPath !== f.path ? [f.path, f.previousPath] : [f.path]));
}
