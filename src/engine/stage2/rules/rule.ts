/**
 * An evidence rule: the engine's Rule (src/engine/rules/rule.ts), with its id, docs and its own examples, reading a
 * Stage 2 run directory (EvidenceContext) instead of a SOT tree. The test suite runs every rule's `fire`
 * examples and expects the rule to fire, and its `quiet` examples and expects silence.
 * To add a rule: copy one file in this folder, give it a new `evidence/` id, list it in ./index.ts, and write
 * docs/rules/evidence-<name>.md (the docs test renders it from the rule).
 */
import type { Rule } from '../../rules/rule.js';
import type { EvidenceContext } from '../context.js';

export interface EvidenceExample {
  description: string;
  /** Run directory files: relative path -> content. */
  files: Record<string, string>;
  /** Admission JSON text; undefined = the valid qwen-local admission, null = no admission file given. */
  admission?: string | null;
  /** Values of endpoint variables in the environment. */
  env?: Record<string, string>;
  /** Symbolic links in the run directory (relative paths). */
  links?: string[];
  /** Why preflight's governance (the SOT check over the repository, the decision record) would refuse the admission; default: it admits it. */
  gateRefusal?: string;
  /** The Case data directory (CASE_DATA_DIR) is outside the run directory. */
  caseDataOutside?: boolean;
  /** Files verify-evidence could not scan (binary, an archive it cannot open). */
  unscannable?: Array<{ file: string; line: number; why: string }>;
  /** Differences from the manifest (verify-evidence --manifest). */
  manifestDiffs?: Array<{ file: string; why: string }>;
}

/** An evidence rule is a Rule over a run directory. */
export type EvidenceRule = Rule<EvidenceContext, EvidenceExample>;
