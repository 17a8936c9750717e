/** Admission JSON: the raw object kept beside schema problems, and where each kind of problem is reported. */
import { describe, expect, it } from 'vitest';
import { parseAdmission } from '../../src/engine/parse/admission.js';
import { admissionJson } from '../../src/engine/rules/fixtures.js';

describe('the raw object', () => {
  it('is kept when the schema rejects the file, and no value is set', () => {
    const text = admissionJson({ role: 'backup' });
    const a = parseAdmission('x.json', text);
    expect(a.value).toBeUndefined();
    expect(a.raw).toEqual(JSON.parse(text));
  });

  it('is kept for a valid file too', () => {
    const text = admissionJson();
    expect(parseAdmission('x.json', text).raw).toEqual(JSON.parse(text));
  });

  it('is absent when the text is not one clean JSON object', () => {
    expect(parseAdmission('x.json', '{\n  "a": 1,\n  "a": 2\n}\n').raw).toBeUndefined();
    expect(parseAdmission('x.json', '[]').raw).toBeUndefined();
  });
});

describe('schema problems', () => {
  it('a present key with a wrong value is reported at its line under its name, not as missing', () => {
    const a = parseAdmission('x.json', admissionJson({ provider: 42 }));
    expect(a.problems).toHaveLength(1);
    expect(a.problems[0]!.line).toBe(3);
    expect(a.problems[0]!.message).toMatch(/^provider: /);
  });

  it('a missing key is reported at the line of the opening brace', () => {
    const a = parseAdmission('x.json', '\n\n' + admissionJson({ model: undefined }));
    expect(a.problems).toEqual([{ line: 3, message: 'missing required key "model"' }]);
  });

  it('an unknown key is reported at its own line', () => {
    const a = parseAdmission('x.json', '\n' + admissionJson({ extra: 'x' }));
    expect(a.problems).toEqual([{ line: 11, message: 'unknown key "extra"' }]);
  });

  it('a problem inside a list names the dotted path and the line of its top-level key', () => {
    const a = parseAdmission('x.json', admissionJson({ evidence_expectations: ['ok', ''] }));
    expect(a.problems).toHaveLength(1);
    expect(a.problems[0]!.line).toBe(10);
    expect(a.problems[0]!.message).toMatch(/^evidence_expectations\.1: /);
  });
});
