/**
 * Stage 2 preflight: on the self-hosted runner, before the harness starts, decide whether the requested provider/model
 * may run, fail closed. The admission JSON is the authority; the env pair is only the request.
 *
 * Order of the checks (the first that fails decides the block):
 *  1. admission file: unset or absent -> missing_admission; not well-formed -> invalid_admission;
 *     status other than `admitted` -> not_admitted
 *  2. request: CTO_HARNESS_CASE_MODEL_PROVIDER / CTO_HARNESS_CASE_MODEL unset, or different from the file -> mismatch
 *  3. governance (the engine over --root): the admission file must be inside the root and governed by it (matched by
 *     admission-files, no error finding); a decided decision record without error findings; the pair must be its
 *     primary or explicit fallback pair -> not_admitted. Suppression decides nothing here: a suppressed error counts.
 *  4. route (admission stays `admitted`, the run is blocked): local route needs decision_status
 *     local_provider_required; openai-codex needs CTO_HARNESS_CASE_OPENAI_CODEX_AUTH_BRIDGE=1; a local provider needs
 *     CTO_HARNESS_CASE_LOCAL_BASE_URL, and that endpoint must list the admitted model.
 *
 * The pure part is decideAdmission(); runPreflight() does the I/O (files, the endpoint probe) and writes the evidence.
 */
