/**
 * Suppression with accountability. Who can suppress what:
 * - Only exposure findings (INLINE_SUPPRESSIBLE: `secret/*`, `endpoint/*`, `path/*`) can be suppressed at all.
 *   Governance findings (`decision/*`, `admission/*`, `workitem/*`, `sot/*`, `evidence/*`, `engine/*`, `suppress/*`)
 *   never are: not inline, not by a baseline entry. Their severity is the base branch policy's business.
 * - inline: `sot-gate:allow <rule> -- <reason>` on the finding's line, or alone in a Markdown comment
 *   (`<!-- sot-gate:allow secret/openai -- reason -->`) on the line above, only in the prose of a Markdown file (its
 *   body, never its YAML front matter, never JSON, YAML, logs or any other file). A directive without a reason
 *   suppresses nothing; the finding says so. A directive that cannot count is reported (suppress/ignored-directive).
 * - baseline: a JSON file of fingerprints, each with a reason and an optional expiry date.
 * - documentation example: in the prose of a Markdown file, `sot-gate:example` on a line covers that line's scanner
 *   findings (reason "documentation example (sot-gate:example)"); anywhere else it covers nothing.
 * - A directive, marker or baseline entry the change itself adds or changes (the engine compares with the base
 *   revision) counts only with `approvedBy`: until then the finding stays active and suppress/unapproved says what it
 *   would hide.
 * Suppressed findings are returned, listed and counted, never dropped. Admission decisions ignore suppression.
 */
import { z } from 'zod';
import { formatIssues } from './config.js';
import { INLINE_SUPPRESSIBLE, isSuppressible, parseAllowDirectives as parseAllows, patternCanSuppress, type AllowDirective } from './allow.js';
import { EvaluationError, type Finding } from './types.js';

export type { AllowDirective } from './allow.js';
/** The suppression policy (defined in allow.ts, which imports nothing, so that the rule files can use it too). */
export { INLINE_SUPPRESSIBLE, isSuppressible, patternCanSuppress };

/** The suppression directives of a file (documentation examples are marked by the scanner itself: see scanBlock). */
export { parseAllows as parseAllowDirectives };

export interface BaselineEntry {
  fingerprint: string;
  rule: string;
  file?: string;
  reason: string;
  /** YYYY-MM-DD: the last day the entry is honoured. */
  expires?: string;
  /** Set by the engine: the change adds or changes this entry (it is not in the base branch's baseline as it is). */
  added?: boolean;
}

const baselineSchema = z
  .object({
    version: z.literal(1),
    entries: z.array(
      z
        .object({
          fingerprint: z.string().regex(/^[0-9a-f]{8,64}$/, 'a hex fingerprint'),
          rule: z.string().min(1),
          file: z.string().min(1).optional(),
          reason: z.string().trim().min(1, 'a reason is required'),
          expires: z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'a date YYYY-MM-DD').optional(),
        })
        .strict(),
    ),
  })
  .strict();

/** Parse a baseline file ({"version":1,"entries":[…]}). Throws EvaluationError naming the bad key's path. */
export function parseBaseline(text: string, source: string): BaselineEntry[] {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (e) {
    throw new EvaluationError(`${source}: not valid JSON: ${(e as Error).message}`);
  }
  const parsed = baselineSchema.safeParse(raw);
  if (!parsed.success) throw new EvaluationError(`${source}: invalid baseline: ${formatIssues(parsed.error.issues).join('; ')}`);
  return parsed.data.entries.map((e) => ({ ...e }));
}

/** Does a directive/baseline rule (`secret/openai`, `secret/*`, `*`) cover a rule id? */
export function ruleMatches(pattern: string, ruleId: string): boolean {
  if (pattern === '*' || pattern === ruleId) return true;
  return pattern.endsWith('/*') && ruleId.startsWith(pattern.slice(0, -1));
}

const FAMILIES = INLINE_SUPPRESSIBLE.map((p) => `\`${p}*\``).join(', ');

/** A directive or baseline entry that suppresses nothing because of where it is or what it names. */
export interface IgnoredSuppression {
  file: string;
  line: number;
  message: string;
}

/** Directives written where directives do not count, or naming a rule no directive covers, and baseline entries naming one. */
export function ignoredSuppressions(allows: readonly AllowDirective[], baseline: readonly BaselineEntry[] = [], baselineFile = 'baseline'): IgnoredSuppression[] {
  const out: IgnoredSuppression[] = [];
  for (const a of allows) {
    const what = `\`sot-gate:allow ${a.rule}\``;
    if (a.where === 'front-matter') {
      out.push({ file: a.file, line: a.at, message: `${what} is in the YAML front matter: it suppresses nothing (a directive counts only in the prose of a Markdown file)` });
    } else if (a.where === 'not-markdown') {
      out.push({ file: a.file, line: a.at, message: `${what} is not in a Markdown file: it suppresses nothing (a directive counts only in the prose of a Markdown file, never in JSON, YAML, logs or other files)` });
    } else if (!patternCanSuppress(a.rule)) {
      out.push({ file: a.file, line: a.at, message: `${what} names a rule no directive covers: it suppresses nothing (only ${FAMILIES} findings can be suppressed; governance findings never are)` });
    }
  }
  for (const e of baseline) {
    if (!patternCanSuppress(e.rule)) {
      out.push({ file: baselineFile, line: 1, message: `baseline entry ${e.fingerprint.slice(0, 8)}… names ${e.rule}, a rule no suppression covers: it suppresses nothing (only ${FAMILIES} findings can be suppressed)` });
    }
  }
  return out;
}

