/** Evaluate an in-memory tree (relative path -> content) the way the CLI evaluates a directory. */
import { configSchema } from '../../src/engine/config.js';
import { evaluate } from '../../src/engine/check.js';
import { classify, type InputFile } from '../../src/engine/tree.js';
import type { BaselineEntry } from '../../src/engine/suppress.js';
import type { CheckResult } from '../../src/engine/types.js';

export type Files = Record<string, string | Uint8Array>;

export function toInput(files: Files, config = configSchema.parse({})): InputFile[] {
  return Object.entries(files)
    .flatMap(([path, content]): InputFile[] => {
      const kind = classify(path, config);
      if (!kind) return [];
      return [{ path, kind, bytes: typeof content === 'string' ? new TextEncoder().encode(content) : content }];
    })
    .sort((a, b) => (a.path < b.path ? -1 : 1));
}

export interface EvaluateFilesOptions {
  base?: Files;
  config?: Record<string, unknown>;
  changed?: string[];
  baseline?: BaselineEntry[];
  headBaseline?: BaselineEntry[];
  approvedBy?: string;
}

export function evaluateFiles(files: Files, opts: EvaluateFilesOptions = {}): CheckResult {
  const config = configSchema.parse(opts.config ?? {});
  return evaluate({
    files: toInput(files, config),
    config,
    today: '2026-11-21',
    ...(opts.base ? { base: toInput(opts.base, config) } : {}),
    ...(opts.changed ? { changed: new Set(opts.changed) } : {}),
    ...(opts.baseline ? { baseline: opts.baseline } : {}),
    ...(opts.headBaseline ? { headBaseline: opts.headBaseline } : {}),
    ...(opts.approvedBy ? { approvedBy: opts.approvedBy } : {}),
  });
}

export const ruleIds = (r: CheckResult) => r.findings.map((f) => f.ruleId);
