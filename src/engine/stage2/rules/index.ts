/** The evidence rule catalog. Rule ids are public interface: never rename one. */
import { baselineComparison } from './baseline-comparison.js';
import { baselineMissing } from './baseline-missing.js';
import { blockMarker } from './block-marker.js';
import { blockedButStarted } from './blocked-but-started.js';
import { configModel } from './config-model.js';
import { endpointValue } from './endpoint-value.js';
import { fixtureNotAllowed } from './fixture-not-allowed.js';
import { manifestMismatch } from './manifest-mismatch.js';
import { modelOutsidePair } from './model-outside-pair.js';
import { passNotAdmitted } from './pass-not-admitted.js';
import { reportInvalid } from './report-invalid.js';
import { reportMissing } from './report-missing.js';
import type { EvidenceRule } from './rule.js';
import { startedBeforeAdmission } from './started-before-admission.js';
import { symlink } from './symlink.js';
import { traceInvalid } from './trace-invalid.js';
import { unadmittedPair } from './unadmitted-pair.js';
import { unscannable } from './unscannable.js';

export const EVIDENCE_RULES: readonly EvidenceRule[] = [
  reportMissing,
  reportInvalid,
  traceInvalid,
  passNotAdmitted,
  unadmittedPair,
  blockedButStarted,
  startedBeforeAdmission,
  blockMarker,
  modelOutsidePair,
  baselineMissing,
  baselineComparison,
  fixtureNotAllowed,
  configModel,
  endpointValue,
  symlink,
  unscannable,
  manifestMismatch,
];

export type { EvidenceExample, EvidenceRule } from './rule.js';
