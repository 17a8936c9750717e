/**
 * The policy: one zod schema holds every default (the defaults are the policy in the seeds),
 * its superRefine holds the cross-field rules. A bad key gets an error naming its path.
 */
import { z } from 'zod';
import YAML from 'yaml';
import { RULES } from './rules/index.js';
import { UNAPPROVED_CHANGE_ID } from './rules/decision/unapproved-change.js';
import { SCANNER_RULE_IDS } from './scanner/index.js';
import { EVIDENCE_RULES } from './stage2/rules/index.js';
import { EvaluationError, type SeveritySetting } from './types.js';

const pair = z.object({ provider: z.string().min(1), model: z.string().min(1) }).strict();

export const DEFAULT_DECISION_STATUSES = ['not_decided', 'external_provider_approved', 'local_provider_required'] as const;

/**
 * The protected surface of change control (decision/unapproved-change): on a pull request, any change to one of these
 * needs an approval that counts. `decision-record`: every file that is, was or becomes a decision record (the configured
 * one and every SOT file with a Current Decision State, on either side), any content change, added, deleted or renamed;
 * `admissions`: every admission file; `policy`: the policy file; `baseline`: the baseline file (`secrets.baseline`).
 */
export const PROTECTED_SURFACE = ['decision-record', 'admissions', 'policy', 'baseline'] as const;
export type ProtectedSurface = (typeof PROTECTED_SURFACE)[number];

const severitySetting = z.enum(['error', 'warning', 'off']);

export const configSchema = z
  .object({
    /** Globs (minimatch, relative to the root) of SOT Markdown files. */
    'sot-files': z.array(z.string().min(1)).min(1).default(['.sot/**/*.md']),
    /** Globs of admission JSON files. */
    'admission-files': z.array(z.string().min(1)).min(1).default(['**/*ADMISSION*.json']),
    /** Paths never read (node_modules and .git are always excluded). */
    ignore: z.array(z.string().min(1)).default([]),
    /** The decision record; default: the SOT file that has a `## Current Decision State`. */
    'decision-record': z.string().min(1).optional(),
    vocabularies: z
      .object({
        'decision-status': z.array(z.string().min(1)).min(1).default([...DEFAULT_DECISION_STATUSES]),
        /** Which provider classes each decided status allows. */
        'provider-classes': z
          .record(z.string(), z.array(z.string().min(1)).min(1))
          .default({
            external_provider_approved: ['external_anthropic', 'external_openai_codex'],
            local_provider_required: ['local_case_compatible'],
          }),
        /** Provider class that approves each provider name (used by the deny list). */
        'provider-class-of': z.record(z.string(), z.string()).default({
          anthropic: 'external_anthropic',
          'openai-codex': 'external_openai_codex',
          'qwen-local': 'local_case_compatible',
          vllm: 'local_case_compatible',
        }),
        'work-item-status': z
          .array(z.string().min(1))
          .min(1)
          .default(['proposed', 'open', 'ready', 'in_progress', 'blocked', 'validated', 'resolved', 'done', 'cancelled', 'superseded']),
        'frontmatter-status': z.array(z.string().min(1)).min(1).default(['draft', 'active', 'validated', 'superseded', 'archived']),
        'lifecycle-classification': z.array(z.string().min(1)).min(1).default(['sot', 'core', 'archive']),
        'core-promotion-status': z.array(z.string().min(1)).min(1).default(['not-promoted', 'candidate', 'promoted']),
      })
      .strict()
      .prefault({}),
    /** Pairs that may never be admitted unless the decision approves their provider class. */
    'deny-list': z.array(pair).default([{ provider: 'anthropic', model: 'claude-sonnet-4-6' }]),
    /** Per-rule severity, or `off`. Keys are rule ids; `secret/*`-style prefixes apply to a family. A key that names no rule is an error. */
    rules: z.record(z.string(), severitySetting).default({}),
    /** Who may approve a change of decision state: GitHub logins or org/team slugs. */
    approvers: z.array(z.string().regex(/^[A-Za-z0-9-]+(\/[A-Za-z0-9._-]+)?$/, 'a GitHub login or org/team slug')).default([]),
    /** Stage 2 policy (verify-evidence). */
    stage2: z
      .object({
        /** The copied artificial fixtures a Stage 2 run may use (report `case`, baseline `case`, trace `case`/`fixture`). */
        'allowed-fixtures': z.array(z.string().min(1)).min(1).default(['r1-string-slugify']),
      })
      .strict()
      .prefault({}),
    /** What a pull request may change only with an approver's approval (read from the base branch's policy). */
    'change-control': z
      .object({
        /** The protected surface; default: all of it. */
        protect: z.array(z.enum(PROTECTED_SURFACE)).default([...PROTECTED_SURFACE]),
        /** More protected files: globs (minimatch) relative to the root, e.g. `.sot/**`. */
        files: z.array(z.string().min(1)).default([]),
      })
      .strict()
      .prefault({}),
    secrets: z
      .object({
        /** Variables whose value is a private endpoint and must never be written out. */
        'endpoint-variables': z.array(z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/)).default(['CTO_HARNESS_CASE_LOCAL_BASE_URL']),
        /** Globs / path prefixes of Target Repository paths that must not appear. */
        'target-repository-patterns': z.array(z.string().min(1)).default([]),
        /** Files larger than this are scanned streaming (never skipped). */
        'max-file-size': z.number().int().positive().default(8 * 1024 * 1024),
        /** Baseline of known findings (by fingerprint), relative to the root. */
        baseline: z.string().min(1).optional(),
      })
      .strict()
      .prefault({}),
  })
  .strict()
  .superRefine((cfg, ctx) => {
    const statuses = new Set(cfg.vocabularies['decision-status']);
    if (!statuses.has('not_decided')) {
      ctx.addIssue({ code: 'custom', path: ['vocabularies', 'decision-status'], message: 'must keep not_decided (nothing may run while undecided)' });
    }
    for (const status of Object.keys(cfg.vocabularies['provider-classes'])) {
      if (!statuses.has(status)) {
        ctx.addIssue({ code: 'custom', path: ['vocabularies', 'provider-classes', status], message: `"${status}" is not a decision status` });
      }
      if (status === 'not_decided') {
        ctx.addIssue({ code: 'custom', path: ['vocabularies', 'provider-classes', status], message: 'not_decided cannot approve a provider class' });
      }
    }
    for (const rule of Object.keys(cfg.rules)) {
      if (!/^[a-z0-9-]+\/(\*|[a-z0-9-]+)$/.test(rule)) {
        ctx.addIssue({ code: 'custom', path: ['rules', rule], message: `"${rule}" is not a rule id (group/name)` });
        continue;
      }
      const problem = unknownRuleKey(rule);
      if (problem) ctx.addIssue({ code: 'custom', path: ['rules', rule], message: problem });
    }
  });

