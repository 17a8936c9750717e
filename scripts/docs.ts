// Writes docs/rules/<group>-<name>.md for every rule and scanner detector (npm run docs). Tests check they are current.
import { mkdirSync, writeFileSync } from 'node:fs';
import { unapprovedChangeRule } from '../src/engine/rules/decision/unapproved-change.js';
import { renderRuleDoc } from '../src/engine/rules/docs.js';
import { RULES } from '../src/engine/rules/index.js';
import { docsPath } from '../src/engine/rules/rule.js';
import { evidenceDocPath, renderEvidenceRuleDoc } from '../src/engine/stage2/rules/docs.js';
import { EVIDENCE_RULES } from '../src/engine/stage2/rules/index.js';
import { renderDetectorDoc } from '../src/engine/scanner/docs.js';
import { detectors } from '../src/engine/scanner/index.js';

mkdirSync('docs/rules', { recursive: true });
for (const rule of [...RULES, unapprovedChangeRule({ approvers: ['jp'] })]) writeFileSync(docsPath(rule.id), renderRuleDoc(rule));
for (const rule of EVIDENCE_RULES) writeFileSync(evidenceDocPath(rule.id), renderEvidenceRuleDoc(rule));
for (const d of detectors) writeFileSync(docsPath(d.id), renderDetectorDoc(d));
console.log(`wrote ${RULES.length + 1 + EVIDENCE_RULES.length + detectors.length} rule pages`);
