/** The action's modes. Each handler reads its inputs, does its work, sets outputs, and throws to fail the step. */
import type { ActionDeps } from '../deps.js';
import { runCheck } from './check.js';

export type ModeHandler = (deps: ActionDeps) => Promise<void>;

export const MODES: Record<string, ModeHandler> = {
  check: runCheck,
};
