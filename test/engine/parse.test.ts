import { describe, expect, it } from 'vitest';
import { parseAdmission } from '../../src/engine/parse/admission.js';
import { parseDecisionRecord, parseFieldValue, primaryPair, fallbackPair } from '../../src/engine/parse/decision.js';
import { parseFrontMatter } from '../../src/engine/parse/frontmatter.js';
import { parseMarkdown } from '../../src/engine/parse/markdown.js';
import { decodeText } from '../../src/engine/parse/text.js';
import { parseWorkItems } from '../../src/engine/parse/workitems.js';
import { admissionJson, decisionDoc } from '../../src/engine/rules/fixtures.js';

const md = (text: string) => parseMarkdown('a.md', text, text.split(/\r?\n/));

describe('front matter', () => {
  it('accepts unquoted dates (js-yaml Date) and quoted ones as YYYY-MM-DD strings', () => {
    const text = '---\ncreated: 2026-05-31\nlast_reviewed: "2026-06-01"\n---\n# x\n';
    const fm = parseFrontMatter(text, text.split('\n'));
    expect(fm.kind).toBe('ok');
    if (fm.kind !== 'ok') return;
    expect(fm.value.data.created).toBe('2026-05-31');
    expect(fm.value.data.last_reviewed).toBe('2026-06-01');
    expect(fm.value.keyLines).toEqual({ created: 2, last_reviewed: 3 });
    expect(fm.value.endLine).toBe(4);
  });
  it('handles CRLF', () => {
    const text = '---\r\ntitle: T\r\n---\r\n# x\r\n';
    const fm = parseFrontMatter(text, text.split(/\r?\n/));
    expect(fm.kind === 'ok' && fm.value.data.title).toBe('T');
  });
  it('reports the line of a YAML error', () => {
    const text = '---\ntitle: ok\nowner: [x\n---\n';
    const fm = parseFrontMatter(text, text.split('\n'));
    expect(fm.kind).toBe('invalid');
  });
  it('refuses an alias bomb instead of expanding it', () => {
    const bomb = ['---', 'a: &a ["x","x","x","x","x","x","x","x","x"]'];
    for (let i = 0; i < 12; i++) bomb.push(`${String.fromCharCode(98 + i)}: &${String.fromCharCode(98 + i)} [*${String.fromCharCode(97 + i)},*${String.fromCharCode(97 + i)},*${String.fromCharCode(97 + i)},*${String.fromCharCode(97 + i)},*${String.fromCharCode(97 + i)},*${String.fromCharCode(97 + i)},*${String.fromCharCode(97 + i)},*${String.fromCharCode(97 + i)},*${String.fromCharCode(97 + i)}]`);
    bomb.push('---', '');
    const text = bomb.join('\n');
    const fm = parseFrontMatter(text, text.split('\n'));
    expect(fm.kind).toBe('invalid');
  });
  it('rejects a front matter that is a scalar', () => {
    const text = '---\njust a string\n---\n';
    expect(parseFrontMatter(text, text.split('\n')).kind).toBe('invalid');
  });
  it('none when the file does not start with ---', () => {
    expect(parseFrontMatter('# x\n', ['# x', '']).kind).toBe('none');
  });
});

