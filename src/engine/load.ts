/** Loading the policy and the inputs of a check from disk: shared by the CLI and the action. */
import { access, readFile } from 'node:fs/promises';
import path from 'node:path';
import { CONFIG_PATH, DEFAULT_CONFIG, parseConfig, type Config } from './config.js';
import { parseBaseline, type BaselineEntry } from './suppress.js';
import { EvaluationError } from './types.js';

const exists = (p: string) =>
  access(p).then(
    () => true,
    () => false,
  );

/** The config from an explicit file, else `<root>/.github/sot-gate.yml`, else the defaults (the seeds' policy). */
export async function loadConfig(root: string, explicit?: string): Promise<{ config: Config; source: string }> {
  const file = explicit ?? path.join(root, CONFIG_PATH);
  if (!explicit && !(await exists(file))) return { config: DEFAULT_CONFIG, source: '(defaults)' };
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (e) {
    throw new EvaluationError(`cannot read config ${explicit ?? CONFIG_PATH}: ${(e as NodeJS.ErrnoException).code ?? 'error'}`);
  }
  return { config: parseConfig(text, explicit ?? CONFIG_PATH), source: explicit ?? CONFIG_PATH };
}

export async function loadBaseline(root: string, config: Config): Promise<BaselineEntry[]> {
  const rel = config.secrets.baseline;
  if (!rel) return [];
  let text: string;
  try {
    text = await readFile(path.join(root, rel), 'utf8');
  } catch (e) {
    throw new EvaluationError(`cannot read baseline ${rel}: ${(e as NodeJS.ErrnoException).code ?? 'error'}`);
  }
  return parseBaseline(text, rel);
}