/** A suppression the change adds or changes, not approved: it would hide `hides`, which stays active. */
export interface UnreviewedSuppression {
  kind: 'directive' | 'example' | 'baseline';
  /** Where the suppression is written (a baseline entry: undefined, the engine names the baseline file). */
  file?: string;
  line?: number;
  /** The directive's or entry's rule pattern. */
  rule?: string;
  fingerprint?: string;
  /** The finding it would hide; undefined for a baseline entry that hides no active finding. */
  hides?: Finding;
}

export interface SuppressOptions {
  /** The login of an approver whose approval of the current head counts: suppressions the change adds then count. */
  approvedBy?: string;
  /** `file\0line` of the documentation-example lines (sot-gate:example) the change adds. */
  addedExamples?: ReadonlySet<string>;
}

/** What the suppress/* rules read (set by evaluate() once the suppressions are applied). */
export interface SuppressionFacts {
  unreviewed: UnreviewedSuppression[];
  ignored: IgnoredSuppression[];
  /** The baseline file (relative to the root), where findings about its entries are reported. */
  baselineFile: string;
}

export const exampleKey = (file: string, line: number) => `${file}\0${line}`;

interface Candidate {
  kind: UnreviewedSuppression['kind'];
  added: boolean;
  suppression: NonNullable<Finding['suppressed']>;
  directive?: AllowDirective;
  entry?: BaselineEntry;
}

export function applySuppressions(
  findings: Finding[],
  allows: AllowDirective[],
  baseline: BaselineEntry[],
  today: string,
  opts: SuppressOptions = {},
): { active: Finding[]; suppressed: Finding[]; unreviewed: UnreviewedSuppression[] } {
  const active: Finding[] = [];
  const suppressed: Finding[] = [];
  const unreviewed: UnreviewedSuppression[] = [];
  const { approvedBy } = opts;
  const usedEntries = new Set<BaselineEntry>();
  for (const finding of findings) {
    // The scanner marks a documentation example; it counts only where the policy says (below).
    const { suppressed: mark, ...f } = finding;
    if (!isSuppressible(f.ruleId)) {
      active.push(f);
      continue;
    }
    const candidates: Candidate[] = [];
    if (mark) candidates.push({ kind: 'example', added: opts.addedExamples?.has(exampleKey(f.file, f.line)) ?? false, suppression: mark });
    const directives = allows.filter((a) => a.where === 'prose' && a.file === f.file && a.line === f.line && ruleMatches(a.rule, f.ruleId));
    for (const a of directives) {
      if (a.reason !== '') candidates.push({ kind: 'directive', added: a.added === true, suppression: { kind: 'inline', reason: a.reason }, directive: a });
    }
    const entries = f.fingerprint
      ? baseline.filter((e) => e.fingerprint === f.fingerprint && ruleMatches(e.rule, f.ruleId) && (e.file === undefined || e.file === f.file))
      : [];
    const live = entries.filter((e) => e.expires === undefined || today <= e.expires);
    for (const e of live) {
      usedEntries.add(e);
      candidates.push({ kind: 'baseline', added: e.added === true, suppression: { kind: 'baseline', reason: e.reason, ...(e.expires ? { expires: e.expires } : {}) }, entry: e });
    }
    const reviewed = candidates.find((c) => !c.added);
    if (reviewed) {
      suppressed.push({ ...f, suppressed: reviewed.suppression });
      continue;
    }
    const approved = approvedBy !== undefined ? candidates[0] : undefined;
    if (approved) {
      suppressed.push({ ...f, suppressed: { ...approved.suppression, reason: `${approved.suppression.reason} (added by this change; approved by @${approvedBy})` } });
      continue;
    }
    for (const c of candidates) {
      unreviewed.push({
        kind: c.kind,
        ...(c.kind === 'example' ? { file: f.file, line: f.line } : {}),
        ...(c.directive ? { file: c.directive.file, line: c.directive.at, rule: c.directive.rule } : {}),
        ...(c.entry ? { rule: c.entry.rule, fingerprint: c.entry.fingerprint } : {}),
        hides: f,
      });
    }
    let message = f.message;
    if (directives.length > 0 && !directives.some((a) => a.reason !== '')) message += ' (allow directive needs a reason)';
    if (entries.length > live.length) message += ` (baseline entry expired on ${entries.find((e) => !live.includes(e))!.expires})`;
    if (candidates.length > 0) message += ' (the suppression this change adds needs an approval: see suppress/unapproved)';
    active.push(message === f.message ? f : { ...f, message });
  }
  // A baseline entry the change adds that hides no active finding now could hide one later, unreviewed: report it too.
  if (approvedBy === undefined) {
    for (const e of baseline) {
      if (e.added && !usedEntries.has(e) && patternCanSuppress(e.rule) && (e.expires === undefined || today <= e.expires)) {
        unreviewed.push({ kind: 'baseline', rule: e.rule, fingerprint: e.fingerprint });
      }
    }
  }
  return { active, suppressed, unreviewed };
}
