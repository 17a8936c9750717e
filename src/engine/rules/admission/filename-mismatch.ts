import { admissionJson, admissionPath, localTree } from '../fixtures.js';
import type { Rule } from '../rule.js';

export const filenameMismatch: Rule = {
  id: 'admission/filename-mismatch',
  defaultSeverity: 'error',
  summary: 'The admission file name does not name the provider and model inside it.',
  description:
    'An admission file is named `...ADMISSION.<provider>-<model>.json` (for example `CTO-CASE-MODEL-PROVIDER-ADMISSION.qwen-local-qwen3.6-35b-a3b.json`). The harness is pointed at a path, so a file whose name says one pair while its body admits another misleads every reader of the workflow.',
  examples: {
    fire: [
      { description: 'name says codex, body says qwen', files: localTree({ [admissionPath('openai-codex', 'gpt-5.5')]: admissionJson() }) },
      { description: 'name without a pair', files: localTree({ '.sot/CTO-ADMISSION.json': admissionJson() }) },
    ],
    quiet: [{ description: 'matching name', files: localTree() }],
  },
  check(ctx, report) {
    for (const a of ctx.admissions) {
      if (!a.value) continue;
      const base = a.file.split('/').pop() ?? a.file;
      const expected = `${a.value.provider}-${a.value.model}`;
      const m = /ADMISSION\.(.+)\.json$/i.exec(base);
      if (!m || m[1] !== expected) {
        report({
          file: a.file,
          line: (m?.[1]?.startsWith(`${a.value.provider}-`) ? a.keyLines.model : a.keyLines.provider) ?? 1,
          message: `file name ${base} should end in ADMISSION.${expected}.json to name the pair it admits`,
        });
      }
    }
  },
};
