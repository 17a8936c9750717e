/**
 * A small reference harness: writes a Stage 2 run directory in the documented evidence format (docs/stage2.md),
 * the way a real harness does after `sot-gate preflight` admitted the pair. It does not run a model: it simulates a
 * same-run fake baseline and a Case run on the copied artificial fixture r1-string-slugify. Faults can be injected
 * to produce the bad run directories verify-evidence must catch.
 *
 *   npx tsx test/stage2/harness/harness.ts --run-dir DIR [--scenario NAME]
 *
 * reads CTO_HARNESS_CASE_MODEL_PROVIDER / CTO_HARNESS_CASE_MODEL (what it "runs") and never writes
 * CTO_HARNESS_CASE_LOCAL_BASE_URL anywhere.
 */
import { appendFile, mkdir, readFile, writeFile } from 'node:fs/promises';
import { gzipSync } from 'node:zlib';
import path from 'node:path';
import { parseArgs } from 'node:util';

export const SCENARIOS = [
  /** The admitted pair, agent solves the fixture. */
  'pass',
  /** A fail like the seeds' runtime evidence: agent-protocol-error. */
  'fail-protocol',
  /** Claims a pass but Case ran another model (silent fallback). */
  'pass-other-model',
  /** Says blocked but the Case process started anyway. */
  'blocked-but-started',
  /** No same-run fake baseline. */
  'missing-baseline',
  /** A backend log leaks an API key. */
  'secret-in-log',
  /** A backend log leaks the local endpoint value. */
  'endpoint-in-log',
  /** The same-run fake baseline failed, the Case run claims a pass. */
  'baseline-fail',
  /** The run names a real repository instead of the copied fixture. */
  'other-fixture',
  /** Case stdout announces another model (a silent switch the trace does not show). */
  'stdout-switch',
  /** The Case command line is logged as a JSON argv array carrying an API key. */
  'argv-secret',
  /** A trace line with two "model" keys. */
  'duplicate-model-key',
  /** The Case config gets a fallback entry for an unadmitted pair after preflight wrote it. */
  'config-fallback',
  /** A gzip-compressed backend log holding an API key. */
  'gzip-secret',
  /** A backend log leaks an API key and marks it `sot-gate:allow` itself. */
  'allow-in-log',
] as const;
export type Scenario = (typeof SCENARIOS)[number];

export interface HarnessOptions {
  runDir: string;
  env: Record<string, string | undefined>;
  scenario?: Scenario;
  runId?: string;
  now?: () => Date;
}

// Built at run time so this file itself holds no key-shaped literal.
// An OpenAI project key in its real shape (a known format: an error, not a high-entropy guess). Built from parts so
// this file holds no key-shaped literal.
const FAKE_KEY = ['sk', 'proj', 'Zq8Rt2Lm5Np7Vx9Wb3Yc6Hd1Jf4Kg8Ts0Uv2Ew5' + 'T3BlbkFJ' + 'Fz7Gh9AiQm7vR2xL9pK4wZ8tAb3dE5fG1hJ2kL3m'].join('-');

