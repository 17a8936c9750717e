/**
 * Redaction holds in every output format: generated secrets planted in generated SOT and admission files (in a field a
 * rule quotes, or anywhere in the text) never appear in text, JSON, SARIF, the job summary or the annotations.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { annotate } from '../../src/action/annotations.js';
import { toJson } from '../../src/engine/report/json.js';
import { toSarif } from '../../src/engine/report/sarif.js';
import { toSummary } from '../../src/engine/report/summary.js';
import { toText } from '../../src/engine/report/text.js';
import { admissionJson, admissionPath, DECISION_PATH, decisionDoc } from '../../src/engine/rules/fixtures.js';
import { evaluateFiles } from '../helpers/tree.js';
import { scannerOptions, scanText } from '../../src/engine/scanner/index.js';
import { DEFAULT_CONFIG } from '../../src/engine/config.js';

const runs = (n: number) => (process.env.SOT_GATE_FAST === '1' ? Math.max(5, Math.round(n / 10)) : n);
const ALNUM = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
const str = (alphabet: string, n: number) => fc.array(fc.constantFrom(...alphabet), { minLength: n, maxLength: n }).map((a) => a.join(''));
const mixed = (n: number) => fc.tuple(str('abcdefghijklmnopqrstuvwxyz', 2), str('ABCDEFGHIJKLMNOPQRSTUVWXYZ', 2), str('0123456789', 2), str(ALNUM, n - 6)).map((p) => p.join(''));

const secret = fc.oneof(
  fc.tuple(mixed(40), mixed(40)).map(([a, b]) => `sk-proj-${a}T3BlbkFJ${b}`),
  mixed(36).map((b) => `ghp_${b}`),
  mixed(36).map((b) => `npm_${b}`),
  mixed(30).map((b) => `sk_live_${b}`),
  fc.tuple(str('0123456789', 12), str('0123456789', 13), mixed(24)).map(([a, b, c]) => `xoxb-${a}-${b}-${c}`),
  fc.tuple(fc.integer({ min: 1, max: 254 }), fc.integer({ min: 1, max: 254 })).map(([a, b]) => `http://10.${a}.${b}.7:8000/v1`),
);

/** Where the secret goes: a field that a rule quotes in its message, or free text. */
const placements: Array<(s: string) => Record<string, string>> = [
  (s) => ({ [DECISION_PATH]: decisionDoc({ decision_status: `\`${s}\`` }) }),
  (s) => ({ [DECISION_PATH]: decisionDoc({ provider_class: `\`${s}\`` }) }),
  (s) => ({ [DECISION_PATH]: decisionDoc({}, ['not_decided'], { status: s }) }),
  (s) => ({ [DECISION_PATH]: decisionDoc(), [admissionPath('qwen-local', 'qwen3.6-35b-a3b')]: admissionJson({ credential_source_class: s }) }),
  (s) => ({ [DECISION_PATH]: decisionDoc(), [admissionPath('qwen-local', 'qwen3.6-35b-a3b')]: admissionJson({ approval_source: `JP said ${s}` }) }),
  (s) => ({ [DECISION_PATH]: decisionDoc() + `\nSee ${s} for details.\n` }),
];

function annotations(findings: Parameters<typeof annotate>[1]): string {
  const lines: string[] = [];
  const sink = (level: string) => (message: string | Error, props?: unknown) => lines.push(`${level} ${String(message)} ${JSON.stringify(props)}`);
  annotate({ error: sink('error'), warning: sink('warning'), notice: sink('notice') } as never, findings);
  return lines.join('\n');
}

describe('redaction property, every output format', () => {
  it('no format carries a planted secret or any 12-character piece of it', () => {
    fc.assert(
      fc.property(secret, fc.integer({ min: 0, max: placements.length - 1 }), (s, where) => {
        // The promise is about detected values: a degenerate draw (aaaa…) is a placeholder, not a secret.
        fc.pre(scanText(`value = ${s}`, 'x.txt', scannerOptions(DEFAULT_CONFIG, 'artifact')).length > 0);
        const r = evaluateFiles(placements[where]!(s));
        expect(r.findings.length).toBeGreaterThan(0);
        const outputs = [
          toText(r),
          toJson(r),
          toSarif(r),
          toSummary(r, { outcome: 'failed', scope: 'all', root: '.', policy: 'defaults' }),
          annotations(r.findings),
        ].join('\n');
        const value = s.startsWith('http://10.') ? s.replace(/^http:\/\//, '').split(':')[0]! : s;
        expect(outputs).not.toContain(value);
        for (let i = 0; i + 12 <= value.length; i += 3) expect(outputs).not.toContain(value.slice(i, i + 12));
      }),
      { numRuns: runs(150) },
    );
  });
});
