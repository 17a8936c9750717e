/**
 * Starting the Stage 2 workflow: only when the policy check says the repository is stage2-ready, then
 * createWorkflowDispatch (asking for the run details), finding the run when the API returns none (204), and
 * optionally waiting for it to complete, with a time limit.
 *
 * The client is injected (an Octokit or a typed fake): nothing here builds one.
 */
import { treeErrorCount } from '../check.js';
import type { CheckResult } from '../types.js';
import { EvaluationError } from '../types.js';

/** The part of Octokit's REST API that dispatch uses. A real Octokit is assignable to it. */
export interface DispatchClient {
  rest: {
    actions: {
      createWorkflowDispatch(params: {
        owner: string;
        repo: string;
        workflow_id: string | number;
        ref: string;
        inputs?: Record<string, unknown>;
        return_run_details?: boolean;
      }): Promise<{ status: number; data: unknown }>;
      listWorkflowRuns(params: {
        owner: string;
        repo: string;
        workflow_id: string | number;
        event?: string;
        branch?: string;
        created?: string;
        per_page?: number;
      }): Promise<{ data: { total_count?: number; workflow_runs: WorkflowRun[] } }>;
      getWorkflowRun(params: { owner: string; repo: string; run_id: number }): Promise<{ data: WorkflowRun }>;
    };
  };
}

export interface WorkflowRun {
  id: number;
  html_url: string;
  status: string | null;
  conclusion: string | null;
  created_at: string;
  event?: string;
  head_branch?: string | null;
}

export interface Readiness {
  ready: boolean;
  reasons: string[];
  provider?: string;
  model?: string;
}

/**
 * stage2-ready: the decision is decided, the admission file is valid, admitted and matches the decision (the engine
 * lists it among admittedPairs only then: no error finding on it, suppressed or not), and there is no error finding
 * anywhere (a suppressed governance error counts: treeErrors).
 */
export function stage2Readiness(result: CheckResult, admissionRel: string, decidedStatuses: readonly string[]): Readiness {
  const reasons: string[] = [];
  const status = result.decision?.status;
  if (!result.decision) reasons.push('no decision record found');
  else if (!status || !decidedStatuses.includes(status)) reasons.push(`decision_status is ${status ?? '(missing)'} in ${result.decision.file}: nothing may run until a decision is made`);
  const pair = result.admittedPairs.find((p) => p.file === admissionRel);
  if (!result.filesEvaluated.includes(admissionRel)) reasons.push(`${admissionRel} is not an admission file sot-gate check evaluates (missing, or not matched by admission-files)`);
  else if (!pair) {
    const first = [...result.findings, ...result.suppressed].find((f) => f.file === admissionRel && f.severity === 'error');
    reasons.push(`${admissionRel} does not admit a pair${first ? ` (${first.ruleId} at line ${first.line})` : ' (its status is not admitted)'}`);
  }
  // The whole tree, and a suppressed governance error counts: suppression never decides an admission.
  const errors = treeErrorCount(result);
  if (errors > 0) {
    const first = result.treeErrors?.first ?? [...result.findings, ...result.suppressed].find((f) => f.severity === 'error');
    reasons.push(`sot-gate check reports ${errors} error finding${errors > 1 ? 's' : ''}${first ? ` (first: ${first.ruleId} in ${first.file}:${first.line})` : ''}`);
  }
  return { ready: reasons.length === 0, reasons, ...(pair ? { provider: pair.provider, model: pair.model } : {}) };
}

export interface DispatchOptions {
  client: DispatchClient;
  owner: string;
  repo: string;
  /** Workflow file name (e.g. sot-gate-stage2.yml) or id. */
  workflow: string;
  /** Branch or tag to run the workflow on (refs/heads/ prefix allowed). */
  ref: string;
  inputs: { 'admission-file': string; provider: string; model: string };
  wait: boolean;
  timeoutMs: number;
  now: () => Date;
  sleep: (ms: number) => Promise<void>;
  log: (line: string) => void;
  /** Tries of the run lookup after a 204 (default 10, about a minute with the backoff). */
  findTries?: number;
}

