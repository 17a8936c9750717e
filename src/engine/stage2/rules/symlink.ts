import { inDir } from '../context.js';
import { blockedRun, passRun } from './fixtures.js';
import type { EvidenceRule } from './rule.js';

export const symlink: EvidenceRule = {
  id: 'evidence/symlink',
  defaultSeverity: 'error',
  summary: 'A symbolic link in the run directory.',
  description:
    'sot-gate never follows a symbolic link: what a link in the run directory points to is not scanned for secrets or the endpoint value. `actions/upload-artifact` does follow links when it uploads the run directory, so a link would upload files from outside the run directory (a credentials file, a log of another run) that verify-evidence never saw. Every link in the run directory is therefore an error, whatever it points to (a file, a directory, nothing). The message names the link, never its target. Fix the harness so that it writes regular files into the run directory (copy a log instead of linking it), and delete the links before verifying.',
  examples: {
    fire: [
      { description: 'a backend log linked from elsewhere', files: passRun(), links: ['backend/case-debug.log'] },
      { description: 'a linked directory in a blocked run', files: blockedRun(), links: ['backend/more'] },
    ],
    quiet: [
      { description: 'a passing run of regular files', files: passRun() },
      { description: 'a blocked run of regular files', files: blockedRun() },
    ],
  },
  check(ctx, report) {
    for (const l of ctx.links) {
      report({ file: inDir(ctx, l), line: 1, message: 'a symbolic link in the run directory: it is never followed, so what it points to was not scanned, and an artifact upload would follow it; write a regular file instead' });
    }
  },
};
