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
import { isMarkdownFile, proseStartLine } from './allow.js';
import { RULES, SUPPRESSION_RULES, type Rule, type RuleContext } from './rules/index.js';
import { EXAMPLE_MARKER, EXAMPLE_REASON, redactSecrets, scannerOptions, scanText } from './scanner/index.js';
import {
  applySuppressions,
  exampleKey,
  ignoredSuppressions,
  isSuppressible,
  parseAllowDirectives,
  type AllowDirective,
  type BaselineEntry,
  type IgnoredSuppression,
} from './suppress.js';
import { nameFindings, type InputFile } from './tree.js';
import { summarize, type CheckResult, type Finding, type RawFinding, type Severity } from './types.js';

export interface EvaluateInput {
  files: InputFile[];
  config: Config;
  /** Files of the base revision, for the transition rules. */
  base?: InputFile[];
  /** The base branch's baseline: its entries count as reviewed. */
  baseline?: BaselineEntry[];
  /**
   * The baseline as the change has it. An entry not in `baseline` exactly as it is (added or changed) counts only with
   * `approvedBy`. Without it, `baseline` is used as it is.
   */
  headBaseline?: BaselineEntry[];
  /**
   * The login of an approver whose approval of the current head counts. With it, the suppressions the change adds
   * (directives, example markers, baseline entries) count, and their reason names the approver. Without it, and with a
   * `base`, they count for nothing and suppress/unapproved reports them.
   */
  approvedBy?: string;
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
    else {
      const doc = parseMarkdown(f.path, text, lines);
      // Markdown the parser cannot read is unreadable (fail closed), never a document without state.
      if (doc.parseError) unreadable.push({ file: f.path, line: 1, reason: doc.parseError });
      sot.push(doc);
    }
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

/**
 * The whole tree's error count for admission decisions (stage2-ready, dispatch). A result without `treeErrors` (not
 * from evaluate()) counts its unsuppressed errors and every suppressed error of a rule no suppression may cover.
 */
export function treeErrorCount(result: Pick<CheckResult, 'summary' | 'suppressed' | 'treeErrors'>): number {
  if (result.treeErrors) return result.treeErrors.count;
  return result.summary.errors + result.suppressed.filter((f) => f.severity === 'error' && !isSuppressible(f.ruleId)).length;
}

/** Default severity of scanner ids: high-entropy guesses warn, known formats are errors. */
export function scannerSeverity(ruleId: string): Severity {
  return ruleId === 'secret/high-entropy' ? 'warning' : 'error';
}

/** Findings about the whole tree: kept whatever the changed-files scope. */
const TREE_WIDE = new Set([RULE_ERROR, 'decision/record-missing', 'decision/ambiguous', 'suppress/unapproved', 'decision/unapproved-change']);

const lineHash = (line: string | undefined) => createHash('sha256').update((line ?? '').trim()).digest('hex').slice(0, 32);

/** A directive is the same as a reviewed one when file, rule, reason and the text of the line it covers are the same. */
const directiveKey = (a: AllowDirective, lines: readonly string[]) => `${a.file}\0${a.rule}\0${a.reason}\0${lineHash(lines[a.line - 1])}`;

/** Where directives and example markers may count: the prose of a SOT Markdown file. */
const isProseFile = (f: InputFile) => f.kind === 'sot' && isMarkdownFile(f.path);

/** 1-based lines carrying the example marker, split into those in Markdown prose and the others. */
function exampleMarkers(f: InputFile, text: string, lines: readonly string[]): { prose: number[]; elsewhere: number[] } {
  const out = { prose: [] as number[], elsewhere: [] as number[] };
  if (!text.includes(EXAMPLE_MARKER)) return out;
  const from = isProseFile(f) ? proseStartLine(text) : Number.POSITIVE_INFINITY;
  lines.forEach((l, i) => {
    if (l.includes(EXAMPLE_MARKER)) (i + 1 >= from ? out.prose : out.elsewhere).push(i + 1);
  });
  return out;
}

/** The same entry: every field equal (a later expiry or another reason is a change). */
const entryKey = (e: BaselineEntry) => JSON.stringify([e.fingerprint, e.rule, e.file ?? null, e.reason, e.expires ?? null]);

export function evaluate(input: EvaluateInput): CheckResult {
  const { config } = input;
  const model = buildModel(input.files, config);
  let baseModel: Model | undefined;
  if (input.base) {
    baseModel = buildModel(input.base, config);
    model.ctx.base = { ...(baseModel.ctx.decision ? { decision: baseModel.ctx.decision } : {}), files: input.base };
  }
  model.ctx.files = input.files;
  const raw: Finding[] = [];
  const redactOpts = scannerOptions(config, 'artifact');
  const pushTo = (sink: Finding[]) => (rule: { id: string; defaultSeverity: Severity }, f: RawFinding) => {
    const ruleId = f.ruleId ?? rule.id;
    const sev = severityFor(config, ruleId, rule.defaultSeverity);
    if (sev === 'off') return;
    sink.push({
      ruleId,
      severity: sev,
      file: f.file,
      line: Math.max(1, f.line),
      ...(f.column ? { column: f.column } : {}),
      // Rule messages may quote a field's value: redact any secret or endpoint value in them at the source.
      message: f.ruleId ? f.message : redactSecrets(f.message, redactOpts),
      fingerprint: f.fingerprint ?? fingerprintOf(ruleId, f.file, f.message),
      // A documentation example the scanner marked: applySuppressions decides whether it counts.
      ...(f.suppressed ? { suppressed: f.suppressed } : {}),
    });
  };
  const push = pushTo(raw);
  const runRules = (rules: readonly Rule[], sink: Finding[]) => {
    const add = pushTo(sink);
    for (const rule of rules) {
      try {
        rule.check(model.ctx, (f) => add(rule, f));
      } catch (e) {
        // Fail closed: a rule that throws is an error finding, never a silent pass. The message names the rule only.
        add({ id: RULE_ERROR, defaultSeverity: 'error' }, {
          file: model.ctx.decision?.file ?? input.files[0]?.path ?? '.',
          line: 1,
          message: `rule ${rule.id} could not evaluate this tree (${e instanceof Error ? e.name : 'error'}): the check fails closed`,
        });
      }
    }
  };
  // The suppress/* rules run last, once the suppressions are applied.
  runRules([...RULES.filter((r) => !SUPPRESSION_RULES.includes(r)), ...(input.extraRules ?? [])], raw);
  const allows: AllowDirective[] = [];
  // A token used as a file or directory name is a finding too (the name is shown redacted, like every path).
  for (const s of nameFindings(input.files.map((f) => f.path), config)) push({ id: s.ruleId!, defaultSeverity: scannerSeverity(s.ruleId!) }, s);
  const lines = new Map<string, string[]>();
  const ignoredMarkers: IgnoredSuppression[] = [];
  for (const f of input.files) {
    const text = model.texts.get(f.path);
    if (text === undefined) continue;
    const fileLines = text.split('\n');
    lines.set(f.path, fileLines);
    for (const s of scanText(text, f.path, scannerOptions(config, f.kind))) {
      // The example marker counts only in the prose of a SOT Markdown file.
      const { suppressed: mark, ...rest } = s;
      const counts = mark && isProseFile(f) && (s.line ?? 1) >= proseStartLine(text);
      push({ id: s.ruleId ?? 'secret/unknown', defaultSeverity: scannerSeverity(s.ruleId ?? '') }, counts ? s : rest);
    }
    allows.push(...parseAllowDirectives(text, f.path, { markdown: isProseFile(f) }));
    for (const line of exampleMarkers(f, text, fileLines).elsewhere) {
      ignoredMarkers.push({
        file: f.path,
        line,
        message: `\`${EXAMPLE_MARKER}\` is ${isProseFile(f) ? 'in the YAML front matter' : 'not in a Markdown file'}: it marks nothing (the marker counts only in the prose of a Markdown file)`,
      });
    }
  }

  // What the change adds: directives and example markers not in the base revision of their file, as they are.
  const addedExamples = new Set<string>();
  if (baseModel && input.base) {
    const reviewedDirectives = new Set<string>();
    const reviewedMarkers = new Set<string>();
    for (const f of input.base) {
      const text = baseModel.texts.get(f.path);
      if (text === undefined) continue;
      const baseLines = text.split('\n');
      for (const a of parseAllowDirectives(text, f.path, { markdown: isProseFile(f) })) reviewedDirectives.add(directiveKey(a, baseLines));
      for (const line of exampleMarkers(f, text, baseLines).prose) reviewedMarkers.add(`${f.path}\0${lineHash(baseLines[line - 1])}`);
    }
    for (const a of allows) a.added = !reviewedDirectives.has(directiveKey(a, lines.get(a.file) ?? []));
    for (const f of raw) {
      if (f.suppressed?.reason !== EXAMPLE_REASON) continue;
      if (!reviewedMarkers.has(`${f.file}\0${lineHash(lines.get(f.file)?.[f.line - 1])}`)) addedExamples.add(exampleKey(f.file, f.line));
    }
  }
  let entries = input.baseline ?? [];
  if (input.headBaseline) {
    const reviewed = new Set(entries.map(entryKey));
    entries = input.headBaseline.map((e) => (reviewed.has(entryKey(e)) ? e : { ...e, added: true }));
  }

  const today = input.today ?? new Date().toISOString().slice(0, 10);
  const applied = applySuppressions(raw, allows, entries, today, { ...(input.approvedBy ? { approvedBy: input.approvedBy } : {}), addedExamples });
  const baselineFile = config.secrets.baseline ?? 'baseline';
  model.ctx.suppression = {
    unreviewed: applied.unreviewed,
    ignored: [...ignoredSuppressions(allows, entries, baselineFile), ...ignoredMarkers],
    baselineFile,
  };
  const post: Finding[] = [];
  runRules(SUPPRESSION_RULES, post);
  const allActive = [...applied.active, ...post];
  const allSuppressed = applied.suppressed;

  // Admission decisions read the whole tree, whatever the scope, and ignore suppression: an admission with an error
  // finding, suppressed or not, admits nothing, and a suppressed governance error counts as an error.
  const admittedPairs: CheckResult['admittedPairs'] = [];
  const erroredFiles = new Set([...allActive, ...allSuppressed].filter((f) => f.severity === 'error').map((f) => f.file));
  // Nothing is admitted without a decision record to match it against, nor against a record that reads two ways.
  const usable = model.ctx.decision !== undefined && model.ctx.decision.ambiguities.length === 0;
  for (const a of usable ? model.ctx.admissions : []) {
    if (a.value?.status === 'admitted' && !erroredFiles.has(a.file)) {
      admittedPairs.push({ provider: a.value.provider, model: a.value.model, role: a.value.role, file: a.file });
    }
  }
  const blocking = [...allActive, ...allSuppressed.filter((f) => !isSuppressible(f.ruleId))].filter((f) => f.severity === 'error').sort(compareFindings);

  let active = allActive;
  let suppressed = allSuppressed;
  if (input.changed) {
    const changed = input.changed;
    const decisionChanged = model.ctx.decision !== undefined && changed.has(model.ctx.decision.file);
    const admissionFiles = new Set(model.ctx.admissions.map((a) => a.file));
    // A rule that could not evaluate, or a tree with no usable decision record, is never out of scope: the check fails
    // closed whatever changed (a pull request touching one admission must not pass because the record is ambiguous).
    const known = input.known;
    // A finding the base tree does not produce is the change's doing, whichever file it sits on.
    const inScope = (f: Finding) =>
      TREE_WIDE.has(f.ruleId) || changed.has(f.file) || (decisionChanged && admissionFiles.has(f.file)) || (known !== undefined && !known.has(f.fingerprint ?? ''));
    active = active.filter(inScope);
    suppressed = suppressed.filter(inScope);
  }
  active.sort(compareFindings);
  suppressed.sort(compareFindings);

  const decision = model.ctx.decision;
  const first = blocking[0];
  return {
    version: 1,
    summary: summarize(input.files.length, active, suppressed),
    findings: active,
    suppressed,
    notes: [],
    ...(decision ? { decision: { status: redactStatus(decision.fields.get('decision_status')?.value, redactOpts), file: decision.file } } : {}),
    admittedPairs,
    treeErrors: { count: blocking.length, ...(first ? { first: { ruleId: first.ruleId, file: first.file, line: first.line } } : {}) },
    filesEvaluated: input.files.map((f) => f.path),
  };
}
