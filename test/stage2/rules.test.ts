import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { configSchema } from '../../src/engine/config.js';
import { admissionFromText } from '../../src/engine/stage2/admission-file.js';
import { contextFromMemory } from '../../src/engine/stage2/context.js';
import { evidenceDocPath, renderEvidenceRuleDoc } from '../../src/engine/stage2/rules/docs.js';
import { ADMISSION_FILE, blockedRun, passRun, validAdmission } from '../../src/engine/stage2/rules/fixtures.js';
import { EVIDENCE_RULES, type EvidenceExample } from '../../src/engine/stage2/rules/index.js';
import { runEvidenceRules } from '../../src/engine/stage2/verify.js';
import { REPO_ROOT } from './helpers.js';

const config = configSchema.parse({});

function ctxOf(ex: Pick<EvidenceExample, 'files' | 'admission' | 'env' | 'links' | 'gateRefusal' | 'caseDataOutside' | 'unscannable' | 'manifestDiffs'>) {
  return contextFromMemory({
    config,
    files: ex.files,
    admission: admissionFromText(ADMISSION_FILE, ex.admission === undefined ? validAdmission() : ex.admission),
    endpointValues: ex.env ?? {},
    ...(ex.links ? { links: ex.links } : {}),
    ...(ex.gateRefusal ? { gateRefusal: ex.gateRefusal } : {}),
    ...(ex.caseDataOutside ? { caseDataOutside: true } : {}),
    ...(ex.unscannable ? { unscannable: ex.unscannable } : {}),
    ...(ex.manifestDiffs ? { manifestDiffs: ex.manifestDiffs } : {}),
  });
}

describe('evidence rule catalog', () => {
  it('ids are unique, under evidence/, and every rule has examples both ways', () => {
    const ids = EVIDENCE_RULES.map((r) => r.id);
    expect(new Set(ids).size).toBe(ids.length);
    for (const r of EVIDENCE_RULES) {
      expect(r.id).toMatch(/^evidence\/[a-z0-9-]+$/);
      expect(r.examples.fire.length).toBeGreaterThan(0);
      expect(r.examples.quiet.length).toBeGreaterThan(0);
    }
  });

  it('the fixtures are clean: a passing and a blocked run directory raise no finding of any rule', () => {
    expect(runEvidenceRules(ctxOf({ files: passRun() }))).toEqual([]);
    expect(runEvidenceRules(ctxOf({ files: blockedRun() }))).toEqual([]);
  });

  for (const rule of EVIDENCE_RULES) {
    describe(rule.id, () => {
      for (const ex of rule.examples.fire) {
        it(`fires: ${ex.description}`, () => {
          const found = runEvidenceRules(ctxOf(ex), [rule]);
          expect(found.length).toBeGreaterThan(0);
          for (const f of found) {
            expect(f.ruleId).toBe(rule.id);
            expect(f.line).toBeGreaterThanOrEqual(1);
            for (const v of Object.values(ex.env ?? {})) expect(f.message).not.toContain(v);
          }
        });
      }
      for (const ex of rule.examples.quiet) {
        it(`quiet: ${ex.description}`, () => {
          expect(runEvidenceRules(ctxOf(ex), [rule])).toEqual([]);
        });
      }
      it('has its docs page, equal to the rendering', async () => {
        const file = path.join(REPO_ROOT, evidenceDocPath(rule.id));
        const expected = renderEvidenceRuleDoc(rule);
        if (process.env.SOT_GATE_UPDATE_DOCS === '1') await writeFile(file, expected);
        expect(await readFile(file, 'utf8')).toBe(expected);
      });
    });
  }

  it('rule severity comes from the config (off silences, warning downgrades)', () => {
    const ctx = ctxOf({ files: passRun({ 'report.json': undefined }) });
    const off = { ...ctx, config: configSchema.parse({ rules: { 'evidence/report-missing': 'off' } }) };
    expect(runEvidenceRules(off).map((f) => f.ruleId)).not.toContain('evidence/report-missing');
    const warn = { ...ctx, config: configSchema.parse({ rules: { 'evidence/*': 'warning' } }) };
    expect(runEvidenceRules(warn).every((f) => f.severity === 'warning')).toBe(true);
  });

  it('a rule that throws fails closed', () => {
    const boom = { ...EVIDENCE_RULES[0]!, check: () => { throw new TypeError('x'); } };
    expect(runEvidenceRules(ctxOf({ files: passRun() }), [boom])).toEqual([expect.objectContaining({ ruleId: 'engine/rule-error', severity: 'error' })]);
  });
});
