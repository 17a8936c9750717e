/**
 * Validate a SARIF log with Microsoft's SARIF multitool (the .NET validator shipped in @microsoft/sarif-multitool),
 * running its SARIF spec rules and its GitHub code-scanning ingestion rules (GH*); every result, notes included.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { expect } from 'vitest';

const multitool = createRequire(import.meta.url)('@microsoft/sarif-multitool') as string;

export interface ValidatorResult {
  ruleId: string;
  level?: string;
  message: { arguments?: string[] };
}

/** Writes `<dir>/<name>.sarif`, validates it, asserts the validator ran, returns its results. */
export function validateSarif(sarif: string, dir: string, name: string): ValidatorResult[] {
  const input = path.join(dir, `${name}.sarif`);
  const output = path.join(dir, `${name}.validation.sarif`);
  writeFileSync(input, sarif);
  execFileSync(multitool, ['validate', input, '--rule-kind', 'Sarif;Gh', '--level', 'Error;Warning;Note', '--output', output, '--log', 'ForceOverwrite'], {
    stdio: 'pipe',
    env: { ...process.env, DOTNET_SYSTEM_GLOBALIZATION_INVARIANT: '1', DOTNET_CLI_TELEMETRY_OPTOUT: '1' },
    timeout: 120_000,
  });
  const log = JSON.parse(readFileSync(output, 'utf8')) as { runs: Array<{ results?: ValidatorResult[]; invocations?: Array<{ executionSuccessful: boolean }> }> };
  expect(log.runs[0]!.invocations?.[0]?.executionSuccessful).toBe(true);
  return log.runs[0]!.results ?? [];
}
