/**
 * `mode: dispatch` — start the Stage 2 workflow, only when the repository is stage2-ready (policy check over the
 * whole tree). Inputs: workflow (required), admission-file (required), ref (default: the triggering ref; on a
 * pull request, its head branch), wait, wait-timeout-minutes, path / repository-root, config, token (needs
 * actions: write). Outputs: run-id, run-url, conclusion (with wait).
 */
import path from 'node:path';
import { evaluate } from '../../engine/check.js';
import { CONFIG_PATH, type Config } from '../../engine/config.js';
import { loadBaseline } from '../../engine/load.js';
import { dispatchStage2, stage2Readiness } from '../../engine/stage2/dispatch.js';
import { loadTree, shown, toPosix } from '../../engine/tree.js';
import type { ActionDeps } from '../deps.js';
import { ensureCommit, repoTop } from '../git.js';
import { loadPolicy } from '../policy.js';
import { booleanInput } from '../inputs.js';
import { assertPullRequestCheckout } from './check.js';
import { findApproval } from '../approvals.js';
import { changesOf, openPullRequestsOf, pullRequestTrees } from '../pull-request.js';
import { plural } from '../../engine/report/summary.js';
import { policy, repoRoot, writeSummary } from './preflight.js';

export async function runDispatch(deps: ActionDeps): Promise<void> {
  const { core, context } = deps;
  const workflow = core.getInput('workflow');
  const admissionInput = core.getInput('admission-file');
  if (!workflow) throw new Error('mode dispatch needs the workflow input (the Stage 2 workflow file, e.g. sot-gate-stage2.yml)');
  if (!admissionInput) throw new Error('mode dispatch needs the admission-file input');
  const prHead = context.payload.pull_request?.head.ref;
  const ref = core.getInput('ref') || prHead || context.ref;
  if (!ref) throw new Error('mode dispatch needs the ref input');
  const timeoutRaw = core.getInput('wait-timeout-minutes') || '60';
  const timeoutMinutes = Number(timeoutRaw);
  if (!Number.isFinite(timeoutMinutes) || timeoutMinutes <= 0 || timeoutMinutes > 1440) {
    throw new Error(`input \`wait-timeout-minutes\` must be a number of minutes greater than 0 and at most 1440, not ${JSON.stringify(timeoutRaw.slice(0, 40))}`);
  }
  const wait = booleanInput(core, 'wait', false);

  const root = repoRoot(deps);
  const token = core.getInput('token').trim();
  const secrets = token ? [token] : [];
  const { owner, repo } = context.repo;
  // On a pull request the readiness is judged on the checked-out tree: it must be the pull request's, as in check mode.
  // The policy comes from the base commit, as in check mode: a pull request cannot loosen the rules that judge it.
  let pr = context.payload.pull_request;
  let config: Config;
  let top: string | undefined;
  let policyFile = '';
  const loadPrPolicy = async (p: NonNullable<typeof pr>) => {
    top = await repoTop(root);
    if (!top) throw new Error(`${shown(toPosix(path.relative(deps.cwd, root)) || '.')} is not inside a git checkout: run actions/checkout before sot-gate`);
    await assertPullRequestCheckout(top, p, context);
    await ensureCommit(top, p.base.sha);
    const input = core.getInput('config');
    const configIsDefault = !input || input === CONFIG_PATH;
    const file = configIsDefault ? path.relative(deps.cwd, path.join(root, CONFIG_PATH)) : input;
    const loaded = await loadPolicy({ workspace: deps.cwd, repoTop: top, config: file, configIsDefault, baseSha: p.base.sha });
    policyFile = loaded.file;
    return loaded.config;
  };
  config = pr ? await loadPrPolicy(pr) : await policy(deps, root);
  const admissionRel = toPosix(path.relative(root, path.resolve(deps.cwd, admissionInput)));
  const decided = config.vocabularies['decision-status'].filter((s) => s !== 'not_decided');
  const today = deps.now().toISOString().slice(0, 10);
  let ready = stage2Readiness(evaluate({ files: await loadTree(root, config), config, baseline: await loadBaseline(root, config), today }), admissionRel, decided);
  const notReady = async (reasons: string[]) => {
    core.setOutput('stage2-ready', 'false');
    await writeSummary(core, `## ⛔ sot-gate dispatch: not stage2-ready\n\n${reasons.map((r) => `- ${r}`).join('\n')}\n`);
    throw new Error(`not stage2-ready: ${reasons.join('; ')}`);
  };
  if (!ready.ready || !ready.provider || !ready.model) await notReady(ready.reasons);

  // Change control, as in check mode: a pull request (the event's, or the open one whose head this commit is) that
  // changes the protected surface dispatches only with an approval that counts, and its merge is what is judged.
  if (!pr && /^[0-9a-f]{40}$/i.test(context.sha) && !/^0+$/.test(context.sha)) {
    const open = await openPullRequestsOf(deps.octokit(), owner, repo, context.sha, secrets);
    if (open.length > 1) await notReady([`the commit ${context.sha.slice(0, 12)} is the head of ${open.length} open pull requests: dispatch from one of them`]);
    if (open[0]) {
      pr = open[0];
      config = await loadPrPolicy(pr);
    }
  }
  if (pr && top) {
    const rootRel = toPosix(path.relative(top, root)) || '.';
    const trees = await pullRequestTrees({ octokit: deps.octokit(), owner, repo, top, root, rootRel, pr, config, policyFile, secrets });
    ready = stage2Readiness(evaluate({ files: trees.merged, config, base: trees.base, today }), admissionRel, decided);
    if (!ready.ready || !ready.provider || !ready.model) await notReady(ready.reasons);
    const changes = changesOf(trees, config);
    if (changes.length) {
      const approval = config.approvers.length
        ? await findApproval({ octokit: deps.octokit(), owner, repo, pullNumber: pr.number, headSha: pr.head.sha, author: pr.user?.login, approvers: config.approvers, warn: (m) => core.warning(m), secrets })
        : { approvers: config.approvers };
      if (!('approvedBy' in approval) || !approval.approvedBy) {
        const names = changes.slice(0, 5).map((c) => `${shown(c.file)} (${c.change})`).join(', ');
        await notReady([
          `pull request #${pr.number} changes ${plural(changes.length, 'protected file')} (${names}) without an approval that counts${'reason' in approval && approval.reason ? ` (${approval.reason})` : config.approvers.length ? '' : ' (the base policy names no approvers)'}`,
        ]);
      }
    }
  }
  core.setOutput('stage2-ready', 'true');
  if (!ready.provider || !ready.model) return;
  const repoRootRel = toPosix(path.relative(deps.cwd, root));
  const admissionForRunner = repoRootRel && repoRootRel !== '.' ? `${repoRootRel}/${admissionRel}` : admissionRel;
  const out = await dispatchStage2({
    client: deps.octokit(),
    owner: context.repo.owner,
    repo: context.repo.repo,
    workflow,
    ref,
    inputs: { 'admission-file': admissionForRunner, provider: ready.provider, model: ready.model },
    wait,
    timeoutMs: timeoutMinutes * 60_000,
    now: deps.now,
    sleep: (ms) => new Promise((r) => setTimeout(r, ms)),
    log: (l) => core.info(`sot-gate: ${l}`),
  });
  if (out.runId) core.setOutput('run-id', String(out.runId));
  if (out.runUrl) core.setOutput('run-url', out.runUrl);
  if (out.conclusion) core.setOutput('conclusion', out.conclusion);
  for (const n of out.notes) core.info(`sot-gate: ${n}`);
  const link = out.runUrl ? `[run ${out.runId}](${out.runUrl})` : 'the run (not found yet: see the Actions tab)';
  await writeSummary(
    core,
    `## ${out.conclusion && out.conclusion !== 'success' ? '⛔' : '🚀'} sot-gate dispatch: Stage 2 ${out.conclusion ? `finished: ${out.conclusion}` : 'started'}\n\n- Workflow: \`${workflow}\` on \`${ref}\`.\n- Pair: \`${ready.provider}\` / \`${ready.model}\` (${admissionForRunner}).\n- Run: ${link}.\n`,
  );
  if (out.conclusion && out.conclusion !== 'success') throw new Error(`the Stage 2 run ${out.runId} concluded ${out.conclusion}: ${out.runUrl ?? ''}`.trim());
}
