import { tokenDetector } from '../token.js';
import { atTokenStart } from '../util.js';

export const atlassian = tokenDetector({
  id: 'secret/atlassian',
  title: 'Atlassian API token',
  summary: 'Atlassian (Jira, Confluence) API tokens (ATATT3…).',
  docs: 'Matches `ATATT3` followed by 186 URL-safe characters. Shorter Atlassian tokens assigned to `*_TOKEN` keys are covered by `secret/key-name`.',
  keywords: ['atatt3'],
  pattern: atTokenStart(/ATATT3[A-Za-z0-9_=-]{186}/g),
  prefix: () => 6,
  examples: { tp: ['JIRA_TOKEN=ATATT3' + 'xFfGF0K3irG5tKKi-6u-wwaXQFeGwZ-IHR-hQ3CulkKtMSuteRQFfLZ6jihHThzZCg_UjnDt-4Wl_gIRf4zrZJs5JqaeuBhsfJ4W5GD6yGg3W7903gbvaxZPBjxIQQ7BgFDSkPS8oPispw4KLz56mdK-G6CIvLO6hHRrZHY0Q3tvJ6JxE=C63992E6'], fp: ['ATATT3xxxxxxxx'] },
});