describe('decision record', () => {
  it('parses code-span values, free text, trailing notes and lists with lines', () => {
    const d = parseDecisionRecord(md(decisionDoc()))!;
    expect(d.fields.get('decision_status')).toMatchObject({ value: 'local_provider_required' });
    expect(d.fields.get('approval_source')?.value).toBe('JP chat approval on 2026-05-31');
    expect(d.fields.get('credential_source_class')?.value).toBe('pi-models-json-local-provider-no-secret-plus-codex-oauth-fallback');
    expect(d.fields.get('evidence_sources')?.values).toEqual(['CTO-CASE-MODEL-PROVIDER-ADMISSION-ISSUES.md', 'CTO-CASE-PROVIDER-DECISION-PACKET-PRD.md']);
    expect(d.fields.get('decision_status')?.line).toBe(16); // 10 front matter lines, a blank, the title, a blank, the heading, a blank
    expect(primaryPair(d)).toEqual({ provider: 'qwen-local', model: 'qwen3.6-35b-a3b' });
    expect(fallbackPair(d)).toEqual({ provider: 'openai-codex', model: 'gpt-5.5' });
    expect(d.history.map((h) => h.value)).toEqual(['not_decided']);
  });
  it('field values', () => {
    expect(parseFieldValue('`x`; no secret value.')).toEqual({ value: 'x', values: ['x'] });
    expect(parseFieldValue('free text here.')).toEqual({ value: 'free text here', values: ['free text here'] });
    expect(parseFieldValue('`a`, `b`.')).toEqual({ value: 'a', values: ['a', 'b'] });
    expect(parseFieldValue('')).toEqual({ value: '', values: [] });
  });
  it('ignores headings inside fenced code', () => {
    const doc = md('# A\n\n```\n## Current Decision State\n```\n');
    expect(parseDecisionRecord(doc)).toBeUndefined();
  });
});

describe('work items', () => {
  it('reads status, acceptance and blocked-by with lines', () => {
    const text = '# I\n\n## CTO-WORK-020 - Admit\n\nStatus: blocked.\n\nAcceptance:\n\n- a.\n- b.\n\nBlocked by:\n\n- Human approval.\n\n## Other\n\n- not an item\n';
    const [item, ...rest] = parseWorkItems(md(text));
    expect(rest).toEqual([]);
    expect(item).toMatchObject({ id: 'CTO-WORK-020', title: 'Admit', line: 3, status: { value: 'blocked', line: 5 } });
    expect(item!.acceptance.map((a) => a.line)).toEqual([9, 10]);
    expect(item!.blockedBy).toEqual([{ text: 'Human approval.', line: 14 }]);
  });
});

describe('admission JSON', () => {
  it('parses a valid admission with key lines and the primary role default', () => {
    const a = parseAdmission('x.json', admissionJson());
    expect(a.problems).toEqual([]);
    expect(a.value?.role).toBe('primary');
    expect(a.keyLines.model).toBe(4);
  });
  it('names a duplicate key and both lines', () => {
    const text = '{\n  "provider": "qwen-local",\n  "provider": "anthropic"\n}\n';
    const a = parseAdmission('x.json', text);
    expect(a.value).toBeUndefined();
    expect(a.problems[0]).toMatchObject({ line: 3 });
    expect(a.problems[0]!.message).toContain('duplicate key "provider" on lines 2 and 3');
  });
  it('gives each schema problem its key path and line', () => {
    const a = parseAdmission('x.json', admissionJson({ admission_timestamp: 'yesterday', role: 'backup' }));
    const msgs = a.problems.map((p) => `${p.line}:${p.message.split(':')[0]}`);
    expect(msgs).toContain('8:admission_timestamp');
    expect(msgs).toContain('10:role');
  });
  it('bounds nesting before parsing', () => {
    const a = parseAdmission('x.json', '{"a":' + '['.repeat(100000) + ']'.repeat(100000) + '}');
    expect(a.problems[0]!.message).toContain('nesting deeper');
  });
  it('rejects arrays, comments and empty files', () => {
    expect(parseAdmission('x', '[]').problems[0]!.message).toContain('JSON object');
    expect(parseAdmission('x', '{/* c */}').problems[0]!.message).toContain('invalid JSON');
    expect(parseAdmission('x', '  \n').problems[0]!.message).toContain('empty');
  });
});

describe('decoding', () => {
  it('rejects NUL and invalid UTF-8 with the line', () => {
    expect(decodeText(new Uint8Array([0x61, 0x0a, 0x62, 0x00]))).toEqual({ ok: false, reason: 'contains a NUL byte (binary file)', line: 2 });
    const bad = decodeText(new Uint8Array([0x61, 0x0a, 0x0a, 0xff, 0x0a]));
    expect(bad).toEqual({ ok: false, reason: 'is not valid UTF-8', line: 3 });
  });
});
