import { existsSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { SCANNER_RULE_IDS, detectors, scanText } from '../../src/engine/scanner/index.js';
import { optsFor } from './helpers.js';

const docsDir = path.resolve(import.meta.dirname, '../../docs/rules');

describe.each(detectors.map((d) => [d.id, d] as const))('%s', (id, d) => {
  it('has docs, keywords or a trigger, and examples both ways', () => {
    expect(d.summary.length).toBeGreaterThan(10);
    expect(d.docs.length).toBeGreaterThan(40);
    expect(d.keywords.length + (d.dynamicKeywords ? 1 : 0) + (d.trigger ? 1 : 0)).toBeGreaterThan(0);
    for (const k of d.keywords) expect(k).toBe(k.toLowerCase());
    expect(d.examples.tp.length).toBeGreaterThan(0);
    expect(d.examples.fp.length).toBeGreaterThan(0);
    expect(existsSync(path.join(docsDir, `${id.replace('/', '-')}.md`))).toBe(true);
  });
  it.each(d.examples.tp.map((t) => [t]))('fires on %s', (text) => {
    const ids = scanText(text, 'example.md', optsFor(id)).map((f) => f.ruleId);
    expect(ids).toContain(id);
  });
  it.each(d.examples.fp.map((t) => [t]))('stays quiet on %s', (text) => {
    expect(scanText(text, 'example.md', optsFor(id))).toEqual([]);
  });
});

describe('registry', () => {
  it('has unique ids, all listed in SCANNER_RULE_IDS', () => {
    expect(new Set(detectors.map((d) => d.id)).size).toBe(detectors.length);
    expect([...SCANNER_RULE_IDS].sort()).toEqual(detectors.map((d) => d.id).sort());
    for (const id of ['secret/openai', 'secret/anthropic', 'secret/github', 'secret/aws', 'secret/google', 'secret/slack', 'secret/huggingface', 'secret/npm', 'secret/stripe', 'secret/private-key', 'secret/jwt', 'secret/url-credentials', 'secret/bearer', 'secret/key-name', 'secret/high-entropy', 'endpoint/exposed', 'path/target-repository']) {
      expect(SCANNER_RULE_IDS).toContain(id);
    }
  });
});