export interface DispatchOutcome {
  runId?: number;
  runUrl?: string;
  /** Set when waited: the run's conclusion. */
  conclusion?: string;
  /** How the run was found: from the dispatch response, or by polling the run list. */
  found: 'details' | 'polling' | 'not-found';
  notes: string[];
}

export class DispatchError extends EvaluationError {}

const statusOf = (e: unknown): number | undefined => {
  const s = (e as { status?: unknown })?.status;
  return typeof s === 'number' ? s : undefined;
};

const apiMessage = (e: unknown): string => {
  const m = (e as { response?: { data?: { message?: unknown } }; message?: unknown })?.response?.data?.message ?? (e as { message?: unknown })?.message;
  return typeof m === 'string' ? m.split('\n')[0]!.slice(0, 200) : '';
};

/** A clear, specific message for an API failure, naming the cause or the missing permission. */
export function describeApiError(e: unknown, what: string, o: Pick<DispatchOptions, 'owner' | 'repo' | 'workflow' | 'ref'>): DispatchError {
  const status = statusOf(e);
  const repo = `${o.owner}/${o.repo}`;
  if (status === 404) {
    return new DispatchError(
      `${what}: workflow ${o.workflow} not found in ${repo} (HTTP 404). Check that .github/workflows/${o.workflow} exists on ${o.ref} and declares on: workflow_dispatch, and that the token can see ${repo}.`,
    );
  }
  if (status === 403) {
    return new DispatchError(
      `${what}: the token may not start workflows in ${repo} (HTTP 403: ${apiMessage(e) || 'forbidden'}). It needs the actions: write permission (permissions: actions: write in the calling job, or a fine-grained token with Actions: read and write).`,
    );
  }
  if (status === 401) return new DispatchError(`${what}: the token was rejected (HTTP 401): set GITHUB_TOKEN / the token input to a valid token`);
  if (status === 422) {
    return new DispatchError(`${what}: GitHub rejected the dispatch (HTTP 422: ${apiMessage(e) || 'unprocessable'}). The workflow must declare on: workflow_dispatch with the inputs admission-file, provider and model, and ${o.ref} must exist.`);
  }
  return new DispatchError(`${what}: GitHub API error${status ? ` (HTTP ${status})` : ''}: ${apiMessage(e) || 'request failed'}`);
}

