import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { generateSchemas } from '../../scripts/schemas.js';
import { evidenceReportSchema } from '../../src/engine/stage2/evidence-schema.js';
import { report } from '../../src/engine/stage2/rules/fixtures.js';
import { REPO_ROOT } from './helpers.js';

describe('generated JSON Schemas', () => {
  const generated = generateSchemas();

  it.each(Object.keys(generated))('%s is committed and equal to the generated one (npx tsx scripts/schemas.ts)', async (file) => {
    expect(await readFile(path.join(REPO_ROOT, file), 'utf8')).toBe(generated[file]);
  });

  it('the evidence report schema names the required evidence fields and the status vocabularies', () => {
    const s = JSON.parse(generated['schemas/evidence-report.schema.json']!) as { required: string[]; properties: Record<string, { enum?: string[] }> };
    expect(s.required).toEqual(expect.arrayContaining(['status', 'backend', 'case_process_started', 'case_model_provider', 'case_model', 'case_model_admission_status']));
    expect(s.properties.status!.enum).toEqual(['pass', 'fail', 'blocked']);
    expect(s.properties.case_model_admission_status!.enum).toEqual(['admitted', 'missing_admission', 'mismatch', 'invalid_admission', 'not_admitted']);
  });

  it('the zod schema accepts the documented report and rejects a fail without a reason', () => {
    expect(evidenceReportSchema.safeParse(JSON.parse(report())).success).toBe(true);
    expect(evidenceReportSchema.safeParse(JSON.parse(report({ status: 'fail', failure_reason: '' }))).success).toBe(false);
    expect(evidenceReportSchema.safeParse(JSON.parse(report({ baseline: { backend: 'case', status: 'pass' } }))).success).toBe(false);
  });
});