import { appendFile, lstat, mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { compareFindings, evaluate } from '../check.js';
import { isSuppressible } from '../suppress.js';
import { providerClassOf, sameId } from '../identity.js';
import type { Config } from '../config.js';
import { hasDecisionState, parseDecisionRecord, fallbackPair, primaryPair, samePair, field, type DecisionRecord, type Pair } from '../parse/decision.js';
import { parseMarkdown } from '../parse/markdown.js';
import { decodeText } from '../parse/text.js';
import { classify, isWithin, loadTree, type InputFile } from '../tree.js';
import type { Admission } from '../schemas.js';
import { EvaluationError, type CheckResult } from '../types.js';
import { readAdmissionFile, type AdmissionRead } from './admission-file.js';
import { probeEndpoint } from './endpoint.js';
import {
  CODEX_PROVIDER,
  ENDPOINT_TIMEOUT_MS,
  ENV,
  EVENTS,
  LOCAL_DECISION_STATUS,
  LOCAL_PROVIDER_CLASS,
  MARKER_FILES,
  MARKERS,
  RUN_FILES,
  type AdmissionStatus,
  type Marker,
} from './vocabulary.js';

export interface PreflightDecision {
  status: 'admitted' | 'blocked';
  case_model_admission_status: AdmissionStatus;
  case_model_provider: string;
  case_model: string;
  reason: string;
  /** Set when blocked: the marker written into the run directory. */
  marker?: Marker;
}

/** What the engine knows about the repository, for the governance checks. */
export interface Governance {
  config: Config;
  result: CheckResult;
  decision?: DecisionRecord;
}

export interface DecideInput {
  admission: AdmissionRead;
  env: Record<string, string | undefined>;
  governance: Governance;
}

const blocked = (status: AdmissionStatus, provider: string, model: string, reason: string, marker: Marker): PreflightDecision => ({
  status: 'blocked',
  case_model_admission_status: status,
  case_model_provider: provider,
  case_model: model,
  reason,
  marker,
});

const pairText = (p: Pair | undefined) => (p ? `${p.provider} / ${p.model}` : '(none)');

/**
 * Everything up to the endpoint probe. Returns a block, or `admitted` with the route facts the caller needs
 * (whether the pair takes the local route and so needs the endpoint probe).
 */
export function decideAdmission(input: DecideInput): PreflightDecision & { local?: boolean } {
  const { admission, env, governance } = input;
  const early = checkRequest(admission, env);
  if (early || admission.kind !== 'ok') return early ?? blocked('missing_admission', '', '', 'no admission', MARKERS.notAdmitted);
  const adm = admission.value;
  const reqProvider = adm.provider;
  const reqModel = adm.model;
  const nm = MARKERS.notAdmitted;

  return decideGovernance(admission, adm, env, governance, reqProvider, reqModel, nm);
}

/** Checks 1 and 2 (the admission file and the request), which need no repository: a block, or undefined. */
export function checkRequest(admission: AdmissionRead, env: Record<string, string | undefined>): PreflightDecision | undefined {
  const reqProvider = (env[ENV.provider] ?? '').trim();
  const reqModel = (env[ENV.model] ?? '').trim();
  const nm = MARKERS.notAdmitted;
  // 1. The admission file.
  if (admission.kind === 'unset') {
    return blocked('missing_admission', reqProvider, reqModel, `${ENV.admissionFile} is not set: no provider/model is admitted by default`, nm);
  }
  if (admission.kind === 'missing') return blocked('missing_admission', reqProvider, reqModel, admission.reason, nm);
  if (admission.kind === 'invalid') return blocked('invalid_admission', reqProvider, reqModel, admission.reason, nm);
  const adm = admission.value;
  if (adm.status !== 'admitted') {
    return blocked('not_admitted', reqProvider, reqModel, `admission file ${admission.display} has status ${adm.status}, not admitted: it admits nothing`, nm);
  }

  // 2. The request must name the admitted pair exactly. An unset request is a mismatch (it cannot match).
  const unset = [!reqProvider && ENV.provider, !reqModel && ENV.model].filter(Boolean);
  if (unset.length) {
    return blocked('mismatch', reqProvider, reqModel, `${unset.join(' and ')} ${unset.length > 1 ? 'are' : 'is'} not set: the requested pair must name the admitted pair ${pairText(adm)} exactly`, nm);
  }
  if (reqProvider !== adm.provider || reqModel !== adm.model) {
    return blocked('mismatch', reqProvider, reqModel, `requested pair ${reqProvider} / ${reqModel} does not match the admitted pair ${pairText(adm)} in ${admission.display}`, nm);
  }
  return undefined;
}

function decideGovernance(
  admission: Extract<AdmissionRead, { kind: 'ok' }>,
  adm: Admission,
  env: Record<string, string | undefined>,
  governance: Governance,
  reqProvider: string,
  reqModel: string,
  nm: Marker,
): PreflightDecision & { local?: boolean } {
  // 3. Governance: the engine's view of the repository.
  const { config, result, decision } = governance;
  const na = (reason: string) => blocked('not_admitted', reqProvider, reqModel, reason, nm);
  if (!admission.rel) return na(`admission file ${admission.display} is outside the repository root: only an admission governed by the SOT (and sot-gate check) may admit a pair`);
  if (classify(admission.rel, config) !== 'admission') {
    return na(`admission file ${admission.rel} is not matched by admission-files in the sot-gate configuration, so sot-gate check does not govern it`);
  }
  // Suppression never decides an admission: any error on the admission file counts, suppressed or not, and on the
  // decision record a suppressed governance error counts (only a reviewed suppression of an exposure finding does not).
  const errorsIn = (file: string, suppressedToo: (ruleId: string) => boolean) =>
    [...result.findings, ...result.suppressed.filter((f) => suppressedToo(f.ruleId))].filter((f) => f.file === file && f.severity === 'error').sort(compareFindings);
  const admFindings = errorsIn(admission.rel, () => true);
  if (admFindings.length > 0 || !result.admittedPairs.some((p) => p.file === admission.rel)) {
    const first = admFindings[0];
    return na(
      `sot-gate check does not count ${admission.rel} as an admission${first ? `: ${admFindings.length} error finding${admFindings.length > 1 ? 's' : ''}, first ${first.ruleId} at line ${first.line}` : ''}`,
    );
  }
  if (!decision) return na('no decision record found in the repository (a SOT file with `## Current Decision State`): nothing may run');
  const decisionStatus = field(decision, 'decision_status');
  const decided = config.vocabularies['decision-status'].filter((s) => s !== 'not_decided');
  if (!decisionStatus || !decided.includes(decisionStatus)) {
    return na(`decision_status is ${decisionStatus ?? '(missing)'} in ${decision.file}: nothing may run until a decision is made`);
  }
  const decErrors = errorsIn(decision.file, (ruleId) => !isSuppressible(ruleId));
  if (decErrors.length > 0) {
    return na(`the decision record ${decision.file} has ${decErrors.length} error finding${decErrors.length > 1 ? 's' : ''} (first ${decErrors[0]!.ruleId} at line ${decErrors[0]!.line}): it cannot back an admission`);
  }
  const primary = primaryPair(decision);
  const fallback = fallbackPair(decision);
  const position = samePair(adm, primary) ? 'primary' : samePair(adm, fallback) ? 'fallback' : undefined;
  if (!position) {
    return na(`${pairText(adm)} is neither the decision's primary pair (${pairText(primary)}) nor its explicit fallback pair (${pairText(fallback)})`);
  }

  // 4. Route. The admission stays `admitted`: the block is about this run, not about the admission.
  const ok = (reason: string, local?: boolean): PreflightDecision & { local?: boolean } => ({
    status: 'admitted',
    case_model_admission_status: 'admitted',
    case_model_provider: adm.provider,
    case_model: adm.model,
    reason,
    ...(local ? { local } : {}),
  });
  const route = (reason: string, marker: Marker) => blocked('admitted', adm.provider, adm.model, reason, marker);
  // A Map lookup on the normalised name: `constructor` is not a provider class (a plain object lookup found Object.prototype.constructor).
  const providerClass = providerClassOf(config, adm.provider);
  if (!providerClass) {
    return na(`provider ${adm.provider} has no provider class (vocabularies.provider-class-of): its route cannot be decided`);
  }
  const local = providerClass === LOCAL_PROVIDER_CLASS;
  if (local && decisionStatus !== LOCAL_DECISION_STATUS) {
    return route(`the local provider route (${adm.provider}, class ${LOCAL_PROVIDER_CLASS}) needs decision_status ${LOCAL_DECISION_STATUS}; ${decision.file} says ${decisionStatus}`, nm);
  }
  if (sameId(adm.provider, CODEX_PROVIDER) && (env[ENV.codexAuthBridge] ?? '').trim() !== '1') {
    return route(
      `${CODEX_PROVIDER} is blocked before case_process_started unless ${ENV.codexAuthBridge}=1: Case's pipeline SDK path does not pass Pi AuthStorage OAuth headers into streamSimple, and Pi env API-key lookup does not map ${CODEX_PROVIDER} to an environment API key`,
      MARKERS.authUnavailable,
    );
  }
  if (local && (env[ENV.localBaseUrl] ?? '').trim() === '') {
    return route(`the local provider ${adm.provider} needs explicit local provider config: ${ENV.localBaseUrl} is not set`, MARKERS.localConfigMissing);
  }
  return ok(`${pairText(adm)} is admitted by ${admission.rel} (${position} pair of ${decision.file}, decision_status ${decisionStatus})`, local);
}

/** Load the engine's view of the repository at root. */
export async function loadGovernance(root: string, config: Config): Promise<Governance> {
  const files = await loadTree(root, config);
  const result = evaluate({ files, config });
  let decision: DecisionRecord | undefined;
  if (result.decision) decision = decisionFrom(files, result.decision.file);
  else {
    // evaluate() names the record only when it found exactly one; keep it undefined otherwise (fail closed).
    decision = undefined;
  }
  return { config, result, ...(decision ? { decision } : {}) };
}

function decisionFrom(files: InputFile[], file: string): DecisionRecord | undefined {
  const f = files.find((x) => x.path === file);
  if (!f?.bytes) return undefined;
  const decoded = decodeText(f.bytes);
  if (!decoded.ok) return undefined;
  const text = decoded.value.text.replace(/^\uFEFF/, '');
  const doc = parseMarkdown(f.path, text, text.split(/\r?\n|\r/));
  return hasDecisionState(doc) ? parseDecisionRecord(doc) : undefined;
}

export interface PreflightOptions {
  /** The run directory (absolute). Created when missing. */
  runDir: string;
  /** The repository root (absolute): relative admission paths resolve against it; the decision record is read from it. */
  root: string;
  config: Config;
  env: Record<string, string | undefined>;
  fetch: typeof fetch;
  now: () => Date;
  timeoutMs?: number;
}

export interface PreflightOutcome extends PreflightDecision {
  /** The generated Case config, relative to the run directory when inside it (success only). */
  configFile?: string;
  /** The admission file as given / relative to the root. */
  admissionFile?: string;
}

const exists = async (p: string) => {
  try {
    await lstat(p);
    return true;
  } catch {
    return false;
  }
};

/** The isolated Case data directory: CASE_DATA_DIR (relative to the run directory), default `<run-dir>/case-data`. */
export function caseDataDir(runDir: string, env: Record<string, string | undefined>): string {
  const given = (env[ENV.caseDataDir] ?? '').trim();
  return given ? path.resolve(runDir, given) : path.join(runDir, RUN_FILES.caseDataDir);
}

async function prepareRunDir(runDir: string): Promise<void> {
  try {
    const st = await lstat(runDir);
    if (st.isSymbolicLink()) throw new EvaluationError('the run directory is a symbolic link (never followed)');
    if (!st.isDirectory()) throw new EvaluationError('the run directory is not a directory');
  } catch (e) {
    if (e instanceof EvaluationError) throw e;
    try {
      await mkdir(runDir, { recursive: true });
    } catch (err) {
      throw new EvaluationError(`cannot create the run directory (${(err as NodeJS.ErrnoException).code ?? 'I/O error'})`);
    }
  }
}

/** A run directory must be fresh: evidence of an earlier run there could be mistaken for this run's. Reads only. */
async function assertFresh(runDir: string): Promise<void> {
  const stale: string[] = [];
  for (const f of [RUN_FILES.report, RUN_FILES.reportMd]) if (await exists(path.join(runDir, f))) stale.push(f);
  for (const m of MARKER_FILES) if (await exists(path.join(runDir, m))) stale.push(m);
  const tracePath = path.join(runDir, RUN_FILES.trace);
  if (await exists(tracePath)) {
    const text = await readFile(tracePath, 'utf8').catch(() => '');
    for (const ev of [EVENTS.checked, EVENTS.blocked, EVENTS.processStarted]) if (text.includes(`"${ev}"`)) stale.push(`${RUN_FILES.trace} (${ev})`);
  }
  if (stale.length) {
    throw new EvaluationError(`the run directory is not fresh (it already holds ${stale.join(', ')}): start every Stage 2 run in a new run directory (nothing was changed in it)`);
  }
}

/**
 * Why the Case data directory is not this run's own, or undefined: CASE_DATA_DIR outside the run directory (a shared
 * directory: another run's Case could read this config, or this Case another's), or a config.json already there (written
 * by someone else; preflight never deletes or overwrites a file it did not create). Reads only.
 */
async function caseDataProblem(runDir: string, dataDir: string, configPath: string): Promise<string | undefined> {
  if (!isWithin(runDir, dataDir) || path.resolve(dataDir) === path.resolve(runDir)) {
    return `the Case data directory (${ENV.caseDataDir}) must be a directory inside the run directory (the isolated data directory of this run), not ${path.resolve(dataDir) === path.resolve(runDir) ? 'the run directory itself' : 'a directory outside it'}`;
  }
  // A link on the way (case-data -> /shared/case-data) would put the config outside the run directory after all.
  let at = path.resolve(runDir);
  for (const part of path.relative(at, path.resolve(dataDir)).split(path.sep)) {
    at = path.join(at, part);
    const st = await lstat(at).catch(() => undefined);
    if (!st) break;
    if (st.isSymbolicLink()) return `the Case data directory (${ENV.caseDataDir}) is reached through a symbolic link inside the run directory: it must be a real directory of this run`;
    if (!st.isDirectory()) return `the Case data directory (${ENV.caseDataDir}) is not a directory`;
  }
  if (await exists(configPath)) {
    return `the Case data directory (${ENV.caseDataDir}) already holds ${RUN_FILES.config}, which this preflight did not write: it is never deleted or overwritten; start the run with a fresh ${ENV.caseDataDir}`;
  }
  return undefined;
}

/** Creates `file` with `data`; never replaces an existing file (or follows a link there): EEXIST is exit 2. */
async function createNew(file: string, data: string, mode?: number): Promise<void> {
  try {
    await writeFile(file, data, { flag: 'wx', ...(mode ? { mode } : {}) });
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code ?? 'I/O error';
    throw new EvaluationError(
      code === 'EEXIST'
        ? `${path.basename(file)} appeared in the run while preflight ran (it never overwrites a file it did not create): start the run in a new run directory`
        : `cannot write ${path.basename(file)} (${code})`,
    );
  }
}

/**
 * Decide, probe the endpoint when the pair takes the local route, and write the evidence:
 * blocked -> marker + trace event + report.json/report.md (status blocked), no config.json;
 * admitted -> trace event + `$CASE_DATA_DIR/config.json` with models.default.
 * Throws EvaluationError when it cannot evaluate (exit 2). Preflight only creates files: it never deletes or overwrites a
 * file it did not create in this invocation (a run directory that is not fresh is exit 2 with nothing changed, a Case
 * data directory that already holds a config blocks with its own marker). The trace is appended to.
 */
export async function runPreflight(opts: PreflightOptions): Promise<PreflightOutcome> {
  const { runDir, env } = opts;
  await prepareRunDir(runDir);
  const dataDir = caseDataDir(runDir, env);
  const configPath = path.join(dataDir, RUN_FILES.config);
  await assertFresh(runDir);

  const admission = await readAdmissionFile(opts.root, env[ENV.admissionFile]);
  // The repository is only read once the admission and the request are fine.
  let decision: PreflightDecision & { local?: boolean } =
    checkRequest(admission, env) ?? decideAdmission({ admission, env, governance: await loadGovernance(opts.root, opts.config) });

  if (decision.status === 'admitted') {
    const problem = await caseDataProblem(runDir, dataDir, configPath);
    if (problem) decision = blocked('admitted', decision.case_model_provider, decision.case_model, problem, MARKERS.caseDataNotIsolated);
  }
  if (decision.status === 'admitted' && decision.local) {
    const probe = await probeEndpoint(env[ENV.localBaseUrl] ?? '', decision.case_model, opts.fetch, opts.timeoutMs ?? ENDPOINT_TIMEOUT_MS);
    if (!probe.ok) {
      const marker = probe.kind === 'config' ? MARKERS.localConfigMissing : probe.kind === 'unavailable' ? MARKERS.localEndpointUnavailable : MARKERS.modelNotServed;
      decision = blocked('admitted', decision.case_model_provider, decision.case_model, probe.reason, marker);
    }
  }
  const admissionFile = admission.kind === 'unset' ? undefined : admission.display;
  const ts = opts.now().toISOString();
  const { local: _local, ...outcome } = decision;
  void _local;
  if (outcome.status === 'blocked') {
    await writeBlockEvidence(runDir, outcome, ts, admissionFile);
    return { ...outcome, ...(admissionFile ? { admissionFile } : {}) };
  }
  await mkdir(dataDir, { recursive: true });
  const caseConfig = { models: { default: outcome.case_model, provider: outcome.case_model_provider } };
  await createNew(configPath, JSON.stringify(caseConfig, null, 2) + '\n', 0o600);
  await appendTrace(runDir, {
    event: EVENTS.checked,
    ts,
    case_model_admission_status: outcome.case_model_admission_status,
    case_model_provider: outcome.case_model_provider,
    case_model: outcome.case_model,
    ...(admissionFile ? { admission_file: admissionFile } : {}),
  });
  const rel = path.relative(runDir, configPath);
  return { ...outcome, configFile: rel.startsWith('..') || path.isAbsolute(rel) ? configPath : rel.split(path.sep).join('/'), ...(admissionFile ? { admissionFile } : {}) };
}

async function appendTrace(runDir: string, event: Record<string, unknown>): Promise<void> {
  await appendFile(path.join(runDir, RUN_FILES.trace), JSON.stringify(event) + '\n');
}

async function writeBlockEvidence(runDir: string, d: PreflightDecision, ts: string, admissionFile: string | undefined): Promise<void> {
  const marker = d.marker ?? MARKERS.notAdmitted;
  await mkdir(path.join(runDir, RUN_FILES.backendDir), { recursive: true });
  await createNew(
    path.join(runDir, marker),
    [
      `blocked before case_process_started by sot-gate preflight`,
      `case_model_admission_status: ${d.case_model_admission_status}`,
      `case_model_provider: ${d.case_model_provider}`,
      `case_model: ${d.case_model}`,
      `reason: ${d.reason}`,
      `ts: ${ts}`,
      '',
    ].join('\n'),
  );
  await appendTrace(runDir, {
    event: EVENTS.blocked,
    ts,
    case_model_admission_status: d.case_model_admission_status,
    case_model_provider: d.case_model_provider,
    case_model: d.case_model,
    reason: d.reason,
    marker,
    ...(admissionFile ? { admission_file: admissionFile } : {}),
  });
  const report = {
    status: 'blocked',
    backend: 'case',
    case_process_started: false,
    case_model_provider: d.case_model_provider,
    case_model: d.case_model,
    case_model_admission_status: d.case_model_admission_status,
    failure_reason: d.reason,
    markers: [marker],
    blocked_by: 'sot-gate preflight',
    finished_at: ts,
    ...(admissionFile ? { admission_file: admissionFile } : {}),
  };
  await createNew(path.join(runDir, RUN_FILES.report), JSON.stringify(report, null, 2) + '\n');
  await createNew(
    path.join(runDir, RUN_FILES.reportMd),
    [
      '# Stage 2 run: blocked',
      '',
      `- Report status: \`blocked\`.`,
      `- Backend: \`case\`.`,
      `- Case process started: \`false\`.`,
      `- Case model provider: \`${d.case_model_provider}\`.`,
      `- Case model: \`${d.case_model}\`.`,
      `- Case model admission status: \`${d.case_model_admission_status}\`.`,
      `- Failure reason: ${d.reason}.`,
      `- Marker: \`${marker}\`.`,
      '',
    ].join('\n'),
  );
}
