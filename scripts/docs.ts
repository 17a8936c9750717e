// Writes docs/rules/<group>-<name>.md for every engine rule (npm run docs). A test checks the files are current.
import { writeFileSync, mkdirSync } from 'node:fs';
import { RULES } from '../src/engine/rules/index.js';
import { renderRuleDoc } from '../src/engine/rules/docs.js';
import { docsPath } from '../src/engine/rules/rule.js';

mkdirSync('docs/rules', { recursive: true });
for (const rule of RULES) writeFileSync(docsPath(rule.id), renderRuleDoc(rule));
console.log(`wrote ${RULES.length} rule pages`);
