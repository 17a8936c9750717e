/** Property tests (fast-check): parsers never throw, results are deterministic and order-independent, and a valid tree mutated in one field always yields a finding. */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseAdmission } from '../../src/engine/parse/admission.js';
import { parseDecisionRecord } from '../../src/engine/parse/decision.js';
import { parseFrontMatter } from '../../src/engine/parse/frontmatter.js';
import { parseMarkdown } from '../../src/engine/parse/markdown.js';
import { parseWorkItems } from '../../src/engine/parse/workitems.js';
import { decodeText } from '../../src/engine/parse/text.js';
import { admissionJson, admissionPath, DECISION_PATH, decisionDoc, issuesDoc } from '../../src/engine/rules/fixtures.js';
import { evaluateFiles, type Files } from '../helpers/tree.js';
import { evaluate } from '../../src/engine/check.js';
import { DEFAULT_CONFIG } from '../../src/engine/config.js';
import { toInput } from '../helpers/tree.js';

/** Stryker runs the suite once per mutant: fewer generated cases there, the full count in npm test. */
const runs = (n: number) => (process.env.SOT_GATE_FAST === '1' ? Math.max(5, Math.round(n / 10)) : n);

const mdish = fc.oneof(
  fc.string({ unit: 'grapheme', maxLength: 400 }),
  fc.array(fc.constantFrom('---', 'title: x', 'created: 2026-05-31', '## Current Decision State', '- `decision_status`: `x`.', '## CTO-WORK-001 - T', 'Status: blocked.', 'Blocked by:', '- y', '```', '&a [1]', '*a', '!!tag x', '', '\r', '\u202e'), { maxLength: 40 }).map((l) => l.join('\n')),
);

describe('parsers never throw', () => {
  it('Markdown, front matter, decision record, work items', () => {
    fc.assert(
      fc.property(mdish, (text) => {
        const lines = text.split(/\r?\n|\r/);
        parseFrontMatter(text, lines);
        const doc = parseMarkdown('a.md', text, lines);
        parseDecisionRecord(doc);
        parseWorkItems(doc);
      }),
      { numRuns: runs(400) },
    );
  });
  it('admission JSON on arbitrary text and arbitrary JSON values', () => {
    fc.assert(
      fc.property(fc.oneof(fc.string({ maxLength: 300 }), fc.json({ maxDepth: 6 }), fc.jsonValue().map((v) => JSON.stringify(v))), (text) => {
        const a = parseAdmission('x.json', text);
        expect(a.value === undefined || a.problems.length === 0).toBe(true);
      }),
      { numRuns: runs(400) },
    );
  });
  it('decoding arbitrary bytes', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 200 }), (bytes) => {
        const r = decodeText(bytes);
        if (!r.ok) expect(r.line).toBeGreaterThanOrEqual(1);
      }),
    );
  });
  it('evaluate never throws on arbitrary files', () => {
    fc.assert(
      fc.property(mdish, fc.string({ maxLength: 200 }), (md, json) => {
        const r = evaluateFiles({ [DECISION_PATH]: md, [admissionPath('a', 'b')]: json });
        for (const f of r.findings) expect(f.line).toBeGreaterThanOrEqual(1);
      }),
      { numRuns: runs(200) },
    );
  });
});

const validTree = (): Files => ({
  [DECISION_PATH]: decisionDoc(),
  [admissionPath('qwen-local', 'qwen3.6-35b-a3b')]: admissionJson(),
  '.sot/ISSUES.md': issuesDoc('## CTO-WORK-020 - Admit\n\nStatus: blocked.\n\nBlocked by:\n\n- approval.\n'),
  '.sot/notes.md': '# no front matter\n',
  '.sot/x.ADMISSION.json': '{"status": "admitted",,}',
});

describe('determinism', () => {
  it('findings do not depend on file order', () => {
    const files = toInput(validTree());
    const expected = evaluate({ files, config: DEFAULT_CONFIG, today: '2026-11-21' }).findings;
    expect(expected.length).toBeGreaterThan(0);
    fc.assert(
      fc.property(fc.shuffledSubarray(files, { minLength: files.length, maxLength: files.length }), (shuffled) => {
        expect(evaluate({ files: shuffled, config: DEFAULT_CONFIG, today: '2026-11-21' }).findings).toEqual(expected);
      }),
      { numRuns: runs(50) },
    );
  });
});

const slug = fc.stringMatching(/^[a-z][a-z0-9-]{1,20}$/);
const ADM = admissionPath('qwen-local', 'qwen3.6-35b-a3b');

describe('a valid tree mutated in one field always yields a finding for that field', () => {
  const clean = { [DECISION_PATH]: decisionDoc(), [ADM]: admissionJson() };
  it('the clean tree has no findings', () => {
    expect(evaluateFiles(clean).findings).toEqual([]);
  });
  const lineOf = (text: string, key: string) => text.split('\n').findIndex((l) => l.includes(`"${key}"`) || l.includes(`\`${key}\``)) + 1;

  it.each(['provider', 'model', 'credential_source_class', 'allowed_network_class', 'admission_timestamp', 'approval_source'])('admission %s', (key) => {
    fc.assert(
      fc.property(slug.filter((s) => !admissionJson().includes(`"${s}"`)), (value) => {
        const text = admissionJson({ [key]: key === 'approval_source' ? '' : value });
        const r = evaluateFiles({ ...clean, [ADM]: text });
        const hits = r.findings.filter((f) => f.file === ADM && f.line === lineOf(text, key));
        expect(hits.length, `${key}=${value}: ${JSON.stringify(r.findings)}`).toBeGreaterThan(0);
      }),
      { numRuns: runs(25) },
    );
  });

  it.each(['decision_status', 'provider_class', 'provider', 'model', 'credential_source_class', 'allowed_network_class'])('decision %s', (key) => {
    fc.assert(
      fc.property(slug, (value) => {
        const doc = decisionDoc({ [key]: `\`${value}\`` });
        fc.pre(!decisionDoc().includes(`\`${key}\`: \`${value}\``));
        const r = evaluateFiles({ ...clean, [DECISION_PATH]: doc });
        // The finding lands on the field's line in the record, or on the admission the field no longer matches.
        const onField = r.findings.some((f) => f.file === DECISION_PATH && f.line === lineOf(doc, key));
        const onAdmission = r.findings.some((f) => f.file === ADM);
        expect(onField || onAdmission, `${key}=${value}: ${JSON.stringify(r.findings)}`).toBe(true);
      }),
      { numRuns: runs(25) },
    );
  });

  it.each(['status', 'lifecycle_classification', 'core_promotion_status', 'created'])('front matter %s', (key) => {
    fc.assert(
      fc.property(slug, (value) => {
        const doc = decisionDoc({}, ['not_decided'], { [key]: value });
        const r = evaluateFiles({ ...clean, [DECISION_PATH]: doc });
        expect(r.findings.some((f) => f.ruleId === 'sot/frontmatter-invalid' && f.line === doc.split('\n').findIndex((l) => l.startsWith(`${key}:`)) + 1)).toBe(true);
      }),
      { numRuns: runs(20) },
    );
  });
});
