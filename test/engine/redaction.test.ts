/** Rule messages quote field values: a secret planted in any field never reaches any output format. */
import { describe, expect, it } from 'vitest';
import { admissionJson, admissionPath, DECISION_PATH, decisionDoc } from '../../src/engine/rules/fixtures.js';
import { toJson } from '../../src/engine/report/json.js';
import { toSarif } from '../../src/engine/report/sarif.js';
import { toText } from '../../src/engine/report/text.js';
import { describeError } from '../../src/cli/main.js';
import { EvaluationError } from '../../src/engine/types.js';
import { evaluateFiles } from '../helpers/tree.js';

const SECRET = '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';
const ENDPOINT = 'http://10.20.30.40:8000/v1';

describe('redaction of values quoted by rule messages', () => {
  it.each([
    ['decision_status', { [DECISION_PATH]: decisionDoc({ decision_status: `\`${SECRET}\`` }) }],
    ['provider_class', { [DECISION_PATH]: decisionDoc({ provider_class: `\`${SECRET}\`` }) }],
    ['front matter status', { [DECISION_PATH]: decisionDoc({}, ['not_decided'], { status: SECRET }) }],
    ['admission provider', { [DECISION_PATH]: decisionDoc(), [admissionPath('a', 'b')]: admissionJson({ provider: SECRET }) }],
    ['admission class holding the endpoint', { [DECISION_PATH]: decisionDoc(), [admissionPath('qwen-local', 'qwen3.6-35b-a3b')]: admissionJson({ allowed_network_class: ENDPOINT }) }],
  ])('%s', (_name, files) => {
    const r = evaluateFiles(files);
    expect(r.findings.length).toBeGreaterThan(1); // the rule's own finding and the scanner's
    for (const out of [toJson(r), toText(r), toSarif(r)]) {
      expect(out).not.toContain(SECRET.slice(8, 40));
      expect(out).not.toContain('10.20.30.40');
    }
  });
  it('error messages (exit 2) are redacted too', () => {
    expect(describeError(new EvaluationError(`bad value ${SECRET}`))).not.toContain(SECRET.slice(8, 40));
    expect(describeError(new Error(`boom CTO_HARNESS_CASE_LOCAL_BASE_URL=${ENDPOINT}`))).not.toContain('10.20.30.40');
  });
  it('leaves ordinary messages alone', () => {
    expect(describeError(new EvaluationError('cannot read x: ENOENT'))).toBe('cannot read x: ENOENT');
  });
});
