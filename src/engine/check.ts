/**
 * The engine's one entry point: files in, CheckResult out. Pure: no @actions/*, no process, no I/O.
 * The CLI, the action and the tests all call evaluate().
 */
import { createHash } from 'node:crypto';
import { severityFor, type Config } from './config.js';
import { parseAdmission, type AdmissionDoc } from './parse/admission.js';
import { hasDecisionState, parseDecisionRecord, type DecisionRecord } from './parse/decision.js';
import { parseMarkdown, type MdDoc } from './parse/markdown.js';
import { decodeText } from './parse/text.js';
import { parseWorkItems } from './parse/workitems.js';
import { RULES, type Rule, type RuleContext } from './rules/index.js';
import { redactSecrets, scannerOptions, scanText } from './scanner/index.js';
import { applySuppressions, parseAllowDirectives, type AllowDirective, type BaselineEntry } from './suppress.js';
import type { InputFile } from './tree.js';
import { summarize, type CheckResult, type Finding, type RawFinding, type Severity } from './types.js';

export interface EvaluateInput {
  files: InputFile[];
  config: Config;
  /** Files of the base revision, for the transition rules. */
  base?: InputFile[];
  baseline?: BaselineEntry[];
  /** YYYY-MM-DD, for baseline expiry. Default: today (UTC). */
  today?: string;
  /**
   * Report only findings in these files (pull request scope). When the decision record is among them, findings in
   * every admission file are kept too: admissions are checked against the decision.
   */
  changed?: ReadonlySet<string>;
  /**
   * With `changed`: the fingerprints the same evaluation finds without the pull request (the base branch's tree). A
   * finding on an unchanged file is kept when its fingerprint is not among them: the pull request changed its meaning
   * (an admission the changed decision no longer backs, a decision the new admission relies on).
   */
  known?: ReadonlySet<string>;
  /** The login of an approver whose approval of the current head counts (the action's change control). */
  approvedBy?: string;
  /** Extra rules (the action adds decision/unapproved-change). */
  extraRules?: readonly Rule[];
}

interface Model {
  ctx: RuleContext;
  texts: Map<string, string>;
}

function buildModel(files: InputFile[], config: Config): Model {
  const sot: MdDoc[] = [];
  const admissions: AdmissionDoc[] = [];
  const unreadable: RuleContext['unreadable'] = [];
  const texts = new Map<string, string>();
  for (const f of files) {
    if (!f.bytes) {
      unreadable.push({ file: f.path, line: 1, reason: f.error ?? 'cannot be read' });
      continue;
    }
    const decoded = decodeText(f.bytes);
    if (!decoded.ok) {
      unreadable.push({ file: f.path, line: decoded.line, reason: decoded.reason });
      continue;
    }
    // The decoder has removed the byte order mark; a second U+FEFF is content (sot/hidden-characters reports it).
    const { text, lines } = decoded.value;
    texts.set(f.path, text);
    if (f.kind === 'admission') admissions.push(parseAdmission(f.path, text));
    else sot.push(parseMarkdown(f.path, text, lines));
  }
  const candidates = sot.filter(hasDecisionState);
  const configured = config['decision-record'];
  const recordDoc = configured ? sot.find((d) => d.file === configured) : candidates.length === 1 ? candidates[0] : undefined;
  const decision: DecisionRecord | undefined = recordDoc ? parseDecisionRecord(recordDoc) : undefined;
  const ctx: RuleContext = {
    config,
    sot,
    admissions,
    decisionCandidates: candidates.map((d) => d.file),
    workItems: sot.flatMap(parseWorkItems),
    unreadable,
    ...(decision ? { decision } : {}),
  };
  return { ctx, texts };
}

const RULE_ERROR = 'engine/rule-error';

/** The decision status goes to outputs and summaries verbatim: a secret pasted there must not. */
function redactStatus(status: string | undefined, opts: ReturnType<typeof scannerOptions>): string | undefined {
  return status === undefined ? undefined : redactSecrets(status, opts);
}

export function fingerprintOf(ruleId: string, file: string, message: string): string {
  return createHash('sha256').update(`${ruleId}\0${file}\0${message}`).digest('hex').slice(0, 32);
}

const SEVERITY_RANK: Record<Severity, number> = { error: 0, warning: 1 };

export function compareFindings(a: Finding, b: Finding): number {
  return (
    SEVERITY_RANK[a.severity] - SEVERITY_RANK[b.severity] ||
    (a.file < b.file ? -1 : a.file > b.file ? 1 : 0) ||
    a.line - b.line ||
    (a.column ?? 0) - (b.column ?? 0) ||
    (a.ruleId < b.ruleId ? -1 : a.ruleId > b.ruleId ? 1 : 0) ||
    (a.message < b.message ? -1 : a.message > b.message ? 1 : 0)
  );
}

