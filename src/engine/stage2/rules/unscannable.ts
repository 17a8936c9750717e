import { inDir } from '../context.js';
import { blockedRun, passRun } from './fixtures.js';
import type { EvidenceRule } from './rule.js';

export const unscannable: EvidenceRule = {
  id: 'evidence/unscannable',
  defaultSeverity: 'error',
  summary: 'A file of the run directory that verify-evidence cannot scan (binary, or an archive it cannot open within its limits).',
  description:
    'Everything in a run directory may be uploaded, so everything must be scanned: a file verify-evidence cannot read as text could carry a secret or the endpoint value past the scan. Text is UTF-8, or UTF-16 with a byte-order mark (decoded). Compressed artifacts are opened with fflate and every file inside is scanned like any other artifact (secrets, the endpoint value, models outside the admitted pair): gzip (every member) and zip (stored or deflate entries; the central directory and the local entries must list the same files). Archives inside archives are opened too. Limits against decompression bombs, over the whole run directory: 256 MiB inflated, 10,000 entries, 3 levels of nesting; past a limit the archive is not read further. This fires, at line 1 of the file (or `archive!/entry`), for a binary file (an image, an executable, a tar stream, a database), an archive past a limit, a corrupt, encrypted or otherwise unsupported archive or entry, and a non-text entry inside an archive. It counts as an exposure (the `exposures` output): the upload guard `exposures == \'0\'` keeps the run directory from being uploaded. Fix the harness so that it writes text logs (gzip or zip them if needed), and delete other files before verifying.',
  examples: {
    fire: [
      { description: 'a binary file', files: passRun(), unscannable: [{ file: 'backend/core.dump', line: 1, why: 'binary content (not UTF-8 or UTF-16 text, not a gzip or zip archive)' }] },
      { description: 'a decompression bomb', files: passRun(), unscannable: [{ file: 'backend/logs.gz', line: 1, why: 'inflates to more than 268435456 bytes in total (decompression bomb limit)' }] },
      { description: 'an encrypted zip entry', files: blockedRun(), unscannable: [{ file: 'backend/logs.zip!/case.log', line: 1, why: 'corrupt or encrypted entry' }] },
    ],
    quiet: [
      { description: 'a run directory of text files', files: passRun() },
      { description: 'a blocked run', files: blockedRun() },
    ],
  },
  check(ctx, report) {
    for (const u of ctx.unscannable ?? []) {
      report({ file: inDir(ctx, u.file), line: u.line, message: `cannot be scanned (${u.why}): what it holds was not checked for secrets, the endpoint or models, and an upload would publish it` });
    }
  },
};
