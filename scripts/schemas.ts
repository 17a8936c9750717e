/**
 * Writes the JSON Schemas of the files sot-gate reads, from their zod schemas (zod 4's z.toJSONSchema):
 *   schemas/admission.schema.json        <- admissionSchema (src/engine/schemas.ts)
 *   schemas/evidence-report.schema.json  <- evidenceReportSchema (src/engine/stage2/evidence-schema.ts)
 * Run: npx tsx scripts/schemas.ts  (test/stage2/schemas.test.ts checks the committed files equal the output).
 */
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';
import { admissionSchema } from '../src/engine/schemas.js';
import { evidenceReportSchema } from '../src/engine/stage2/evidence-schema.js';

const BASE = 'https://github.com/sot-gate/sot-gate/blob/main/schemas/';

export function generateSchemas(): Record<string, string> {
  const out: Record<string, string> = {};
  const emit = (file: string, schema: z.ZodType) => {
    // io: 'input' describes the file as written (defaults such as role: primary are optional there).
    const json = { ...z.toJSONSchema(schema, { io: 'input', target: 'draft-2020-12' }), $id: BASE + file };
    out[`schemas/${file}`] = JSON.stringify(json, null, 2) + '\n';
  };
  emit('admission.schema.json', admissionSchema);
  emit('evidence-report.schema.json', evidenceReportSchema);
  return out;
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
  for (const [file, text] of Object.entries(generateSchemas())) {
    writeFileSync(path.join(root, file), text);
    process.stdout.write(`wrote ${file}\n`);
  }
}
