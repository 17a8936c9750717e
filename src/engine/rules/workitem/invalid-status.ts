import { issuesDoc } from '../fixtures.js';
import type { Rule } from '../rule.js';

const P = '.sot/ISSUES.md';

export const workitemInvalidStatus: Rule = {
  id: 'workitem/invalid-status',
  defaultSeverity: 'error',
  summary: 'A work item has no Status line, or its status is not in the vocabulary.',
  description:
    'Each `## CTO-WORK-NNN - Title` section carries a `Status: value.` line whose value is one of `vocabularies.work-item-status` (by default proposed, open, ready, in_progress, blocked, validated, resolved, done, cancelled, superseded).',
  examples: {
    fire: [
      { description: 'unknown status', files: { [P]: issuesDoc('## CTO-WORK-031 - Thing\n\nStatus: kinda-done.\n') } },
      { description: 'no status line', files: { [P]: issuesDoc('## CTO-WORK-031 - Thing\n\nAcceptance:\n\n- x.\n') } },
    ],
    quiet: [{ description: 'validated', files: { [P]: issuesDoc('## CTO-WORK-019 - Case Model Provider Admission PRD\n\nStatus: validated.\n') } }],
  },
  check(ctx, report) {
    const allowed = ctx.config.vocabularies['work-item-status'];
    for (const item of ctx.workItems) {
      if (!item.status) report({ file: item.file, line: item.line, message: `${item.id} has no "Status:" line` });
      else if (!allowed.includes(item.status.value)) {
        report({ file: item.file, line: item.status.line, message: `${item.id} status "${item.status.value}" is not one of: ${allowed.join(', ')}` });
      }
    }
  },
};
