import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { renderRuleDoc } from '../../src/engine/rules/docs.js';
import { RULES } from '../../src/engine/rules/index.js';
import { docsPath } from '../../src/engine/rules/rule.js';

const repo = path.resolve(__dirname, '../..');

describe('docs/rules', () => {
  it.each(RULES.map((r) => [r.id, r] as const))('%s has a current page (run npm run docs)', (_id, rule) => {
    const file = path.join(repo, docsPath(rule.id));
    expect(existsSync(file)).toBe(true);
    expect(readFileSync(file, 'utf8')).toBe(renderRuleDoc(rule));
  });
});
