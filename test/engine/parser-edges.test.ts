/** Edges of the Markdown readers and of the rules' inputs, both ways. */
import { describe, expect, it } from 'vitest';
import { parseAdmission } from '../../src/engine/parse/admission.js';
import { parseDecisionRecord } from '../../src/engine/parse/decision.js';
import { parseFrontMatter } from '../../src/engine/parse/frontmatter.js';
import { parseMarkdown } from '../../src/engine/parse/markdown.js';
import { parseWorkItems } from '../../src/engine/parse/workitems.js';
import { DECISION_PATH, admissionJson, decisionDoc, frontMatter } from '../../src/engine/rules/fixtures.js';
import { evaluateFiles } from '../helpers/tree.js';

const md = (t: string) => parseMarkdown('a.md', t, t.split('\n'));

describe('decision record fields', () => {
  it('accepts *, + and - bullets and = as a separator; a key given twice is an ambiguity naming both lines', () => {
    const d = parseDecisionRecord(md('## Current Decision State\n\n* `decision_status` = `not_decided`.\n+ `provider`: `x`.\n- `provider`: `y`.\n- not a field\n'))!;
    expect(d.fields.get('decision_status')).toMatchObject({ value: 'not_decided', line: 3 });
    expect(d.fields.get('provider')).toMatchObject({ value: 'x', line: 4 });
    expect([...d.fields.keys()]).toEqual(['decision_status', 'provider']);
    expect(d.ambiguities).toEqual([
      { key: 'provider', lines: [4, 5], message: '`provider` is given 2 times as bullets (lines 4, 5) with different values ("x", "y"): give each state field exactly once' },
    ]);
  });
  it('history records decision_status bullets with or without backticks on the value', () => {
    const d = parseDecisionRecord(md('## Current Decision State\n\n## Decision History\n\n- `decision_status`: `a`.\n- `decision_status`: b.\n- `other`: `c`.\n'))!;
    expect(d.history).toEqual([
      { value: 'a', line: 5 },
      { value: 'b', line: 6 },
    ]);
    expect(d.historyLine).toBe(3);
  });
  it('the heading is matched whole and case-insensitively', () => {
    expect(parseDecisionRecord(md('## current decision state\n'))).toBeDefined();
    expect(parseDecisionRecord(md('## Current Decision State Draft\n'))).toBeUndefined();
  });
});

describe('work items', () => {
  it('en and em dashes in the heading; backticks in the status; a paragraph ends a list', () => {
    const items = parseWorkItems(md('## CTO-WORK-001 – A\n\nStatus: `blocked`.\n\nBlocked by:\n\n- x.\n\nSome text.\n\n- not a blocker\n\n## ACME-WORK-1234 — B\n\nstatus: done\n'));
    expect(items.map((i) => [i.id, i.title, i.status?.value, i.blockedBy.map((b) => b.text)])).toEqual([
      ['CTO-WORK-001', 'A', 'blocked', ['x.']],
      ['ACME-WORK-1234', 'B', 'done', []],
    ]);
  });
  it('not work items: two-digit numbers, no title separator', () => {
    expect(parseWorkItems(md('## CTO-WORK-01 - A\n## CTO-WORK-001 A\n'))).toEqual([]);
  });
});

describe('front matter values', () => {
  const fm = (o: Record<string, string | null>) => evaluateFiles({ '.sot/a.md': `${frontMatter(o)}\n# A\n` }).findings.map((f) => `${f.line} ${f.message}`);
  it('non-string values name their type', () => {
    expect(fm({ title: '[a, b]' })).toEqual(['2 front matter "title" must be a string, not a list']);
    expect(fm({ owner: '42' })).toEqual(['5 front matter "owner" must be a string, not number']);
  });
  it('dates: month 13, day 32 and Feb 30 are not dates; a leap day is', () => {
    expect(fm({ created: '2026-13-01' })).toEqual(['6 front matter created "2026-13-01" is not a date (YYYY-MM-DD)']);
    expect(fm({ last_reviewed: '2026-05-32' })).toEqual(['7 front matter last_reviewed "2026-05-32" is not a date (YYYY-MM-DD)']);
    expect(fm({ created: '2024-02-29', last_reviewed: '2024-02-29' })).toEqual([]);
  });
  it('an empty required value counts as missing', () => {
    expect(fm({ route: "''" })).toEqual(['1 front matter lacks required key "route"']);
  });
  it('reviewed on the day it was created is fine', () => {
    expect(fm({ created: '2026-06-01', last_reviewed: '2026-06-01' })).toEqual([]);
  });
});

