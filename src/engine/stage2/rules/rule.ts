/**
 * An evidence rule: like the engine's rules (src/engine/rules/rule.ts), with its id, docs and its own examples, but
 * it reads a Stage 2 run directory (EvidenceContext) instead of a SOT tree. The test suite runs every rule's `fire`
 * examples and expects the rule to fire, and its `quiet` examples and expects silence.
 * To add a rule: copy one file in this folder, give it a new `evidence/` id, list it in ./index.ts, and write
 * docs/rules/evidence-<name>.md (the docs test renders it from the rule).
 */
import type { RawFinding, Severity } from '../../types.js';
import type { EvidenceContext } from '../context.js';

export interface EvidenceExample {
  description: string;
  /** Run directory files: relative path -> content. */
  files: Record<string, string>;
  /** Admission JSON text; undefined = the valid qwen-local admission, null = no admission file given. */
  admission?: string | null;
  /** Values of endpoint variables in the environment. */
  env?: Record<string, string>;
}

export interface EvidenceRule {
  id: string;
  defaultSeverity: Severity;
  summary: string;
  /** Markdown: what it checks, why (with the seed it comes from), how to fix it. */
  description: string;
  examples: { fire: EvidenceExample[]; quiet: EvidenceExample[] };
  check(ctx: EvidenceContext, report: (finding: RawFinding) => void): void;
}
