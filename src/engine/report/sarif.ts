/**
 * SARIF 2.1.0 for GitHub code scanning: every used rule with its help text and docs URL, flattened message text
 * (GitHub rejects message ids), relative URIs under %SRCROOT%, stable partial fingerprints, suppressions as
 * `suppressions`, notes as `invocations[0].toolExecutionNotifications`; every displayed path, note and reason has detected
 * secrets redacted (see display.ts). Validated in the test suite with Microsoft's SARIF multitool, SARIF and GitHub rule sets.
 */
import { RULES } from '../rules/index.js';
import { docsUrl } from '../rules/rule.js';
import { detectors } from '../scanner/index.js';
import { scannerSeverity } from '../check.js';
import type { CheckResult, Finding } from '../types.js';
import { displayed } from './display.js';

export interface RuleMeta {
  id: string;
  summary: string;
  description: string;
  defaultSeverity: 'error' | 'warning';
}

export interface SarifOptions {
  /** Tool version (driver.semanticVersion). */
  version?: string;
  /** The repository, for versionControlProvenance (e.g. https://github.com/o/r) and the commit evaluated. */
  repository?: { uri: string; revision?: string; branch?: string };
  /** Absolute file URI of the checkout root (ending with /), the base of every result's relative URI. */
  srcRoot?: string;
}

const level = (s: Finding['severity']) => (s === 'error' ? 'error' : 'warning');

/** PascalCase display name from a rule id: admission/implicit-fallback -> AdmissionImplicitFallback. */
export function ruleName(id: string): string {
  return id
    .split(/[^A-Za-z0-9]+/)
    .filter(Boolean)
    .map((w) => w[0]!.toUpperCase() + w.slice(1))
    .join('');
}

/** A relative URI for a repository path: each segment percent-encoded, slashes kept. */
export function relativeUri(file: string): string {
  return file
    .split('/')
    .map((s) => encodeURIComponent(s))
    .join('/');
}

const plain = (md: string) => md.replace(/`/g, '').replace(/\*\*/g, '');

/** Rule metadata for every known id: the catalog, the scanner's detectors, and extra rules (decision/unapproved-change). */
export function ruleCatalog(extraRules: readonly RuleMeta[] = []): Map<string, RuleMeta> {
  const catalog = new Map<string, RuleMeta>();
  for (const d of detectors) {
    if (!catalog.has(d.id)) catalog.set(d.id, { id: d.id, summary: d.summary, description: d.docs, defaultSeverity: scannerSeverity(d.id) });
  }
  for (const r of [...RULES, ...extraRules]) catalog.set(r.id, r);
  return catalog;
}

export function toSarif(input: CheckResult, extraRules: readonly RuleMeta[] = [], options: SarifOptions | string = {}): string {
  const result = displayed(input);
  const opts: SarifOptions = typeof options === 'string' ? { version: options } : options;
  const catalog = ruleCatalog(extraRules);
  const all = [...result.findings, ...result.suppressed];
  const used = [...new Set(all.map((f) => f.ruleId))].sort();
  const index = new Map(used.map((id, i) => [id, i]));
  const rules = used.map((id) => {
    const severity = all.find((f) => f.ruleId === id)?.severity ?? 'error';
    const r = catalog.get(id) ?? { id, summary: `sot-gate rule ${id}.`, description: `See ${docsUrl(id)}.`, defaultSeverity: severity };
    return {
      id,
      name: ruleName(id),
      shortDescription: { text: r.summary },
      fullDescription: { text: plain(r.description) },
      helpUri: docsUrl(id),
      help: { text: `${plain(r.description)} Documentation: ${docsUrl(id)}`, markdown: `${r.description}\n\n[Rule documentation](${docsUrl(id)})` },
      defaultConfiguration: { level: level(r.defaultSeverity) },
      properties: {
        tags: ['governance', id.split('/')[0] ?? 'sot', ...(id.startsWith('secret/') ? ['security'] : [])],
        precision: 'high',
        ...(id.startsWith('secret/') ? { 'security-severity': r.defaultSeverity === 'error' ? '8.0' : '5.0' } : {}),
      },
    };
  });
  const toResult = (f: Finding) => ({
    ruleId: f.ruleId,
    ruleIndex: index.get(f.ruleId) ?? 0,
    level: level(f.severity),
    message: { text: f.message },
    locations: [
      {
        physicalLocation: {
          artifactLocation: { uri: relativeUri(f.file), uriBaseId: '%SRCROOT%' },
          region: { startLine: f.line, ...(f.column ? { startColumn: f.column } : {}) },
        },
      },
    ],
    partialFingerprints: f.fingerprint ? { primaryLocationLineHash: f.fingerprint, 'sotGate/v1': f.fingerprint } : {},
    ...(f.suppressed
      ? { suppressions: [{ kind: f.suppressed.kind === 'inline' ? 'inSource' : 'external', justification: f.suppressed.reason }] }
      : {}),
  });
  const log = {
    $schema: 'https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json',
    version: '2.1.0',
    runs: [
      {
        tool: {
          driver: {
            name: 'sot-gate',
            semanticVersion: opts.version ?? '0.1.0',
            informationUri: 'https://github.com/sot-gate/sot-gate',
            rules,
          },
        },
        automationDetails: { id: 'sot-gate/' },
        ...(opts.srcRoot ? { originalUriBaseIds: { '%SRCROOT%': { uri: opts.srcRoot.endsWith('/') ? opts.srcRoot : `${opts.srcRoot}/` } } } : {}),
        ...(opts.repository
          ? {
              versionControlProvenance: [
                {
                  repositoryUri: opts.repository.uri,
                  ...(opts.repository.revision ? { revisionId: opts.repository.revision } : {}),
                  ...(opts.repository.branch ? { branch: opts.repository.branch } : {}),
                  mappedTo: { uriBaseId: '%SRCROOT%' },
                },
              ],
            }
          : {}),
        // Notes (skipped binary files, links never followed): what was not evaluated, so the results are read as such.
        ...(result.notes.length
          ? { invocations: [{ executionSuccessful: true, toolExecutionNotifications: result.notes.map((text) => ({ level: 'note', message: { text } })) }] }
          : {}),
        results: all.map(toResult),
        columnKind: 'utf16CodeUnits',
      },
    ],
  };
  return JSON.stringify(log, null, 2) + '\n';
}
