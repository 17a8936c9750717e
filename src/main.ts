/**
 * The action adapter. One try/catch turns any failure into core.setFailed; each mode lives in src/action/modes/.
 * `npx @github/local-action . src/main.ts .env` runs it locally.
 */
import { defaultDeps, type ActionDeps } from './action/deps.js';
import { MODES } from './action/modes/index.js';
import { redactSecrets } from './engine/scanner/index.js';

export async function run(deps: ActionDeps = defaultDeps()): Promise<void> {
  try {
    const mode = deps.core.getInput('mode') || 'check';
    const handler = MODES[mode];
    if (!handler) throw new Error(`unknown mode ${JSON.stringify(mode)}: use one of ${Object.keys(MODES).join(', ')}`);
    await handler(deps);
  } catch (e) {
    // Error messages may quote input: no detected secret or endpoint value leaves through them.
    deps.core.setFailed(`sot-gate: ${redactSecrets(e instanceof Error ? e.message : String(e))}`);
  }
}