export async function runHarness(o: HarnessOptions): Promise<void> {
  const scenario = o.scenario ?? 'pass';
  const now = o.now ?? (() => new Date('2026-06-01T02:01:17Z'));
  const ts = () => now().toISOString();
  const runId = o.runId ?? path.basename(o.runDir);
  const provider = o.env.CTO_HARNESS_CASE_MODEL_PROVIDER ?? '';
  const model = o.env.CTO_HARNESS_CASE_MODEL ?? '';
  await mkdir(path.join(o.runDir, 'backend'), { recursive: true });
  const trace = (event: string, extra: Record<string, unknown> = {}) => appendFile(path.join(o.runDir, 'trace.jsonl'), JSON.stringify({ event, ts: ts(), ...extra }) + '\n');

  const fixture = scenario === 'other-fixture' ? 'owned-repo:acme/payments' : 'r1-string-slugify';
  const runStart = ts();
  // Same-run fake baseline first (the default validation lane).
  const baseStart = ts();
  await trace('baseline_started', { backend: 'fake', case: fixture });
  const baseStatus = scenario === 'baseline-fail' ? 'fail' : 'pass';
  await trace('baseline_finished', { backend: 'fake', status: baseStatus });
  const baseEnd = ts();

  const usedProvider = scenario === 'pass-other-model' ? 'anthropic' : provider;
  const usedModel = scenario === 'pass-other-model' ? 'claude-sonnet-4-6' : model;
  // The Case config written by preflight is what Case reads; the faulty scenario ignores it.
  const cfgPath = path.join(o.runDir, 'case-data/config.json');
  const cfg = await readFile(cfgPath, 'utf8').catch(() => undefined);
  if (!cfg && scenario !== 'blocked-but-started') throw new Error('no case-data/config.json: run sot-gate preflight first');
  if (scenario === 'config-fallback' && cfg) {
    const c = JSON.parse(cfg) as { models: Record<string, unknown> };
    c.models.fallback = { provider: 'anthropic', model: 'claude-sonnet-4-6' };
    await writeFile(cfgPath, JSON.stringify(c, null, 2) + '\n');
  }

  await trace('case_process_started', { backend: 'case', provider: usedProvider, model: usedModel });
  if (scenario === 'duplicate-model-key') {
    await appendFile(path.join(o.runDir, 'trace.jsonl'), `{"event":"llm_request","ts":"${ts()}","model":"claude-sonnet-4-6","model":"${usedModel}"}\n`);
  }
  const log = [`AGENT_RESULT start`, `fixture ${fixture}: 12/12 tests pass`, `AGENT_RESULT end`];
  if (scenario === 'secret-in-log') log.push(`debug: key: ${FAKE_KEY}`);
  if (scenario === 'allow-in-log') log.push(`debug: key: ${FAKE_KEY} # sot-gate:allow secret/openai -- test key`);
  if (scenario === 'endpoint-in-log') log.push(`debug: connecting to ${o.env.CTO_HARNESS_CASE_LOCAL_BASE_URL}/chat/completions`);
  if (scenario === 'stdout-switch') log.splice(1, 0, 'using model claude-sonnet-4-6 via anthropic');
  if (scenario === 'fail-protocol') log.splice(0, log.length, 'AGENT_RESULT start delimiter not found');
  await writeFile(path.join(o.runDir, 'backend/case-stdout.log'), log.join('\n') + '\n');
  await writeFile(path.join(o.runDir, 'backend/case-stderr.log'), '');
  if (scenario === 'argv-secret') {
    // A key with no known format: only its flag (`--api-key`) says it is one.
    await writeFile(path.join(o.runDir, 'backend/case-command.json'), JSON.stringify({ argv: ['case', 'run', '--api-key', 'Qm7vR2xL9pK4wZ8tAb3dE5fG1hJ2kL3m'] }, null, 2) + '\n');
  }
  if (scenario === 'gzip-secret') {
    await writeFile(path.join(o.runDir, 'backend/case-debug.log.gz'), gzipSync(Buffer.from(`request ok\ndebug: key: ${FAKE_KEY}\n`)));
  }
  await trace('case_process_finished', { backend: 'case', exit_code: scenario === 'fail-protocol' ? 1 : 0 });
  if (scenario === 'fail-protocol') await writeFile(path.join(o.runDir, 'backend/provider-agent-protocol.txt'), 'agent-protocol-error\n');

  const status = scenario === 'blocked-but-started' ? 'blocked' : scenario === 'fail-protocol' ? 'fail' : 'pass';
  const report: Record<string, unknown> = {
    run_id: runId,
    case: fixture,
    status,
    backend: 'case',
    case_process_started: true,
    case_model_provider: usedProvider,
    case_model: usedModel,
    case_model_admission_status: 'admitted',
    failure_reason: status === 'pass' ? null : status === 'fail' ? 'case agent result protocol failed' : 'local provider config missing',
    ...(scenario === 'missing-baseline'
      ? {}
      : { baseline: { backend: 'fake', status: baseStatus, run_id: runId, case: fixture, started_at: baseStart, finished_at: baseEnd, ...(baseStatus === 'fail' ? { failure_reason: 'fixture tests fail on the fake backend' } : {}) } }),
    started_at: runStart,
    finished_at: ts(),
  };
  await writeFile(path.join(o.runDir, 'report.json'), JSON.stringify(report, null, 2) + '\n');
  await writeFile(
    path.join(o.runDir, 'report.md'),
    `# Stage 2 run ${runId}\n\n- Report status: \`${status}\`.\n- Backend: \`case\`.\n- Case model: \`${usedModel}\`.\n`,
  );
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const { values } = parseArgs({ options: { 'run-dir': { type: 'string' }, scenario: { type: 'string', default: 'pass' } } });
  if (!values['run-dir'] || !(SCENARIOS as readonly string[]).includes(values.scenario!)) {
    process.stderr.write(`usage: harness.ts --run-dir DIR [--scenario ${SCENARIOS.join('|')}]\n`);
    process.exit(2);
  }
  await runHarness({ runDir: path.resolve(values['run-dir']), env: process.env, scenario: values.scenario as Scenario, now: () => new Date() });
}
