/** The rule catalog. Rule ids are public interface: never rename one. */
import { filenameMismatch } from './admission/filename-mismatch.js';
import { forbiddenProvider } from './admission/forbidden-provider.js';
import { admissionIdentifierForm } from './admission/identifier-form.js';
import { implicitFallback } from './admission/implicit-fallback.js';
import { invalid } from './admission/invalid.js';
import { notDecidedPair } from './admission/not-decided-pair.js';
import { stale } from './admission/stale.js';
import { ambiguous } from './decision/ambiguous.js';
import { classMismatch } from './decision/class-mismatch.js';
import { forbiddenTransition } from './decision/forbidden-transition.js';
import { decisionIdentifierForm } from './decision/identifier-form.js';
import { historyNotUpdated } from './decision/history-not-updated.js';
import { invalidStatus } from './decision/invalid-status.js';
import { missingField } from './decision/missing-field.js';
import { recordMissing } from './decision/record-missing.js';
import { undecidedWithModel } from './decision/undecided-with-model.js';
import type { Rule } from './rule.js';
import { frontmatterInvalid } from './sot/frontmatter-invalid.js';
import { frontmatterMissing } from './sot/frontmatter-missing.js';
import { hiddenCharacters } from './sot/hidden-characters.js';
import { unreadable } from './sot/unreadable.js';
import { ignoredDirective } from './suppress/ignored-directive.js';
import { unapprovedSuppression } from './suppress/unapproved.js';
import { blockedWithoutBlocker } from './workitem/blocked-without-blocker.js';
import { workitemInvalidStatus } from './workitem/invalid-status.js';

export const RULES: readonly Rule[] = [
  frontmatterMissing,
  frontmatterInvalid,
  unreadable,
  hiddenCharacters,
  recordMissing,
  ambiguous,
  invalidStatus,
  classMismatch,
  decisionIdentifierForm,
  undecidedWithModel,
  missingField,
  forbiddenTransition,
  historyNotUpdated,
  invalid,
  filenameMismatch,
  admissionIdentifierForm,
  notDecidedPair,
  implicitFallback,
  stale,
  forbiddenProvider,
  workitemInvalidStatus,
  blockedWithoutBlocker,
  unapprovedSuppression,
  ignoredDirective,
];

/** The suppress/* rules: evaluate() runs them after every other rule, once the suppressions are applied. */
export const SUPPRESSION_RULES: readonly Rule[] = [unapprovedSuppression, ignoredDirective];

export type { Rule, RuleContext, RuleExample } from './rule.js';
