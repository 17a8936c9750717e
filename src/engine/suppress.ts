/**
 * Suppression with accountability, for every finding (not only secrets):
 * - inline: `sot-gate:allow <rule> -- <reason>` on the finding's line, or alone in a Markdown comment
 *   (`<!-- sot-gate:allow secret/openai -- reason -->`) on the line above. A directive without a
 *   reason suppresses nothing; the finding says so.
 * - baseline: a JSON file of fingerprints, each with a reason and an optional expiry date.
 * - documentation example: in a Markdown file, `sot-gate:example` on a line covers that line's scanner findings
 *   (reason "documentation example (sot-gate:example)"); in any other file it covers nothing.
 * Suppressed findings are returned, listed and counted, never dropped.
 */
import { z } from 'zod';
import { formatIssues } from './config.js';
import { parseAllowDirectives as parseAllows, type AllowDirective } from './allow.js';
import { EvaluationError, type Finding } from './types.js';

export type { AllowDirective } from './allow.js';

/** The suppression directives of a file (documentation examples are marked by the scanner itself: see scanBlock). */
export { parseAllows as parseAllowDirectives };

export interface BaselineEntry {
  fingerprint: string;
  rule: string;
  file?: string;
  reason: string;
  /** YYYY-MM-DD: the last day the entry is honoured. */
  expires?: string;
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

export function applySuppressions(
  findings: Finding[],
  allows: AllowDirective[],
  baseline: BaselineEntry[],
  today: string,
): { active: Finding[]; suppressed: Finding[] } {
  const active: Finding[] = [];
  const suppressed: Finding[] = [];
  for (const f of findings) {
    // the scanner marked it (a documentation example): listed as suppressed like an inline directive
    if (f.suppressed) {
      suppressed.push(f);
      continue;
    }
    const directives = allows.filter((a) => a.file === f.file && a.line === f.line && ruleMatches(a.rule, f.ruleId));
    const inline = directives.find((a) => a.reason !== '');
    if (inline) {
      suppressed.push({ ...f, suppressed: { kind: 'inline', reason: inline.reason } });
      continue;
    }
    const entry = f.fingerprint
      ? baseline.find((e) => e.fingerprint === f.fingerprint && ruleMatches(e.rule, f.ruleId) && (e.file === undefined || e.file === f.file))
      : undefined;
    if (entry && (entry.expires === undefined || today <= entry.expires)) {
      suppressed.push({ ...f, suppressed: { kind: 'baseline', reason: entry.reason, ...(entry.expires ? { expires: entry.expires } : {}) } });
      continue;
    }
    let message = f.message;
    if (directives.length > 0) message += ' (allow directive needs a reason)';
    if (entry) message += ` (baseline entry expired on ${entry.expires})`;
    active.push(message === f.message ? f : { ...f, message });
  }
  return { active, suppressed };
}
