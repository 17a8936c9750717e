/** Admission JSON: a strict JSON object (parse/json.ts: lines, duplicate keys, bounded depth) validated by admissionSchema. */
import { admissionSchema, type Admission } from '../schemas.js';
import { parseJsonObject, type Problem } from './json.js';

export { jsonDepth, MAX_JSON_DEPTH } from './json.js';
export type AdmissionProblem = Problem;

export interface AdmissionDoc {
  file: string;
  text: string;
  /** Set when the file is well-formed and valid. */
  value?: Admission;
  /** The raw object, when it parsed as a JSON object without duplicate keys (even if the schema rejected it). */
  raw?: Record<string, unknown>;
  problems: AdmissionProblem[];
  /** Line of each top-level key. */
  keyLines: Record<string, number>;
}

export function parseAdmission(file: string, text: string): AdmissionDoc {
  const parsed = parseJsonObject(text, 'an admission');
  const doc: AdmissionDoc = { file, text, problems: parsed.problems, keyLines: parsed.keyLines, ...(parsed.raw ? { raw: parsed.raw } : {}) };
  if (!parsed.raw) return doc;
  const result = admissionSchema.safeParse(parsed.raw);
  if (!result.success) {
    for (const issue of result.error.issues) {
      const key = issue.path[0];
      if (issue.code === 'unrecognized_keys') {
        for (const k of issue.keys) doc.problems.push({ line: doc.keyLines[k] ?? (parsed.rootLine ?? 1), message: `unknown key "${k}"` });
        continue;
      }
      if (typeof key === 'string' && issue.path.length === 1 && !(key in parsed.raw)) {
        doc.problems.push({ line: parsed.rootLine ?? 1, message: `missing required key "${key}"` });
        continue;
      }
      const path = issue.path.map(String).join('.') || '(root)';
      const line = (typeof key === 'string' ? doc.keyLines[key] : undefined) ?? (parsed.rootLine ?? 1);
      doc.problems.push({ line, message: `${path}: ${issue.message}` });
    }
    return doc;
  }
  doc.value = result.data;
  return doc;
}
