/** The engine's small decisions, each pinned: ordering, scope, line arithmetic, fences, delimiters, defaults. */
import { describe, expect, it } from 'vitest';
import { compareFindings, evaluate, scannerSeverity } from '../../src/engine/check.js';
import { DEFAULT_CONFIG, formatIssues } from '../../src/engine/config.js';
import { parseFrontMatter } from '../../src/engine/parse/frontmatter.js';
import { codeSpans, findSection, parseMarkdown, sectionLines } from '../../src/engine/parse/markdown.js';
import { decodeText, lineIndex, splitLines } from '../../src/engine/parse/text.js';
import { admissionJson, admissionPath, DECISION_PATH, decisionDoc, frontMatter, localTree } from '../../src/engine/rules/fixtures.js';
import type { Finding } from '../../src/engine/types.js';
import { evaluateFiles, toInput } from '../helpers/tree.js';

const f = (o: Partial<Finding>): Finding => ({ ruleId: 'a/b', severity: 'error', file: 'x', line: 1, message: 'm', ...o });

describe('finding order', () => {
  it('errors first, then file, line, column, rule id, message', () => {
    const list = [
      f({ severity: 'warning', file: 'a' }),
      f({ file: 'b', line: 2 }),
      f({ file: 'b', line: 1, column: 5 }),
      f({ file: 'b', line: 1, column: 2, ruleId: 'z/z' }),
      f({ file: 'b', line: 1, column: 2, ruleId: 'a/a', message: 'y' }),
      f({ file: 'b', line: 1, column: 2, ruleId: 'a/a', message: 'x' }),
      f({ file: 'a', line: 9 }),
    ];
    const sorted = [...list].sort(compareFindings).map((x) => `${x.severity[0]} ${x.file}:${x.line}:${x.column ?? 0} ${x.ruleId} ${x.message}`);
    expect(sorted).toEqual(['e a:9:0 a/b m', 'e b:1:2 a/a x', 'e b:1:2 a/a y', 'e b:1:2 z/z m', 'e b:1:5 a/b m', 'e b:2:0 a/b m', 'w a:1:0 a/b m']);
    expect(compareFindings(list[0]!, list[0]!)).toBe(0);
  });
  it('high-entropy guesses warn; known formats are errors', () => {
    expect(scannerSeverity('secret/high-entropy')).toBe('warning');
    expect(scannerSeverity('secret/openai')).toBe('error');
    expect(scannerSeverity('endpoint/exposed')).toBe('error');
  });
});

describe('evaluate', () => {
  const bad = () => ({ ...localTree(), [admissionPath('qwen-local', 'qwen3.6-35b-a3b')]: admissionJson({ allowed_network_class: 'public' }), '.sot/n.md': '# no fm\n' });
  it('changed scope keeps findings of changed files only', () => {
    const r = evaluateFiles(bad(), { changed: ['.sot/n.md'] });
    expect(r.findings.map((x) => x.file)).toEqual(['.sot/n.md']);
  });
  it('a changed decision record brings every admission into scope', () => {
    const r = evaluateFiles(bad(), { changed: [DECISION_PATH] });
    expect(r.findings.map((x) => x.ruleId)).toEqual(['admission/stale']);
  });
  it('summary counts, files evaluated, decision and admitted pairs', () => {
    const r = evaluateFiles({ ...bad(), [admissionPath('openai-codex', 'gpt-5.5')]: admissionJson({ provider: 'openai-codex', model: 'gpt-5.5', role: 'fallback', credential_source_class: 'codex-oauth-fallback', allowed_network_class: 'codex-oauth-fallback' }) });
    expect(r.summary).toEqual({ files: 4, errors: 2, warnings: 0, suppressed: 0 });
    expect(r.filesEvaluated).toHaveLength(4);
    expect(r.decision).toEqual({ status: 'local_provider_required', file: DECISION_PATH });
    expect(r.admittedPairs).toEqual([{ provider: 'openai-codex', model: 'gpt-5.5', role: 'fallback', file: admissionPath('openai-codex', 'gpt-5.5') }]);
  });
  it('no decision record: no decision in the result', () => {
    expect(evaluateFiles({ '.sot/a.md': frontMatter() }).decision).toBeUndefined();
  });
  it('a warning-severity finding does not withdraw an admitted pair', () => {
    const r = evaluateFiles(localTree(), { config: { rules: { 'admission/stale': 'warning' } } });
    expect(r.admittedPairs).toHaveLength(1);
  });
  it('a BOM before the front matter is not a missing front matter', () => {
    const r = evaluateFiles({ [DECISION_PATH]: '\uFEFF' + decisionDoc() });
    expect(r.findings).toEqual([]);
    expect(r.decision?.status).toBe('local_provider_required');
  });
  it('findings point at line 1 at least, and the base without a record is fine', () => {
    const r = evaluate({ files: toInput(localTree()), base: toInput({ '.sot/a.md': frontMatter() }), config: DEFAULT_CONFIG });
    expect(r.findings).toEqual([]);
  });
});

