import { inDir } from '../context.js';
import { passRun } from './fixtures.js';
import type { EvidenceRule } from './rule.js';

export const manifestMismatch: EvidenceRule = {
  id: 'evidence/manifest-mismatch',
  defaultSeverity: 'error',
  summary: 'A run directory (a downloaded artifact) differs from the manifest verify-evidence wrote when it verified it.',
  description:
    'After verifying a run directory, `sot-gate verify-evidence` writes `manifest.json` into it: `{"version":1,"algorithm":"sha256","files":[{"path","sha256","bytes"}]}`, every file it verified (manifest.json itself excluded), sorted by path. The example Stage 2 workflow uploads it with the artifact and attests it; `sot-gate evidence` cites the SHA-256 of manifest.json, so an evidence block names exactly the files that were verified. `sot-gate verify-evidence DIR --manifest FILE` re-checks a downloaded artifact against a manifest: a file whose SHA-256 differs, a file the manifest lists that is missing, and a file the manifest does not list each fire (besides every other evidence rule, run again over what is there). Fix: cite an artifact that was not changed after verification, or verify the changed run again.',
  examples: {
    fire: [
      { description: 'a log changed after verification', files: passRun(), manifestDiffs: [{ file: 'backend/case-stdout.log', why: 'changed since it was verified' }] },
      { description: 'a file added after verification', files: passRun({ 'backend/extra.log': 'x\n' }), manifestDiffs: [{ file: 'backend/extra.log', why: 'not in the manifest: added after verification' }] },
    ],
    quiet: [
      { description: 'an artifact equal to its manifest', files: passRun(), manifestDiffs: [] },
      { description: 'no manifest check requested', files: passRun() },
    ],
  },
  check(ctx, report) {
    for (const d of ctx.manifestDiffs ?? []) report({ file: inDir(ctx, d.file), line: 1, message: `${d.why}: the artifact is not what verify-evidence verified` });
  },
};
