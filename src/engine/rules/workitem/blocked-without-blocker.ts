import { issuesDoc } from '../fixtures.js';
import type { Rule } from '../rule.js';

const P = '.sot/ISSUES.md';

export const blockedWithoutBlocker: Rule = {
  id: 'workitem/blocked-without-blocker',
  defaultSeverity: 'warning',
  summary: 'A blocked work item does not say what blocks it.',
  description:
    'A work item with `Status: blocked.` lists what blocks it under `Blocked by:`, so the block can be cleared by someone. ' +
    'The list is the Markdown list right after the `Blocked by:` paragraph, read as GitHub renders it (nested bullets count); bullets inside an HTML comment or a code block, or an empty bullet, are not blockers.',
  examples: {
    fire: [
      { description: 'blocked, no list', files: { [P]: issuesDoc('## CTO-WORK-020 - Admit\n\nStatus: blocked.\n\nAcceptance:\n\n- x.\n') } },
      { description: 'the blockers only inside an HTML comment', files: { [P]: issuesDoc('## CTO-WORK-020 - Admit\n\nStatus: blocked.\n\nBlocked by:\n\n<!--\n- Human provider approval.\n-->\n') } },
    ],
    quiet: [
      { description: 'blocked with a blocker', files: { [P]: issuesDoc('## CTO-WORK-020 - Admit\n\nStatus: blocked.\n\nBlocked by:\n\n- Human provider approval.\n') } },
      { description: 'not blocked', files: { [P]: issuesDoc('## CTO-WORK-019 - PRD\n\nStatus: validated.\n') } },
    ],
  },
  check(ctx, report) {
    for (const item of ctx.workItems) {
      if (item.status?.value === 'blocked' && item.blockedBy.length === 0) {
        report({ file: item.file, line: item.blockedByLine ?? item.status.line, message: `${item.id} is blocked but has no "Blocked by:" list` });
      }
    }
  },
};
