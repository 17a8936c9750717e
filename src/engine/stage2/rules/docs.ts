/** docs/rules/evidence-<name>.md, rendered from the rule itself (the docs test keeps the committed pages equal). */
import type { EvidenceRule } from './rule.js';

export const evidenceDocPath = (id: string) => `docs/rules/${id.replace(/\//g, '-')}.md`;

export function renderEvidenceRuleDoc(rule: EvidenceRule): string {
  const list = (xs: { description: string }[]) => xs.map((x) => `- ${x.description}`).join('\n');
  return [
    `# ${rule.id}`,
    '',
    rule.summary,
    '',
    `Default severity: \`${rule.defaultSeverity}\`. Checked by \`sot-gate verify-evidence\` (action \`mode: verify-evidence\`) over a Stage 2 run directory; set \`rules: { ${rule.id}: warning }\` (or \`off\`) in \`.github/sot-gate.yml\` to change it.`,
    '',
    '## What it checks, and how to fix it',
    '',
    rule.description,
    '',
    '## Examples',
    '',
    'Fires on a run directory with:',
    '',
    list(rule.examples.fire),
    '',
    'Stays quiet on:',
    '',
    list(rule.examples.quiet),
    '',
    'The examples are in `src/engine/stage2/rules/' + rule.id.split('/')[1] + '.ts`; the run directory format is described in [docs/stage2.md](../stage2.md).',
    '',
  ].join('\n');
}
