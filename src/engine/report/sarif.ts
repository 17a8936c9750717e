/** SARIF 2.1.0 for GitHub code scanning: rule metadata with help and docs URLs, partial fingerprints, relative URIs. */
import { RULES } from '../rules/index.js';
import { docsUrl } from '../rules/rule.js';
import type { CheckResult, Finding } from '../types.js';

export interface RuleMeta {
  id: string;
  summary: string;
  description: string;
  defaultSeverity: 'error' | 'warning';
}

const level = (s: Finding['severity']) => (s === 'error' ? 'error' : 'warning');

export function toSarif(result: CheckResult, extraRules: readonly RuleMeta[] = [], version = '0.1.0'): string {
  const catalog = new Map<string, RuleMeta>();
  for (const r of [...RULES, ...extraRules]) catalog.set(r.id, r);
  const all = [...result.findings, ...result.suppressed];
  for (const f of all) {
    if (!catalog.has(f.ruleId)) {
      catalog.set(f.ruleId, { id: f.ruleId, summary: f.ruleId, description: `See ${docsUrl(f.ruleId)}`, defaultSeverity: f.severity });
    }
  }
  const used = [...new Set(all.map((f) => f.ruleId))].sort();
  const index = new Map(used.map((id, i) => [id, i]));
  const rules = used.map((id) => {
    const r = catalog.get(id)!;
    return {
      id,
      name: id.replace(/[^A-Za-z0-9]+(.)?/g, (_m, c: string | undefined) => (c ? c.toUpperCase() : '')),
      shortDescription: { text: r.summary },
      fullDescription: { text: r.description.replace(/`/g, '') },
      helpUri: docsUrl(id),
      help: { text: `${r.summary} See ${docsUrl(id)}`, markdown: `${r.description}\n\n[Rule documentation](${docsUrl(id)})` },
      defaultConfiguration: { level: level(r.defaultSeverity) },
      properties: { tags: ['security', 'governance', id.split('/')[0] ?? 'sot'], precision: 'high' },
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
          artifactLocation: { uri: encodeURI(f.file), uriBaseId: '%SRCROOT%' },
          region: { startLine: f.line, ...(f.column ? { startColumn: f.column } : {}) },
        },
      },
    ],
    partialFingerprints: { primaryLocationLineHash: f.fingerprint ?? '', 'sotGate/v1': f.fingerprint ?? '' },
    ...(f.suppressed
      ? { suppressions: [{ kind: f.suppressed.kind === 'inline' ? 'inSource' : 'external', justification: f.suppressed.reason }] }
      : {}),
  });
  const log = {
    $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
    version: '2.1.0',
    runs: [
      {
        tool: {
          driver: {
            name: 'sot-gate',
            semanticVersion: version,
            informationUri: 'https://github.com/sot-gate/sot-gate',
            rules,
          },
        },
        originalUriBaseIds: { '%SRCROOT%': { uri: 'file:///' } },
        results: all.map(toResult),
        columnKind: 'utf16CodeUnits',
      },
    ],
  };
  return JSON.stringify(log, null, 2) + '\n';
}
