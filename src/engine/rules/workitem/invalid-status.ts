import { issuesDoc } from '../fixtures.js';
import type { Rule } from '../rule.js';

const P = '.sot/ISSUES.md';

export const workitemInvalidStatus: Rule = {
  id: 'workitem/invalid-status',
  defaultSeverity: 'error',
  summary: 'A work item has no Status line, or its status is not in the vocabulary.',
  description:
    'Each `## CTO-WORK-NNN - Title` section carries exactly one `Status: value.` line whose value is one of `vocabularies.work-item-status` (by default proposed, open, ready, in_progress, blocked, validated, resolved, done, cancelled, superseded). ' +
    'The item is read as GitHub renders it: a Status line is a line of a paragraph (not of a list item); one inside an HTML comment, a fenced or indented code block or a link reference definition is not read. ' +
    'Two Status lines in one item are ambiguous and fire, naming both lines, whatever their values.',
  examples: {
    fire: [
      { description: 'unknown status', files: { [P]: issuesDoc('## CTO-WORK-031 - Thing\n\nStatus: kinda-done.\n') } },
      { description: 'no status line', files: { [P]: issuesDoc('## CTO-WORK-031 - Thing\n\nAcceptance:\n\n- x.\n') } },
      { description: 'the only status line is inside an HTML comment', files: { [P]: issuesDoc('## CTO-WORK-031 - Thing\n\n<!--\nStatus: done.\n-->\n') } },
      { description: 'two status lines', files: { [P]: issuesDoc('## CTO-WORK-031 - Thing\n\nStatus: blocked.\n\nMore text.\n\nStatus: done.\n') } },
    ],
    quiet: [
      { description: 'validated', files: { [P]: issuesDoc('## CTO-WORK-019 - Case Model Provider Admission PRD\n\nStatus: validated.\n') } },
      { description: 'a second status inside a code block is not read', files: { [P]: issuesDoc('## CTO-WORK-019 - PRD\n\nStatus: validated.\n\n```\nStatus: kinda-done.\n```\n') } },
    ],
  },
  check(ctx, report) {
    const allowed = ctx.config.vocabularies['work-item-status'];
    for (const item of ctx.workItems) {
      if (item.statuses && item.statuses.length > 1) {
        const lines = item.statuses.map((x) => x.line);
        const values = item.statuses.map((x) => `"${x.value}"`).join(', ');
        report({ file: item.file, line: lines[1]!, message: `${item.id} has ${lines.length} "Status:" lines (lines ${lines.join(', ')}: ${values}): give it exactly one` });
        continue;
      }
      if (!item.status) report({ file: item.file, line: item.line, message: `${item.id} has no "Status:" line` });
      else if (!allowed.includes(item.status.value)) {
        report({ file: item.file, line: item.status.line, message: `${item.id} status "${item.status.value}" is not one of: ${allowed.join(', ')}` });
      }
    }
  },
};
