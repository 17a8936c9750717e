/**
 * The policy that judges a run. On a pull request it is read from the BASE commit, so a pull request cannot loosen
 * the policy that judges it; a pull request that changes the policy file is flagged (decision/unapproved-change).
 * Elsewhere (push, schedule, workflow_dispatch) it is the checked-out file.
 * Only the default path may be missing (the built-in policy then applies); a missing explicit `config` fails closed,
 * on a pull request also when only the pull request adds it (the base commit's policy judges, and it has none there).
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { CONFIG_PATH, DEFAULT_CONFIG, parseConfig, type Config } from '../engine/config.js';
import { gitShow, toPosix } from '../engine/tree.js';
import { ActionFailure } from './api-error.js';

export interface Policy {
  config: Config;
  /** For the summary: where the policy came from. */
  source: string;
  /** The policy file differs between the base commit and the checkout. */
  changed: boolean;
  /** The policy file's path relative to the repository's top (or the workspace when there is no repository). */
  file: string;
}

export interface PolicyInput {
  workspace: string;
  /** The repository's top; required with baseSha. */
  repoTop?: string;
  config: string;
  configIsDefault: boolean;
  /** The pull request's base commit (already present in the checkout). */
  baseSha?: string;
}

async function readHead(abs: string, shown: string): Promise<Buffer | undefined> {
  try {
    return await readFile(abs);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') return undefined;
    throw new ActionFailure(`cannot read the policy file ${shown}: ${code ?? 'error'}`);
  }
}

export async function loadPolicy(input: PolicyInput): Promise<Policy> {
  const abs = path.resolve(input.workspace, input.config);
  const top = input.repoTop ?? input.workspace;
  const file = toPosix(path.relative(top, abs));
  const head = await readHead(abs, file);
  if (!input.baseSha) {
    if (!head) {
      if (input.configIsDefault) return { config: DEFAULT_CONFIG, source: `defaults (no ${file})`, changed: false, file };
      throw new ActionFailure(`the policy file ${file} (input \`config\`) does not exist`);
    }
    return { config: parseConfig(head.toString('utf8'), file), source: `\`${file}\``, changed: false, file };
  }
  if (file.startsWith('../') || path.isAbsolute(file)) {
    throw new ActionFailure(`the policy file ${input.config} is outside the repository: on pull requests it is read from the base commit`);
  }
  const base = await gitShow(top, input.baseSha, file);
  const changed = !(base === undefined ? head === undefined : head !== undefined && base.equals(head));
  const at = input.baseSha.slice(0, 7);
  if (!base) {
    // Only the default path may be absent (no policy file = the built-in policy). An explicitly configured file that
    // the base commit lacks is a misspelled path or a policy this pull request brings: neither may judge it.
    if (input.configIsDefault) return { config: DEFAULT_CONFIG, source: `defaults (no \`${file}\` on the base commit ${at})`, changed, file };
    if (head) {
      throw new ActionFailure(
        `the policy file ${file} (input \`config\`) is not on the base commit ${at}: this pull request adds it, but a pull request is judged by ` +
          `its base commit's policy, so it cannot bring its own. Merge the policy file first, then point \`config\` at it`,
      );
    }
    throw new ActionFailure(
      `the policy file ${file} (input \`config\`) does not exist on the base commit ${at} nor in the checkout: check the path (only the default ${CONFIG_PATH} may be missing, which means the built-in policy)`,
    );
  }
  return { config: parseConfig(base.toString('utf8'), `${file} (base ${at})`), source: `\`${file}\` from the base commit ${at}`, changed, file };
}
