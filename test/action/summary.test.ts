import { describe, expect, it } from 'vitest';
import { cell, SUMMARY_LIMIT, toSummary, type SummaryInfo } from '../../src/engine/report/summary.js';
import type { CheckResult, Finding } from '../../src/engine/types.js';

const info: SummaryInfo = { outcome: 'failed', scope: 'all', root: '.', policy: 'defaults' };
const f = (i: number, extra: Partial<Finding> = {}): Finding => ({ ruleId: 'admission/stale', severity: 'error', file: `a${i}.json`, line: 3, message: `msg ${i}`, fingerprint: 'x', ...extra });
const result = (findings: Finding[], suppressed: Finding[] = []): CheckResult => ({
  version: 1,
  summary: { files: 2, errors: findings.filter((x) => x.severity === 'error').length, warnings: findings.filter((x) => x.severity === 'warning').length, suppressed: suppressed.length },
  findings,
  suppressed,
  notes: [],
  admittedPairs: [],
  filesEvaluated: [],
  decision: { status: 'local_provider_required', file: 'd.md' },
});

describe('job summary', () => {
  it('has the outcome, counts, a findings table with docs links, and the suppressed findings', () => {
    const md = toSummary(result([f(1)], [f(2, { suppressed: { kind: 'inline', reason: 'known, tracked in #12' } })]), info);
    expect(md).toContain('## ❌ sot-gate: failed');
    expect(md).toContain('**1 error**, 0 warnings, 1 suppressed; 2 files evaluated.');
    expect(md).toContain('| ❌ error | [`admission/stale`](https://github.com/sot-gate/sot-gate/blob/main/docs/rules/admission-stale.md) | `a1.json:3` | msg 1 |');
    expect(md).toContain('1 suppressed finding (listed, not failing)');
    expect(md).toContain('inline: known, tracked in #12');
    expect(md).toContain('Decision status: `local_provider_required`');
  });

  it('escapes table cells: pipes, newlines and HTML cannot break the table or inject markup', () => {
    expect(cell('a|b\nc<script>&')).toBe('a\\|b c&lt;script&gt;&amp;');
    const md = toSummary(result([f(1, { message: 'x | y\n<img src=x>' })]), info);
    expect(md).not.toContain('<img');
  });

  it('stays under the byte limit and says how many findings are left out', () => {
    const many = Array.from({ length: 5000 }, (_, i) => f(i, { message: 'long message '.repeat(20) }));
    const md = toSummary(result(many), { ...info, fullListAt: 'the SARIF file' });
    expect(Buffer.byteLength(md)).toBeLessThan(SUMMARY_LIMIT);
    const m = /\*\*(\d+) more findings not shown\*\*/.exec(md);
    expect(m).not.toBeNull();
    const rows = md.split('\n').filter((l) => l.startsWith('| ❌')).length;
    expect(rows + Number(m![1])).toBe(5000);
    expect(md).toContain('The complete list is in the SARIF file.');
  });

  it('a small limit truncates suppressed rows too, counted', () => {
    const md = toSummary(result([f(1)], Array.from({ length: 50 }, (_, i) => f(i, { suppressed: { kind: 'baseline', reason: 'r' } }))), { ...info, limit: 3000 });
    expect(Buffer.byteLength(md)).toBeLessThan(3000);
    expect(md).toMatch(/more findings? not shown/);
  });

  it('says when a pull request changed nothing to check, and lists deleted governance files', () => {
    const md = toSummary(result([]), { ...info, outcome: 'passed', scope: 'changed', nothingToCheck: true, deleted: ['x/ADMISSION.a.json'], changed: { total: 3, relevant: 0, source: 'api' } });
    expect(md).toContain('✅ sot-gate: passed');
    expect(md).toContain('nothing to check, the check passes');
    expect(md).toContain('3 files in the pull request (from the API), 0 SOT/admission/policy');
    expect(md).toContain('1 governance file deleted');
    expect(md).not.toContain('### Findings');
  });
});