const branchOf = (ref: string): string | undefined => {
  if (ref.startsWith('refs/tags/') || /^[0-9a-f]{40}$/.test(ref)) return undefined;
  return ref.replace(/^refs\/heads\//, '');
};

/** Dispatch the workflow and find (and optionally wait for) its run. Throws DispatchError with a specific message. */
export async function dispatchStage2(o: DispatchOptions): Promise<DispatchOutcome> {
  const { client, owner, repo, workflow } = o;
  const ref = o.ref.replace(/^refs\/heads\//, '');
  const base = { owner, repo, workflow_id: workflow, ref, inputs: { ...o.inputs } };
  const notes: string[] = [];
  // Minus a little clock skew between this machine and GitHub, for the run lookup.
  const dispatchedAt = new Date(o.now().getTime() - 10_000);
  let res: { status: number; data: unknown };
  try {
    res = await client.rest.actions.createWorkflowDispatch({ ...base, return_run_details: true });
  } catch (e) {
    // GitHub Enterprise Server without the run-details parameter: retry once without it.
    const s = statusOf(e);
    if ((s === 400 || s === 422) && /return_run_details/i.test(apiMessage(e))) {
      notes.push('this GitHub does not support return_run_details: the run is found by polling');
      try {
        res = await client.rest.actions.createWorkflowDispatch(base);
      } catch (e2) {
        throw describeApiError(e2, 'dispatch failed', o);
      }
    } else throw describeApiError(e, 'dispatch failed', o);
  }
  let runId: number | undefined;
  let runUrl: string | undefined;
  let found: DispatchOutcome['found'] = 'not-found';
  const details = res.data as { workflow_run_id?: unknown; html_url?: unknown } | undefined;
  if (res.status === 200 && details && (typeof details.workflow_run_id === 'number' || typeof details.workflow_run_id === 'bigint')) {
    runId = Number(details.workflow_run_id);
    runUrl = typeof details.html_url === 'string' ? details.html_url : undefined;
    found = 'details';
  } else {
    const run = await findRun(o, ref, dispatchedAt, notes);
    if (run) {
      runId = run.id;
      runUrl = run.html_url;
      found = 'polling';
    }
  }
  o.log(runId ? `dispatched ${workflow} on ${ref}: run ${runId}${runUrl ? ` ${runUrl}` : ''}` : `dispatched ${workflow} on ${ref}; the run was not found yet`);
  if (!o.wait) return { ...(runId ? { runId } : {}), ...(runUrl ? { runUrl } : {}), found, notes };
  if (!runId) throw new DispatchError(`dispatched ${workflow} on ${ref}, but its run could not be found to wait for it: see the Actions tab of ${owner}/${repo}`);
  const done = await waitForRun(o, runId, runUrl);
  return { runId, runUrl: done.html_url || runUrl || '', conclusion: done.conclusion ?? 'unknown', found, notes };
}

async function findRun(o: DispatchOptions, ref: string, since: Date, notes: string[]): Promise<WorkflowRun | undefined> {
  const tries = o.findTries ?? 10;
  const branch = branchOf(ref);
  for (let i = 0; i < tries; i++) {
    if (i > 0) await o.sleep(Math.min(2_000 * i, 10_000));
    let runs: WorkflowRun[];
    try {
      const res = await o.client.rest.actions.listWorkflowRuns({
        owner: o.owner,
        repo: o.repo,
        workflow_id: o.workflow,
        event: 'workflow_dispatch',
        ...(branch ? { branch } : {}),
        created: `>=${since.toISOString().replace(/\.\d{3}Z$/, 'Z')}`,
        per_page: 20,
      });
      runs = res.data.workflow_runs;
    } catch (e) {
      throw describeApiError(e, 'listing the workflow runs failed', o);
    }
    const candidates = runs.filter((r) => Date.parse(r.created_at) >= since.getTime()).sort((a, b) => Date.parse(a.created_at) - Date.parse(b.created_at) || a.id - b.id);
    if (candidates.length) {
      if (candidates.length > 1) notes.push(`${candidates.length} runs of ${o.workflow} were dispatched at about the same time: picked the earliest (${candidates[0]!.id})`);
      return candidates[0];
    }
  }
  notes.push(`the run did not appear in the run list after ${tries} tries`);
  return undefined;
}

async function waitForRun(o: DispatchOptions, runId: number, runUrl: string | undefined): Promise<WorkflowRun> {
  const deadline = o.now().getTime() + o.timeoutMs;
  let delay = 5_000;
  let last: WorkflowRun | undefined;
  for (;;) {
    try {
      last = (await o.client.rest.actions.getWorkflowRun({ owner: o.owner, repo: o.repo, run_id: runId })).data;
    } catch (e) {
      throw describeApiError(e, `reading run ${runId} failed`, o);
    }
    if (last.status === 'completed') return last;
    const left = deadline - o.now().getTime();
    if (left <= 0) {
      const minutes = Math.round((o.timeoutMs / 60_000) * 10) / 10;
      throw new DispatchError(
        `run ${runId} did not complete within ${minutes} minute${minutes === 1 ? '' : 's'} (last status: ${last.status ?? 'unknown'}): it keeps running; see ${last.html_url || runUrl || `the Actions tab of ${o.owner}/${o.repo}`}`,
      );
    }
    await o.sleep(Math.min(delay, left));
    delay = Math.min(delay * 2, 30_000);
  }
}