/** Default severity of scanner ids: high-entropy guesses warn, known formats are errors. */
export function scannerSeverity(ruleId: string): Severity {
  return ruleId === 'secret/high-entropy' ? 'warning' : 'error';
}

/** Findings about the whole tree: kept whatever the changed-files scope. */
const TREE_WIDE = new Set([RULE_ERROR, 'decision/record-missing', 'decision/unapproved-change']);

export function evaluate(input: EvaluateInput): CheckResult {
  const { config } = input;
  const model = buildModel(input.files, config);
  if (input.base) {
    const baseModel = buildModel(input.base, config);
    model.ctx.base = { ...(baseModel.ctx.decision ? { decision: baseModel.ctx.decision } : {}), files: input.base };
  }
  model.ctx.files = input.files;
  const raw: Finding[] = [];
  const redactOpts = scannerOptions(config, 'artifact');
  const push = (rule: { id: string; defaultSeverity: Severity }, f: RawFinding) => {
    const ruleId = f.ruleId ?? rule.id;
    const sev = severityFor(config, ruleId, rule.defaultSeverity);
    if (sev === 'off') return;
    raw.push({
      ruleId,
      severity: sev,
      file: f.file,
      line: Math.max(1, f.line),
      ...(f.column ? { column: f.column } : {}),
      // Rule messages may quote a field's value: redact any secret or endpoint value in them at the source.
      message: f.ruleId ? f.message : redactSecrets(f.message, redactOpts),
      fingerprint: f.fingerprint ?? fingerprintOf(ruleId, f.file, f.message),
      // A documentation example the scanner marked: applySuppressions lists it as suppressed, as in `scan`.
      ...(f.suppressed ? { suppressed: f.suppressed } : {}),
    });
  };
  for (const rule of [...RULES, ...(input.extraRules ?? [])]) {
    try {
      rule.check(model.ctx, (f) => push(rule, f));
    } catch (e) {
      // Fail closed: a rule that throws is an error finding, never a silent pass. The message names the rule only.
      push({ id: RULE_ERROR, defaultSeverity: 'error' }, {
        file: model.ctx.decision?.file ?? input.files[0]?.path ?? '.',
        line: 1,
        message: `rule ${rule.id} could not evaluate this tree (${e instanceof Error ? e.name : 'error'}): the check fails closed`,
      });
    }
  }
  const allows: AllowDirective[] = [];
  for (const f of input.files) {
    const text = model.texts.get(f.path);
    if (text === undefined) continue;
    for (const s of scanText(text, f.path, scannerOptions(config, f.kind))) {
      push({ id: s.ruleId ?? 'secret/unknown', defaultSeverity: scannerSeverity(s.ruleId ?? '') }, s);
    }
    allows.push(...parseAllowDirectives(text, f.path));
  }

  let scoped = raw;
  if (input.changed) {
    const decisionChanged = model.ctx.decision !== undefined && input.changed.has(model.ctx.decision.file);
    const admissionFiles = new Set(model.ctx.admissions.map((a) => a.file));
    // A rule that could not evaluate, or a tree with no usable decision record, is never out of scope: the check fails
    // closed whatever changed (a pull request touching one admission must not pass because the record is ambiguous).
    const known = input.known;
    scoped = raw.filter(
      (f) => TREE_WIDE.has(f.ruleId) || input.changed!.has(f.file) || (decisionChanged && admissionFiles.has(f.file)) || (known !== undefined && !known.has(f.fingerprint ?? '')),
    );
  }
  const today = input.today ?? new Date().toISOString().slice(0, 10);
  const { active, suppressed } = applySuppressions(scoped, allows, input.baseline ?? [], today);
  active.sort(compareFindings);
  suppressed.sort(compareFindings);

  const admittedPairs: CheckResult['admittedPairs'] = [];
  const erroredFiles = new Set(active.filter((f) => f.severity === 'error').map((f) => f.file));
  // Nothing is admitted without a decision record to match it against.
  for (const a of model.ctx.decision ? model.ctx.admissions : []) {
    if (a.value?.status === 'admitted' && !erroredFiles.has(a.file)) {
      admittedPairs.push({ provider: a.value.provider, model: a.value.model, role: a.value.role, file: a.file });
    }
  }
  const decision = model.ctx.decision;
  return {
    version: 1,
    summary: summarize(input.files.length, active, suppressed),
    findings: active,
    suppressed,
    notes: [],
    ...(decision ? { decision: { status: redactStatus(decision.fields.get('decision_status')?.value, redactOpts), file: decision.file } } : {}),
    admittedPairs,
    filesEvaluated: input.files.map((f) => f.path),
  };
}
