/** Renders a rule's docs page (docs/rules/<group>-<name>.md) from the rule itself, so docs and code never drift. */
import type { Rule, RuleExample } from './rule.js';

function fence(content: string | Uint8Array, file: string): string {
  if (typeof content !== 'string') {
    return '```text\n' + `(bytes) ${Array.from(content.slice(0, 48), (b) => b.toString(16).padStart(2, '0')).join(' ')}\n` + '```';
  }
  const lang = file.endsWith('.json') ? 'json' : file.endsWith('.md') ? 'markdown' : 'text';
  const shown = content.length > 1500 ? `${content.slice(0, 200)}… (${content.length} characters)` : content;
  const ticks = shown.includes('```') ? '````' : '```';
  return `${ticks}${lang}\n${shown.replace(/\n$/, '')}\n${ticks}`;
}

function example(ex: RuleExample): string {
  const parts = [`### ${ex.description}`, ''];
  if (ex.config) parts.push('Config:', '', '```json', JSON.stringify(ex.config), '```', '');
  if (ex.base) {
    for (const [file, content] of Object.entries(ex.base)) parts.push(`Base revision, \`${file}\`:`, '', fence(content, file), '');
  }
  for (const [file, content] of Object.entries(ex.files)) parts.push(`\`${file}\`:`, '', fence(content, file), '');
  return parts.join('\n');
}

export function renderRuleDoc(rule: Rule): string {
  return [
    `# \`${rule.id}\``,
    '',
    `Default severity: **${rule.defaultSeverity}**. ${rule.summary}`,
    '',
    rule.description,
    '',
    '## Configure',
    '',
    'In `.github/sot-gate.yml`:',
    '',
    '```yaml',
    'rules:',
    `  ${rule.id}: warning   # or error, or off`,
    '```',
    '',
    'No suppression covers this rule: an inline `sot-gate:allow` directive or a baseline entry naming it suppresses nothing (and is reported as `suppress/ignored-directive`). Only exposure findings (`secret/*`, `endpoint/*`, `path/*`) can be suppressed. Fix the file, or change the rule\'s severity in the base branch\'s policy.',
    '',
    '## Fires on',
    '',
    ...rule.examples.fire.map(example),
    '## Stays quiet on',
    '',
    ...rule.examples.quiet.map(example),
    '_This page is generated from the rule\'s source (`npm run docs`); its examples are run by the test suite._',
    '',
  ].join('\n');
}
