import { DECISION_PATH, decisionDoc, frontMatter } from '../fixtures.js';
import type { Rule } from '../rule.js';

export const frontmatterMissing: Rule = {
  id: 'sot/frontmatter-missing',
  defaultSeverity: 'error',
  summary: 'A SOT Markdown file has no YAML front matter.',
  description:
    'Every SOT document starts with a `---` block of YAML front matter (title, status, lifecycle_classification, owner, created, last_reviewed, core_promotion_status, route). Without it the document has no owner, no lifecycle and no review date, so it cannot be governed. Add the block at line 1.',
  examples: {
    fire: [{ description: 'a SOT file that starts with a heading', files: { '.sot/notes.md': '# Notes\n\nNo front matter.\n' } }],
    quiet: [
      { description: 'a SOT file with front matter', files: { '.sot/notes.md': `${frontMatter()}\n# Notes\n` } },
      { description: 'the decision record', files: { [DECISION_PATH]: decisionDoc() } },
    ],
  },
  check(ctx, report) {
    for (const doc of ctx.sot) {
      if (doc.frontMatter.kind === 'none') {
        report({ file: doc.file, line: 1, message: 'no YAML front matter: a SOT file must start with a `---` block' });
      }
    }
  },
};
