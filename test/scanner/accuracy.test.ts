import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { scanText } from '../../src/engine/scanner/index.js';
import { optsFor } from './helpers.js';

interface Rec { id: string; rule: string; kind: 'tp' | 'fp'; text: string }
const corpus: Rec[] = readFileSync(path.resolve(import.meta.dirname, 'corpus/corpus.jsonl'), 'utf8')
  .split('\n')
  .filter(Boolean)
  .map((l) => JSON.parse(l) as Rec);

describe('accuracy on test/scanner/corpus', () => {
  it('has at least 8 true positives per kind and near-miss false positives', () => {
    const tps = new Map<string, number>();
    for (const r of corpus) if (r.kind === 'tp') tps.set(r.rule, (tps.get(r.rule) ?? 0) + 1);
    for (const [, n] of tps) expect(n).toBeGreaterThanOrEqual(8);
    expect(corpus.filter((r) => r.kind === 'fp').length).toBeGreaterThan(100);
  });
  it('recall 100% (the labelled rule fires) and 0 false positives', () => {
    const rows = new Map<string, { tp: number; found: number; fp: number; fpHit: number }>();
    const missed: string[] = [];
    const falsePos: string[] = [];
    for (const r of corpus) {
      const ids = scanText(r.text, 'corpus.md', optsFor(r.rule)).map((f) => f.ruleId);
      const row = rows.get(r.rule) ?? { tp: 0, found: 0, fp: 0, fpHit: 0 };
      if (r.kind === 'tp') {
        row.tp++;
        if (ids.includes(r.rule)) row.found++;
        else missed.push(`${r.id} (got ${ids.join(',') || 'nothing'})`);
      } else {
        row.fp++;
        if (ids.length) {
          row.fpHit++;
          falsePos.push(`${r.id} -> ${ids.join(',')}`);
        }
      }
      rows.set(r.rule, row);
    }
    const table = ['| kind | recall | false positives |', '| --- | --- | --- |'];
    for (const [rule, s] of [...rows].sort()) table.push(`| ${rule} | ${s.found}/${s.tp} (${((100 * s.found) / s.tp).toFixed(0)}%) | ${s.fpHit}/${s.fp} |`);
    console.log(table.join('\n'));
    expect(missed).toEqual([]);
    expect(falsePos).toEqual([]);
  });
});
