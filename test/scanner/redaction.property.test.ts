import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { scanText } from '../../src/engine/scanner/index.js';
import { OPTS } from './helpers.js';

const ALNUM = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
const LETTERS = ALNUM.slice(0, 52);
const str = (alphabet: string, n: number) => fc.array(fc.constantFrom(...alphabet), { minLength: n, maxLength: n }).map((a) => a.join(''));
/** A body with all three character classes (real keys have them; placeholders often do not). */
const mixed = (n: number) => fc.tuple(str(LETTERS.slice(0, 26), 2), str(LETTERS.slice(26), 2), str('0123456789', 2), str(ALNUM, n - 6)).map((p) => p.join(''));

const secrets: Record<string, fc.Arbitrary<string>> = {
  'secret/openai': fc.tuple(mixed(40), mixed(40)).map(([a, b]) => `sk-proj-${a}T3BlbkFJ${b}`),
  'secret/anthropic': mixed(93).map((b) => `sk-ant-api03-${b}AA`),
  'secret/github': mixed(36).map((b) => `ghp_${b}`),
  'secret/aws': str('ABCDEFGHIJKLMNOPQRSTUVWXYZ234567', 16).filter((b) => new Set(b).size > 6).map((b) => `AKIA${b}`),
  'secret/google': mixed(33).map((b) => `AIzaSy${b}`),
  'secret/slack': fc.tuple(str('0123456789', 12), str('0123456789', 13), mixed(24)).map(([a, b, c]) => `xoxb-${a}-${b}-${c}`),
  'secret/huggingface': fc.tuple(str(LETTERS.slice(0, 26), 17), str(LETTERS.slice(26), 17)).map(([a, b]) => `hf_${a}${b}`),
  'secret/npm': mixed(36).map((b) => `npm_${b}`),
  'secret/stripe': mixed(30).map((b) => `sk_live_${b}`),
  'secret/jwt': fc.tuple(mixed(20), mixed(30), mixed(40)).map(([a, b, c]) => `eyJ${a}.eyJ${b}.${c}`),
};

const filler = fc.array(fc.constantFrom('# Notes', 'plain text line', '- item: value', '', '```', 'status: done', 'see CTO-WORK-020'), { maxLength: 8 });
const framings = fc.constantFrom((s: string) => s, (s: string) => `key: ${s}`, (s: string) => `"v": "${s}",`, (s: string) => `export X=${s}`, (s: string) => `| a | ${s} |`, (s: string) => `log ${s} end`);

/** Real keys are random: a draw like `xoxb-000000000000-…-AAAAAAAA` is a placeholder by design, not a secret. */
const plausible = (s: string) => new Set(s).size >= 16 && !/(.)\1\1/i.test(s) && !/xx/i.test(s);

describe('redaction property', () => {
  it.each(Object.entries(secrets))('%s: found, and never present in the serialized findings', (rule, secret) => {
    fc.assert(
      fc.property(secret.filter(plausible), filler, filler, framings, (s, before, after, frame) => {
        const text = [...before, frame(s), ...after].join('\n');
        const findings = scanText(text, 'gen.md', OPTS);
        const hit = findings.find((f) => f.ruleId === rule);
        expect(hit, text).toBeDefined();
        expect(hit!.line).toBe(before.length + 1);
        const json = JSON.stringify(findings);
        expect(json).not.toContain(s);
        for (let i = 0; i + 12 <= s.length; i++) expect(json).not.toContain(s.slice(i, i + 12));
      }),
      { numRuns: Number(process.env.PROP_RUNS ?? 60) },
    );
  });
});
