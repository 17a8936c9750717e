/** The action's inputs, read and validated in one place; a bad value fails the step naming the input. */
import { CONFIG_PATH } from '../engine/config.js';
import { ActionFailure } from './api-error.js';
import type { CommentMode } from './comment-pr.js';
import type { Core } from './deps.js';

export type Scope = 'changed' | 'all';
export type FailOn = 'error' | 'warning' | 'never';

export interface CheckInputs {
  token: string;
  /** The root to check, relative to the workspace. */
  path: string;
  /** The policy file, relative to the workspace. */
  config: string;
  /** True when `config` was left at its default (a missing file then means the default policy). */
  configIsDefault: boolean;
  scope: Scope;
  comment: CommentMode;
  sarifFile?: string;
  failOn: FailOn;
}

export const PR_EVENTS = new Set(['pull_request', 'pull_request_review', 'pull_request_target']);

function oneOf<T extends string>(core: Pick<Core, 'getInput'>, name: string, allowed: readonly T[], fallback: T): T {
  const v = core.getInput(name).trim() || fallback;
  if (!(allowed as readonly string[]).includes(v)) {
    throw new ActionFailure(`input \`${name}\` must be one of ${allowed.join(', ')}, not ${JSON.stringify(v.slice(0, 40))}`);
  }
  return v as T;
}

/** YAML 1.2 core schema booleans, as @actions/core's getBooleanInput accepts them. */
const TRUE = ['true', 'True', 'TRUE'];
const FALSE = ['false', 'False', 'FALSE'];

/**
 * A boolean input: empty means `fallback`; anything but the YAML 1.2 core booleans (true, True, TRUE, false, False,
 * FALSE) fails naming the input, so `yes` or `on` is never read silently as false.
 */
export function booleanInput(core: Pick<Core, 'getInput'>, name: string, fallback: boolean): boolean {
  const v = core.getInput(name).trim();
  if (!v) return fallback;
  if (TRUE.includes(v)) return true;
  if (FALSE.includes(v)) return false;
  throw new ActionFailure(`input \`${name}\` must be true or false (also True, TRUE, False, FALSE), not ${JSON.stringify(v.slice(0, 40))}`);
}

export function readCheckInputs(core: Pick<Core, 'getInput' | 'setSecret'>, eventName: string): CheckInputs {
  const token = core.getInput('token').trim();
  if (token) core.setSecret(token);
  const config = core.getInput('config').trim();
  const sarifFile = core.getInput('sarif-file').trim();
  const scopeDefault: Scope = eventName === 'pull_request' || eventName === 'pull_request_review' ? 'changed' : 'all';
  const scope = oneOf<Scope>(core, 'scope', ['changed', 'all'], scopeDefault);
  return {
    token,
    path: core.getInput('path').trim() || '.',
    config: config || CONFIG_PATH,
    configIsDefault: !config || config === CONFIG_PATH,
    scope,
    comment: oneOf<CommentMode>(core, 'comment', ['on-failure', 'always', 'never'], 'on-failure'),
    ...(sarifFile ? { sarifFile } : {}),
    failOn: oneOf<FailOn>(core, 'fail-on', ['error', 'warning', 'never'], 'error'),
  };
}
