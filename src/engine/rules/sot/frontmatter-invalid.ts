import { frontMatter } from '../fixtures.js';
import type { Rule } from '../rule.js';

const REQUIRED = ['title', 'status', 'lifecycle_classification', 'owner', 'created', 'last_reviewed', 'core_promotion_status', 'route'] as const;
const DATE = /^\d{4}-\d{2}-\d{2}$/;

function validDate(s: string): boolean {
  if (!DATE.test(s)) return false;
  const d = new Date(`${s}T00:00:00Z`);
  return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === s;
}

const doc = (fm: Record<string, string | null>) => ({ '.sot/a.md': `${frontMatter(fm)}\n# A\n` });

export const frontmatterInvalid: Rule = {
  id: 'sot/frontmatter-invalid',
  defaultSeverity: 'error',
  summary: 'Front matter is not valid YAML, lacks a required key, or has an unknown value.',
  description:
    'Front matter must be a YAML mapping with the keys title, status, lifecycle_classification, owner, created, last_reviewed, core_promotion_status and route. status, lifecycle_classification and core_promotion_status take the values of the configured vocabularies; created and last_reviewed are dates (YYYY-MM-DD, quoted or not), and last_reviewed is not before created. Hostile YAML (alias bombs, custom tags, duplicate keys) is reported here instead of being expanded.',
  examples: {
    fire: [
      { description: 'owner missing', files: doc({ owner: null }) },
      { description: 'unknown status', files: doc({ status: 'approved-ish' }) },
      { description: 'reviewed before created', files: doc({ created: '2026-06-01', last_reviewed: '2026-05-31' }) },
      { description: 'not a date', files: doc({ created: '2026-02-30' }) },
      { description: 'YAML syntax error', files: { '.sot/a.md': '---\ntitle: [unclosed\n---\n# A\n' } },
      { description: 'front matter is a list', files: { '.sot/a.md': '---\n- a\n- b\n---\n# A\n' } },
      { description: 'custom tag', files: { '.sot/a.md': '---\ntitle: !!js/function "x"\n---\n' } },
    ],
    quiet: [
      { description: 'the seeds\' front matter (unquoted dates)', files: doc({}) },
      { description: 'quoted dates', files: doc({ created: "'2026-05-31'", last_reviewed: '"2026-06-01"' }) },
    ],
  },
  check(ctx, report) {
    const vocab = ctx.config.vocabularies;
    const known: Record<string, string[]> = {
      status: vocab['frontmatter-status'],
      lifecycle_classification: vocab['lifecycle-classification'],
      core_promotion_status: vocab['core-promotion-status'],
    };
    for (const d of ctx.sot) {
      const fm = d.frontMatter;
      if (fm.kind === 'invalid') {
        report({ file: d.file, line: fm.line, message: `front matter is not valid: ${fm.message}` });
        continue;
      }
      if (fm.kind !== 'ok') continue;
      const { data, keyLines } = fm.value;
      const lineOf = (k: string) => keyLines[k] ?? 1;
      for (const key of REQUIRED) {
        const v = data[key];
        if (v === undefined || v === null || (typeof v === 'string' && v.trim() === '')) {
          report({ file: d.file, line: 1, message: `front matter lacks required key "${key}"` });
        } else if (typeof v !== 'string') {
          report({ file: d.file, line: lineOf(key), message: `front matter "${key}" must be a string, not ${Array.isArray(v) ? 'a list' : typeof v}` });
        }
      }
      for (const [key, allowed] of Object.entries(known)) {
        const v = data[key];
        if (typeof v === 'string' && v.trim() !== '' && !allowed.includes(v)) {
          report({ file: d.file, line: lineOf(key), message: `front matter ${key} "${v}" is not one of: ${allowed.join(', ')}` });
        }
      }
      const created = data.created;
      const reviewed = data.last_reviewed;
      for (const key of ['created', 'last_reviewed'] as const) {
        const v = data[key];
        if (typeof v === 'string' && v.trim() !== '' && !validDate(v)) {
          report({ file: d.file, line: lineOf(key), message: `front matter ${key} "${v}" is not a date (YYYY-MM-DD)` });
        }
      }
      if (typeof created === 'string' && typeof reviewed === 'string' && validDate(created) && validDate(reviewed) && reviewed < created) {
        report({ file: d.file, line: lineOf('last_reviewed'), message: `last_reviewed ${reviewed} is before created ${created}` });
      }
    }
  },
};
