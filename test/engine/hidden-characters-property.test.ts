/**
 * sot/hidden-characters finds hidden characters by Unicode property: every code point of Default_Ignorable_Code_Point,
 * Cf, Bidi_Control and Variation_Selector is flagged (literally, as a JSON escape, in a JSON key, as a Markdown
 * character reference), and no other code point is (in prose, where look-alikes are allowed).
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { DEFAULT_CONFIG } from '../../src/engine/config.js';
import { parseAdmission } from '../../src/engine/parse/admission.js';
import { parseMarkdown } from '../../src/engine/parse/markdown.js';
import type { RuleContext } from '../../src/engine/rules/rule.js';
import { hiddenCharacters } from '../../src/engine/rules/sot/hidden-characters.js';
import type { RawFinding } from '../../src/engine/types.js';
import { evaluateFiles } from '../helpers/tree.js';

const PROPERTY = /^[\p{Default_Ignorable_Code_Point}\p{Cf}\p{Bidi_Control}\p{Variation_Selector}]$/u;

/** Every code point with one of the properties (enumerated over the whole code space with the regex). */
const HIDDEN_CPS: number[] = [];
/** Every other code point that can stand in a line of prose (no surrogates, no line breaks, no Markdown syntax that makes a code span or a reference). */
const OTHER_CPS: number[] = [];
for (let cp = 0; cp <= 0x10ffff; cp++) {
  if (cp >= 0xd800 && cp <= 0xdfff) continue;
  const ch = String.fromCodePoint(cp);
  if (PROPERTY.test(ch)) HIDDEN_CPS.push(cp);
  else if (cp !== 0x0a && cp !== 0x0d && ch !== '`' && ch !== '&') OTHER_CPS.push(cp);
}

function run(files: { sot?: Record<string, string>; admissions?: Record<string, string> }): RawFinding[] {
  const sot = Object.entries(files.sot ?? {}).map(([f, t]) => parseMarkdown(f, t, t.split(/\r?\n|\r/)));
  const admissions = Object.entries(files.admissions ?? {}).map(([f, t]) => parseAdmission(f, t));
  const ctx: RuleContext = { config: DEFAULT_CONFIG, sot, admissions, decisionCandidates: [], workItems: [], unreadable: [] };
  const out: RawFinding[] = [];
  hiddenCharacters.check(ctx, (f) => out.push(f));
  return out;
}

const hex = (cp: number) => cp.toString(16).toUpperCase().padStart(4, '0');
/** A JSON \u escape of a code point (a surrogate pair beyond the BMP). */
const jsonEscape = (cp: number) =>
  [...String.fromCodePoint(cp)].flatMap((c) => Array.from({ length: c.length }, (_, i) => `\\u${c.charCodeAt(i).toString(16).padStart(4, '0')}`)).join('');

