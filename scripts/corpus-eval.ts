/**
 * Dev script: measures the scanner on a labelled JSONL corpus ({id, rule, kind: tp|fp, text}).
 *   npx tsx scripts/corpus-eval.ts [path]   (default: ../shared/secret-corpus/public-dev.jsonl)
 * Prints recall per family and every false positive (rule id + record id only, never the text).
 * Skips gracefully when the corpus is absent.
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { scanText, type ScanOptions } from '../src/engine/scanner/index.js';

const here = path.dirname(fileURLToPath(import.meta.url));
const file = process.argv[2] ?? path.resolve(here, '../../shared/secret-corpus/public-dev.jsonl');
if (!existsSync(file)) {
  console.log(`corpus-eval: ${file} not found, skipping`);
  process.exit(0);
}
const opts: ScanOptions = { endpointVariables: ['CTO_HARNESS_CASE_LOCAL_BASE_URL'], targetRepositoryPatterns: [], kind: 'artifact' };
const verbose = process.env.VERBOSE === '1';
const perFamily = new Map<string, { tp: number; found: number; fp: number; fpHit: number }>();
const misses: string[] = [];
const fps: string[] = [];
for (const line of readFileSync(file, 'utf8').split('\n')) {
  if (!line.trim()) continue;
  const rec = JSON.parse(line) as { id: string; rule: string; kind: 'tp' | 'fp'; text: string };
  const findings = scanText(rec.text, 'corpus.txt', opts);
  const s = perFamily.get(rec.rule) ?? { tp: 0, found: 0, fp: 0, fpHit: 0 };
  if (rec.kind === 'tp') {
    s.tp++;
    if (findings.length) s.found++;
    else misses.push(verbose ? `${rec.id}: ${rec.text.slice(0, 160)}` : rec.id);
  } else {
    s.fp++;
    if (findings.length) {
      s.fpHit++;
      fps.push(`${rec.id} -> ${[...new Set(findings.map((f) => f.ruleId))].join(',')}${verbose ? ` : ${rec.text.slice(0, 160)}` : ''}`);
    }
  }
  perFamily.set(rec.rule, s);
}
let tp = 0, found = 0, fp = 0, fpHit = 0;
console.log('| family | recall | false positives |\n| --- | --- | --- |');
for (const [rule, s] of [...perFamily].sort()) {
  tp += s.tp; found += s.found; fp += s.fp; fpHit += s.fpHit;
  console.log(`| ${rule} | ${s.tp ? `${s.found}/${s.tp}` : '-'} | ${s.fp ? `${s.fpHit}/${s.fp}` : '-'} |`);
}
console.log(`| **total** | **${found}/${tp} (${((100 * found) / tp).toFixed(1)}%)** | **${fpHit}/${fp}** |`);
if (misses.length) console.log(`\nmissed:\n  ${misses.join('\n  ')}`);
if (fps.length) console.log(`\nfalse positives:\n  ${fps.join('\n  ')}`);
