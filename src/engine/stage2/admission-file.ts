/**
 * Reading the admission file named by CTO_HARNESS_CASE_MODEL_ADMISSION_FILE (or --admission-file): a relative path
 * resolves against the repository root. Symbolic links are never followed (as everywhere in sot-gate).
 */
import { lstat, readFile } from 'node:fs/promises';
import path from 'node:path';
import { parseAdmission, type AdmissionDoc } from '../parse/admission.js';
import { decodeText } from '../parse/text.js';
import { toPosix } from '../tree.js';
import type { Admission } from '../schemas.js';

export type AdmissionRead =
  | { kind: 'unset' }
  | { kind: 'missing'; display: string; reason: string }
  | { kind: 'invalid'; display: string; rel?: string; reason: string; doc?: AdmissionDoc }
  | { kind: 'ok'; display: string; abs: string; /** Relative to the root, POSIX; undefined when outside it. */ rel?: string; doc: AdmissionDoc; value: Admission };

/** Largest admission file read (a real one is under 1 KiB). */
export const MAX_ADMISSION_BYTES = 256 * 1024;

export async function readAdmissionFile(root: string, given: string | undefined): Promise<AdmissionRead> {
  if (given === undefined || given.trim() === '') return { kind: 'unset' };
  const abs = path.resolve(root, given);
  const relRaw = path.relative(root, abs);
  const inside = relRaw !== '' && !relRaw.startsWith('..') && !path.isAbsolute(relRaw);
  const rel = inside ? toPosix(relRaw) : undefined;
  // Paths are shown as given (relative to the root when inside it); never resolved absolute paths of the runner.
  const display = rel ?? given;
  let st;
  try {
    st = await lstat(abs);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') return { kind: 'missing', display, reason: `admission file ${display} does not exist` };
    return { kind: 'invalid', display, ...(rel ? { rel } : {}), reason: `admission file ${display} cannot be read (${code ?? 'I/O error'})` };
  }
  if (st.isSymbolicLink()) return { kind: 'invalid', display, ...(rel ? { rel } : {}), reason: `admission file ${display} is a symbolic link (never followed)` };
  if (!st.isFile()) return { kind: 'invalid', display, ...(rel ? { rel } : {}), reason: `admission file ${display} is not a regular file` };
  if (st.size > MAX_ADMISSION_BYTES) return { kind: 'invalid', display, ...(rel ? { rel } : {}), reason: `admission file ${display} is larger than ${MAX_ADMISSION_BYTES} bytes` };
  let bytes: Buffer;
  try {
    bytes = await readFile(abs);
  } catch (e) {
    return { kind: 'invalid', display, ...(rel ? { rel } : {}), reason: `admission file ${display} cannot be read (${(e as NodeJS.ErrnoException).code ?? 'I/O error'})` };
  }
  const decoded = decodeText(bytes);
  if (!decoded.ok) return { kind: 'invalid', display, ...(rel ? { rel } : {}), reason: `admission file ${display} ${decoded.reason} (line ${decoded.line})` };
  const doc = parseAdmission(display, decoded.value.text.replace(/^\uFEFF/, ''));
  if (!doc.value || doc.problems.length > 0) {
    const first = doc.problems[0];
    const more = doc.problems.length > 1 ? ` (and ${doc.problems.length - 1} more)` : '';
    return {
      kind: 'invalid',
      display,
      ...(rel ? { rel } : {}),
      doc,
      reason: `admission file ${display} is not a valid admission: line ${first?.line ?? 1}: ${first?.message ?? 'invalid'}${more}`,
    };
  }
  return { kind: 'ok', display, abs, ...(rel ? { rel } : {}), doc, value: doc.value };
}

/** The same verdict for admission text held in memory (rule examples, tests): `display` names the file. */
export function admissionFromText(display: string, text: string | null | undefined): AdmissionRead {
  if (text === null || text === undefined) return { kind: 'unset' };
  const doc = parseAdmission(display, text.replace(/^\uFEFF/, ''));
  if (!doc.value || doc.problems.length > 0) {
    const first = doc.problems[0];
    return { kind: 'invalid', display, rel: display, doc, reason: `admission file ${display} is not a valid admission: line ${first?.line ?? 1}: ${first?.message ?? 'invalid'}` };
  }
  return { kind: 'ok', display, abs: display, rel: display, doc, value: doc.value };
}
