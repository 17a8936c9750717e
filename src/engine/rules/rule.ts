/**
 * A rule: its public id, default severity, docs and its own examples (gitleaks style: the test suite runs every
 * rule's `fire` examples and expects the rule to fire, and its `quiet` examples and expects silence).
 * To add a rule: copy one file in this folder, give it a new id, and list it in ./index.ts.
 */
import type { Config } from '../config.js';
import type { AdmissionDoc } from '../parse/admission.js';
import type { DecisionRecord } from '../parse/decision.js';
import type { MdDoc } from '../parse/markdown.js';
import type { WorkItem } from '../parse/workitems.js';
import type { SuppressionFacts } from '../suppress.js';
import type { InputFile } from '../tree.js';
import type { RawFinding, Severity } from '../types.js';

export interface RuleContext {
  config: Config;
  /** Every SOT Markdown file that decoded. */
  sot: MdDoc[];
  /** Every admission file that decoded (valid or not; see AdmissionDoc.problems). */
  admissions: AdmissionDoc[];
  /** The decision record, when one was found. */
  decision?: DecisionRecord;
  /** Candidate decision records (SOT files with a Current Decision State). */
  decisionCandidates: string[];
  workItems: WorkItem[];
  /** Files that matched a glob but could not be read as text (binary, invalid UTF-8, symlink, I/O error). */
  unreadable: Array<{ file: string; line: number; reason: string }>;
  /** The base revision, when comparing (CLI --base-ref, or the PR's base commit); `files`: its raw files (change control). */
  base?: { decision?: DecisionRecord; files?: readonly InputFile[] };
  /** The raw files evaluated (change control compares them with base.files). */
  files?: readonly InputFile[];
  /** Set once the suppressions are applied, for the suppress/* rules (which run after every other rule). */
  suppression?: SuppressionFacts;
}

/** A tiny tree for an example: relative path -> content. */
export interface RuleExample {
  description: string;
  files: Record<string, string | Uint8Array>;
  /** Files of the base revision, for transition rules. */
  base?: Record<string, string>;
  /** Raw config (as if read from .github/sot-gate.yml). */
  config?: Record<string, unknown>;
}

/**
 * A rule over some context: the SOT tree (RuleContext, the default) or a Stage 2 run directory (EvidenceContext).
 * Both kinds share this one shape: public id, default severity, docs, its own examples, and check().
 */
export interface Rule<Ctx = RuleContext, Example = RuleExample> {
  id: string;
  defaultSeverity: Severity;
  /** One line, shown in SARIF shortDescription and the docs index. */
  summary: string;
  /** Markdown: what it checks and why, and how to fix it. */
  description: string;
  examples: { fire: Example[]; quiet: Example[] };
  check(ctx: Ctx, report: (finding: RawFinding) => void): void;
}

export const DOCS_BASE = 'https://github.com/sot-gate/sot-gate/blob/main/docs/rules/';

/** docs/rules/<group>-<name>.md */
export function docsPath(ruleId: string): string {
  return `docs/rules/${ruleId.replace(/\//g, '-')}.md`;
}

export function docsUrl(ruleId: string): string {
  return DOCS_BASE + ruleId.replace(/\//g, '-') + '.md';
}
