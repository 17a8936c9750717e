/** The action's modes. Each handler reads its inputs, does its work, sets outputs, and throws to fail the step. */
import type { ActionDeps } from '../deps.js';
import { runCheck } from './check.js';
import { runDispatch } from './dispatch.js';
import { runPreflight } from './preflight.js';
import { runVerifyEvidence } from './verify-evidence.js';

export type ModeHandler = (deps: ActionDeps) => Promise<void>;

export const MODES: Record<string, ModeHandler> = {
  check: runCheck,
  dispatch: runDispatch,
  preflight: runPreflight,
  'verify-evidence': runVerifyEvidence,
};
