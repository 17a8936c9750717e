import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { renderRuleDoc } from '../../src/engine/rules/docs.js';
import { RULES } from '../../src/engine/rules/index.js';
import { docsPath } from '../../src/engine/rules/rule.js';
import { renderDetectorDoc } from '../../src/engine/scanner/docs.js';
import { detectors, scanText } from '../../src/engine/scanner/index.js';
import { OPTS } from '../scanner/helpers.js';

const repo = path.resolve(__dirname, '../..');

describe('docs/rules', () => {
  it.each(RULES.map((r) => [r.id, r] as const))('%s has a current page (run npm run docs)', (_id, rule) => {
    const file = path.join(repo, docsPath(rule.id));
    expect(existsSync(file)).toBe(true);
    expect(readFileSync(file, 'utf8')).toBe(renderRuleDoc(rule));
  });
  it.each(detectors.map((d) => [d.id, d] as const))('%s (scanner) has a current page (run npm run docs)', (_id, d) => {
    expect(readFileSync(path.join(repo, docsPath(d.id)), 'utf8')).toBe(renderDetectorDoc(d));
  });
  it('a detector page keeps every example, each marked so that scanning the page finds nothing unsuppressed', () => {
    const page = renderDetectorDoc(detectors.find((d) => d.id === 'secret/private-key')!);
    expect(page).toContain('-----BEGIN RSA PRIVATE KEY-----  # sot-gate:example\n');
    // under the default options (this repository's own check): a page describes the target patterns it assumes.
    // Its examples are found, and listed as suppressed documentation examples, never active.
    for (const d of detectors) {
      const found = scanText(renderDetectorDoc(d), docsPath(d.id), OPTS);
      expect(found.filter((f) => f.suppressed?.reason !== 'documentation example (sot-gate:example)'), d.id).toEqual([]);
    }
  });
});