describe('sot/hidden-characters over every code point of its properties', () => {
  it('knows the tables: tag characters, Hangul fillers, variation selectors, bidi controls are among them', () => {
    for (const cp of [0xe0001, 0xe0041, 0xe007f, 0x115f, 0x1160, 0x3164, 0xffa0, 0xfe0f, 0xe0100, 0x202e, 0x2066, 0x061c, 0x200b, 0x00ad, 0xfeff, 0x180e]) expect(HIDDEN_CPS).toContain(cp);
    expect(HIDDEN_CPS.length).toBeGreaterThan(4000);
  });

  it('flags each one written literally in Markdown prose, with the line and code point', () => {
    const lines = HIDDEN_CPS.map((cp) => `word${String.fromCodePoint(cp)}word`);
    const findings = run({ sot: { '.sot/a.md': `# A\n${lines.join('\n')}\n` } });
    const byLine = new Map(findings.map((f) => [f.line, f.message]));
    HIDDEN_CPS.forEach((cp, i) => {
      expect(byLine.get(i + 2), `U+${hex(cp)}`).toMatch(new RegExp(`^hidden character U\\+${hex(cp)} `));
    });
    expect(findings).toHaveLength(HIDDEN_CPS.length);
  });

  it('flags each one as a Markdown character reference outside code spans', () => {
    const lines = HIDDEN_CPS.map((cp) => `word&#x${hex(cp)};word`);
    const findings = run({ sot: { '.sot/a.md': `# A\n${lines.join('\n')}\n` } });
    expect(new Set(findings.map((f) => f.line)).size).toBe(HIDDEN_CPS.length);
    expect(findings.every((f) => /character reference &#x/.test(f.message))).toBe(true);
  });

  it('flags each one in admission JSON: literal in a value, literal in a key, and as a \\u escape in a value', () => {
    const literal = HIDDEN_CPS.map((cp, i) => `  "k${i}": "a${String.fromCodePoint(cp)}b"`);
    const inKey = HIDDEN_CPS.map((cp, i) => `  "k${i}${String.fromCodePoint(cp)}": 1`);
    const escaped = HIDDEN_CPS.map((cp, i) => `  "k${i}": "a${jsonEscape(cp)}b"`);
    for (const [name, rows] of [
      ['literal value', literal],
      ['key', inKey],
      ['escaped value', escaped],
    ] as const) {
      const findings = run({ admissions: { 'x.ADMISSION.json': `{\n${rows.join(',\n')}\n}\n` } });
      const lines = new Set(findings.map((f) => f.line));
      HIDDEN_CPS.forEach((cp, i) => expect(lines.has(i + 2), `${name} U+${hex(cp)}`).toBe(true));
    }
  });

  it('stays quiet on every other code point in prose (letters of every script, CJK, emoji without selectors, symbols, spaces)', () => {
    const lines: string[] = [];
    for (let i = 0; i < OTHER_CPS.length; i += 256) lines.push(String.fromCodePoint(...OTHER_CPS.slice(i, i + 256)));
    const findings = run({ sot: { '.sot/a.md': `# A\n${lines.join('\n')}\n` } });
    expect(findings.map((f) => f.message)).toEqual([]);
  });
});

describe('sot/hidden-characters through the engine', () => {
  it('reports a tag-character sequence at its line and column; accented, CJK and emoji prose stays quiet', () => {
    const r = evaluateFiles({ '.sot/a.md': '# A\n\nCaf\u00e9 \u5df2\u6279\u51c6 \u{1F600}\nApproved\u{E0069}\u{E0067} by JP.\n' });
    const hits = r.findings.filter((f) => f.ruleId === 'sot/hidden-characters');
    expect(hits.map((f) => [f.line, f.column])).toEqual([
      [4, 9],
      [4, 11],
    ]);
    expect(hits[0]!.message).toMatch(/U\+E0069 \(tag character/);
  });
  it('a leading BOM is removed by the decoder; a second one is flagged', () => {
    const quiet = evaluateFiles({ '.sot/a.md': '\uFEFF# A\n' });
    expect(quiet.findings.filter((f) => f.ruleId === 'sot/hidden-characters')).toEqual([]);
    const loud = evaluateFiles({ '.sot/a.md': '\uFEFF\uFEFF# A\n' });
    expect(loud.findings.filter((f) => f.ruleId === 'sot/hidden-characters').map((f) => f.line)).toEqual([1]);
  });
  it('an emoji with U+FE0F is flagged (documented: variation selectors can carry hidden data)', () => {
    const r = evaluateFiles({ '.sot/a.md': '# A\n\nWarning \u26A0\uFE0F here.\n' });
    expect(r.findings.filter((f) => f.ruleId === 'sot/hidden-characters').map((f) => [f.line, f.message.slice(0, 26)])).toEqual([[3, 'hidden character U+FE0F (v']]);
  });
  it('an escaped zero-width space inside an admission value is reported at its key line', () => {
    const r = evaluateFiles({ 'x.ADMISSION.json': '{\n  "status": "admitted",\n  "provider": "qwen\\u200b-local"\n}\n' });
    expect(r.findings.filter((f) => f.ruleId === 'sot/hidden-characters').map((f) => [f.line, f.message])).toEqual([
      [3, 'hidden character U+200B (format character, invisible or zero-width) written as a JSON escape in a string value under "provider": remove it'],
    ]);
  });
});

describe('sot/hidden-characters through the bundled CLI (dist/cli.js)', () => {
  it('check --format json reports tag characters and a Hangul filler with their lines; clean text passes', () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'sot-gate-hidden-'));
    try {
      mkdirSync(path.join(dir, '.sot'));
      const fm = '---\ntitle: A\nstatus: draft\nlifecycle_classification: sot\nowner: jp\ncreated: 2026-05-31\nlast_reviewed: 2026-05-31\ncore_promotion_status: not-promoted\nroute: cto\n---\n';
      writeFileSync(path.join(dir, '.sot/a.md'), `${fm}# A\n\nCaf\u00e9 \u5df2\u6279\u51c6 \u{1F600}.\nApproved\u{E0069}\u{E0067}\u{E006E} by JP.\n- \`provider\`: \`qwen-local\u3164\`.\n`);
      const cli = path.resolve(import.meta.dirname, '../../dist/cli.js');
      const r = spawnSync(process.execPath, [cli, 'check', dir, '--format', 'json'], { encoding: 'utf8' });
      expect(r.status, r.stderr).toBe(1);
      const findings = (JSON.parse(r.stdout) as { findings: Array<{ ruleId: string; file: string; line: number; message: string }> }).findings.filter((f) => f.ruleId === 'sot/hidden-characters');
      expect(findings.map((f) => [f.file, f.line, f.message.slice(0, 25)])).toEqual([
        ['.sot/a.md', 14, 'hidden character U+E0069 '],
        ['.sot/a.md', 14, 'hidden character U+E0067 '],
        ['.sot/a.md', 14, 'hidden character U+E006E '],
        ['.sot/a.md', 15, 'hidden character U+3164 ('],
      ]);
      writeFileSync(path.join(dir, '.sot/a.md'), `${fm}# A\n\nCaf\u00e9 \u5df2\u6279\u51c6 \u{1F600}.\n`);
      const clean = spawnSync(process.execPath, [cli, 'check', dir, '--format', 'json'], { encoding: 'utf8' });
      expect((JSON.parse(clean.stdout) as { findings: unknown[] }).findings).toEqual([]);
      expect(clean.status).toBe(0);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