/** Every rule id a `rules:` key may name, from the registries; read only when a key is checked, never at module load. */
export function knownRuleIds(): string[] {
  return [...new Set([...RULES.map((r) => r.id), UNAPPROVED_CHANGE_ID, ...SCANNER_RULE_IDS, ...EVIDENCE_RULES.map((r) => r.id), 'engine/rule-error'])].sort();
}

/** Edit distance (insert, delete, substitute), for "did you mean". */
function distance(a: string, b: string): number {
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const cur = [i];
    for (let j = 1; j <= b.length; j++) cur[j] = Math.min(prev[j]! + 1, cur[j - 1]! + 1, prev[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
    prev = cur;
  }
  return prev[b.length]!;
}

/** Why a well-formed `rules:` key names no rule (with the nearest known key when close), or undefined when it does. */
function unknownRuleKey(key: string): string | undefined {
  const ids = knownRuleIds();
  const glob = key.endsWith('/*');
  const candidates = glob ? [...new Set(ids.map((id) => `${id.split('/')[0]}/*`))] : ids;
  if (candidates.includes(key)) return undefined;
  let best: { id: string; d: number } | undefined;
  for (const id of candidates) {
    const d = distance(key, id);
    if (!best || d < best.d) best = { id, d };
  }
  const hint = best && best.d <= Math.max(1, Math.floor(key.length / 4)) ? `; did you mean "${best.id}"?` : '';
  return glob ? `"${key}" matches no rule id${hint}` : `"${key}" is not a known rule id${hint}`;
}

export type Config = z.infer<typeof configSchema>;

export const DEFAULT_CONFIG: Config = configSchema.parse({});

/** Formats zod issues as `path: message` lines. */
export function formatIssues(issues: ReadonlyArray<{ path: ReadonlyArray<PropertyKey>; message: string }>): string[] {
  return issues.map((i) => `${i.path.length ? i.path.map(String).join('.') : '(root)'}: ${i.message}`);
}

/** Parse config text (YAML). Throws EvaluationError (exit 2) naming the bad key's path. */
export function parseConfig(text: string, source = '.github/sot-gate.yml'): Config {
  let raw: unknown;
  try {
    // Warnings (an unknown tag such as !!js/function) fail like errors: the policy must mean exactly what it says, and
    // the yaml library would otherwise print its warning block on stderr.
    const doc = YAML.parseDocument(text, { prettyErrors: true, uniqueKeys: true, logLevel: 'silent' });
    const problem = doc.errors[0] ?? doc.warnings[0];
    if (problem) throw problem;
    raw = doc.toJS({ maxAliasCount: 100 });
  } catch (e) {
    throw new EvaluationError(`${source}: not valid YAML: ${(e as Error).message.split('\n')[0]}`);
  }
  if (raw === null || raw === undefined) raw = {};
  const parsed = configSchema.safeParse(raw);
  if (!parsed.success) {
    throw new EvaluationError(`${source}: invalid configuration: ${formatIssues(parsed.error.issues).join('; ')}`);
  }
  return parsed.data;
}

/** Severity for a rule id: exact id, then `group/*`, then the rule's default. */
export function severityFor(cfg: Config, ruleId: string, fallback: SeveritySetting): SeveritySetting {
  const exact = cfg.rules[ruleId];
  if (exact) return exact;
  const group = cfg.rules[`${ruleId.split('/')[0]}/*`];
  return group ?? fallback;
}

export const CONFIG_PATH = '.github/sot-gate.yml';