describe('text and lines', () => {
  it('splits on LF, CRLF and lone CR', () => {
    expect(splitLines('a\nb\r\nc\rd')).toEqual(['a', 'b', 'c', 'd']);
  });
  it('lineIndex maps offsets to 1-based line and column, across CR and CRLF', () => {
    const at = lineIndex('ab\ncd\r\nef\rgh');
    expect(at(0)).toEqual({ line: 1, column: 1 });
    expect(at(2)).toEqual({ line: 1, column: 3 });
    expect(at(3)).toEqual({ line: 2, column: 1 });
    expect(at(7)).toEqual({ line: 3, column: 1 });
    expect(at(10)).toEqual({ line: 4, column: 1 });
    expect(at(11)).toEqual({ line: 4, column: 2 });
  });
  it('decodes clean UTF-8 with its lines', () => {
    expect(decodeText(new TextEncoder().encode('é\nx'))).toEqual({ ok: true, value: { text: 'é\nx', lines: ['é', 'x'] } });
  });
  it('invalid UTF-8 on the first line', () => {
    expect(decodeText(new Uint8Array([0xff]))).toEqual({ ok: false, reason: 'is not valid UTF-8', line: 1 });
  });
});

describe('Markdown', () => {
  const md = (t: string) => parseMarkdown('a.md', t, t.split('\n'));
  it('sections end before the next heading of the same or a higher level', () => {
    const d = md('# A\n## B\ntext\n### C\nmore\n## D\nend\n');
    expect(d.sections.map((s) => [s.title, s.level, s.line, s.endLine])).toEqual([
      ['A', 1, 1, 8],
      ['B', 2, 2, 5],
      ['C', 3, 4, 5],
      ['D', 2, 6, 8],
    ]);
    expect(sectionLines(d, findSection(d, (t) => t === 'C')!)).toEqual([{ line: 5, text: 'more' }]);
  });
  it('tilde and backtick fences hide headings; a fence closes only with its own character', () => {
    const d = md('~~~\n# no\n```\n# still no\n~~~\n# yes\n');
    expect(d.sections.map((s) => s.title)).toEqual(['yes']);
  });
  it('headings after front matter; closing #s trimmed', () => {
    const d = md(`${frontMatter()}# Title ##\n`);
    expect(d.sections).toEqual([{ title: 'Title', level: 1, line: 11, endLine: 12 }]);
  });
  it('code spans', () => {
    expect(codeSpans('a `x` b `y z` c ``')).toEqual(['x', 'y z']);
  });
});

describe('front matter delimiters', () => {
  const fm = (t: string) => parseFrontMatter(t, t.split('\n'));
  it('only `---` closes it (gray-matter\'s delimiter), not YAML\'s `...`', () => {
    expect(fm('---\ntitle: a\n---\nbody\n')).toMatchObject({ kind: 'ok', value: { endLine: 3, data: { title: 'a' } } });
    expect(fm('---\ntitle: a\n...\nbody\n')).toMatchObject({ kind: 'invalid', line: 1 });
  });
  it('no closing line is invalid at line 1', () => {
    expect(fm('---\ntitle: a\n')).toEqual({ kind: 'invalid', line: 1, message: 'front matter has no closing `---`' });
  });
  it('an empty front matter is an empty mapping', () => {
    expect(fm('---\n---\n')).toMatchObject({ kind: 'ok', value: { data: {}, keyLines: {} } });
  });
  it('a key keeps the line of its first occurrence; duplicate keys are invalid', () => {
    expect(fm('---\ntitle: a\ntitle: b\n---\n').kind).toBe('invalid');
  });
});

describe('config issues', () => {
  it('formats paths and the root', () => {
    expect(formatIssues([{ path: [], message: 'bad' }, { path: ['a', 0, 'b'], message: 'worse' }])).toEqual(['(root): bad', 'a.0.b: worse']);
  });
});
