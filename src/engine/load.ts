/** Loading the policy and the inputs of a check from disk: shared by the CLI and the action. */
import { lstat, readFile } from 'node:fs/promises';
import path from 'node:path';
import { CONFIG_PATH, DEFAULT_CONFIG, parseConfig, type Config } from './config.js';
import { parseBaseline, type BaselineEntry } from './suppress.js';
import { shown } from './tree.js';
import { EvaluationError } from './types.js';

/**
 * The text of a file the policy names, or undefined when it does not exist. Only a regular file is read: a FIFO would
 * block forever, a device never ends, and a symbolic link is never followed (it could point outside the workspace).
 */
async function readRegular(file: string, what: string): Promise<string | undefined> {
  let st;
  try {
    st = await lstat(file);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw new EvaluationError(`cannot read ${what}: ${(e as NodeJS.ErrnoException).code ?? 'error'}`);
  }
  if (!st.isFile()) throw new EvaluationError(`${what}: not a regular file (symbolic links are never followed)`);
  try {
    return await readFile(file, 'utf8');
  } catch (e) {
    throw new EvaluationError(`cannot read ${what}: ${(e as NodeJS.ErrnoException).code ?? 'error'}`);
  }
}

/**
 * The config from an explicit file, else `<root>/.github/sot-gate.yml`, else the defaults (the seeds' policy).
 * `display`: how messages name the explicit file (the CLI passes it relative to the current directory).
 */
export async function loadConfig(root: string, explicit?: string, display?: string): Promise<{ config: Config; source: string }> {
  const source = explicit === undefined ? CONFIG_PATH : (display ?? shown(explicit));
  const text = await readRegular(explicit ?? path.join(root, CONFIG_PATH), `config ${source}`);
  if (text === undefined) {
    if (explicit !== undefined) throw new EvaluationError(`cannot read config ${source}: ENOENT`);
    return { config: DEFAULT_CONFIG, source: '(defaults)' };
  }
  return { config: parseConfig(text, source), source };
}

export async function loadBaseline(root: string, config: Config): Promise<BaselineEntry[]> {
  const rel = config.secrets.baseline;
  if (!rel) return [];
  const text = await readRegular(path.join(root, rel), `baseline ${shown(rel)}`);
  if (text === undefined) throw new EvaluationError(`cannot read baseline ${shown(rel)}: ENOENT`);
  return parseBaseline(text, rel);
}