describe('hidden characters, each class', () => {
  const at = (text: string) => evaluateFiles({ '.sot/a.md': text }).findings.filter((f) => f.ruleId === 'sot/hidden-characters').map((f) => `${f.line}:${f.column}`);
  it.each(['\u202A', '\u202E', '\u2066', '\u2069', '\u200E', '\u200F', '\u061C', '\u200B', '\u200D', '\u2060', '\u2064', '\u00AD', '\u180E'])('invisible U+%s anywhere', (ch) => {
    expect(at(`# A\n\nprose ${ch} here\n`)).toEqual(['3:7']);
  });
  it.each(['\u2010', '\u2015', '\u2212', '\uFE58', '\uFE63', '\uFF0D', '\u00A0', '\u2000', '\u200A', '\u202F', '\u0391', '\u03BF', '\u0410', '\u04FF', '\uFF21'])('look-alike U+%s in a code span, not in prose', (ch) => {
    expect(at(`# A\n\n- \`a${ch}b\`.\n`)).toEqual(['3:5']);
    expect(at(`# A\n\nprose a${ch}b.\n`)).toEqual([]);
  });
  it('a BOM after the start is flagged; look-alikes in front matter are flagged', () => {
    expect(at('# A\n\ufeffx\n')).toEqual(['2:1']);
    expect(at('---\ntitle: a\u2011b\n---\n')).toEqual(['2:9']);
  });
});

describe('decision rules at the edges', () => {
  it('an unknown status is not also a class mismatch or a missing field', () => {
    const ids = evaluateFiles({ [DECISION_PATH]: decisionDoc({ decision_status: '`maybe`', model: null }) }).findings.map((f) => f.ruleId);
    expect(ids).toEqual(['decision/invalid-status']);
  });
});

describe('inputs a reader and this parser could read differently (fail closed)', () => {
  it('a "__proto__" key is an unknown own key, not the prototype: a wrapped admission is refused', () => {
    const wrapped = `{"__proto__": ${admissionJson()}}`;
    const doc = parseAdmission('a.json', wrapped);
    expect(doc.value).toBeUndefined();
    expect(doc.problems.map((p) => p.message).join('\n')).toMatch(/__proto__/);
    expect(parseAdmission('a.json', admissionJson()).value).toBeDefined();
  });
  it('keys named like Object.prototype members get their own line number', () => {
    const text = admissionJson().replace(/^\{/, '{\n  "constructor": "x",');
    const doc = parseAdmission('a.json', text);
    const problem = doc.problems.find((p) => p.message.includes('constructor'));
    expect(problem?.line).toBe(2);
  });
  it('front matter cut by a `--- x` line (where gray-matter would end it) is invalid, naming the line', () => {
    const t = '---\ntitle: A\n--- x\nowner: B\n---\n# T\n';
    expect(parseFrontMatter(t, t.split('\n'))).toEqual({ kind: 'invalid', line: 3, message: 'front matter delimiter `---` must stand alone on its line' });
    const ok = '---\ntitle: A\nowner: B\n---\n# T\n';
    expect(parseFrontMatter(ok, ok.split('\n')).kind).toBe('ok');
  });
  it('a top-level !!binary, !!set or !!omap is not a mapping', () => {
    for (const body of ['!!binary aGk=', '!!set\n? a\n? b', '!!omap\n- a: 1']) {
      const t = `---\n${body}\n---\n`;
      expect(parseFrontMatter(t, t.split('\n'))).toMatchObject({ kind: 'invalid', message: expect.stringContaining('not a mapping') });
    }
  });
  it('a U+2028 inside a Blocked by bullet keeps the bullet and the list', () => {
    const doc = md('## CTO-WORK-001 - Item\n\nStatus: blocked.\n\nBlocked by:\n- Human\u2028approval.\n- JP sign-off.\n');
    const [item] = parseWorkItems(doc);
    expect(item?.blockedBy.map((b) => b.line)).toEqual([6, 7]);
  });
});
