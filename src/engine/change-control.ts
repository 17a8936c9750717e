/**
 * Change control, the pure part: which protected files a pull request changes, and the tree it would land.
 *
 * - mergeTrees(): the governance files of the merge of a pull request, file by file (three-way against the merge base):
 *   what the base branch has where the pull request left a file alone, the pull request's version where the base
 *   branch left it alone, a conflict where both changed it differently. Evaluating this tree gives the same verdict
 *   whether the workflow checked out the merge ref or the head, and judges a stale branch by what it would merge.
 * - protectedChanges(): content comparison of two trees over the protected surface (the policy's `change-control`):
 *   every file that is, was or becomes a decision record, every admission file, the policy file, the baseline and any
 *   configured glob. Renames come from the pull request's file list (content comparison alone sees a delete and an add).
 * No I/O: the action reads the trees from git and passes them in.
 */
import type { Config, ProtectedSurface } from './config.js';
import { globMatch } from './glob.js';
import { hasDecisionState, parseDecisionRecord, type DecisionRecord } from './parse/decision.js';
import { DECISION_STATE_KEYS } from './parse/decision.js';
import { parseMarkdown, type MdDoc } from './parse/markdown.js';
import { decodeText } from './parse/text.js';
import type { InputFile } from './tree.js';

export type ChangeKind = 'added' | 'modified' | 'deleted' | 'renamed';

/** A protected file outside the SOT/admission tree (policy, baseline, a configured glob): its content on both sides. */
export interface OtherFile {
  /** Relative to the evaluated root. */
  file: string;
  surface: 'policy' | 'baseline' | 'files';
  base?: Uint8Array;
  head?: Uint8Array;
}

export interface ProtectedChange {
  /** Relative to the evaluated root; the new name of a renamed file. */
  file: string;
  surface: ProtectedSurface | 'files';
  change: ChangeKind;
  /** The old name of a renamed file. */
  from?: string;
  /** Decision record: the state fields (`- \`key\`: value` bullets) whose value changed, appeared or went. */
  fields?: string[];
  /** Decision record: the Current Decision State section appeared or went. */
  state?: 'gone' | 'new';
  /** Where to report: the first changed state field, else the first changed line (1 when the file is added or deleted). */
  line: number;
}

export interface Rename {
  from: string;
  to: string;
}

const bytesEqual = (a: Uint8Array | undefined, b: Uint8Array | undefined): boolean => {
  if (a === undefined || b === undefined) return a === b;
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
};

/** Two versions of one path are the same: both absent, or same kind, same bytes and same read error. */
export function sameFile(a: InputFile | undefined, b: InputFile | undefined): boolean {
  if (!a || !b) return a === b;
  return a.kind === b.kind && (a.error ?? '') === (b.error ?? '') && bytesEqual(a.bytes, b.bytes);
}

/** Three-way pick of one value: whichever side changed it; `conflict` when both did, differently. */
export function pick3<T>(mergeBase: T | undefined, base: T | undefined, head: T | undefined, same: (a: T | undefined, b: T | undefined) => boolean): { value: T | undefined } | 'conflict' {
  if (same(head, mergeBase)) return { value: base };
  if (same(base, mergeBase) || same(base, head)) return { value: head };
  return 'conflict';
}

export const pickBytes = (mergeBase?: Uint8Array, base?: Uint8Array, head?: Uint8Array) => pick3(mergeBase, base, head, bytesEqual);

/**
 * The governance files the merge of head into base would hold, file by file against their merge base.
 * `conflicts`: paths both sides changed differently (the caller fails closed: update the branch).
 */
export function mergeTrees(mergeBase: readonly InputFile[], base: readonly InputFile[], head: readonly InputFile[]): { files: InputFile[]; conflicts: string[] } {
  const index = (fs: readonly InputFile[]) => new Map(fs.map((f) => [f.path, f]));
  const [m, b, h] = [index(mergeBase), index(base), index(head)];
  const files: InputFile[] = [];
  const conflicts: string[] = [];
  for (const p of [...new Set([...m.keys(), ...b.keys(), ...h.keys()])].sort()) {
    const r = pick3(m.get(p), b.get(p), h.get(p), sameFile);
    if (r === 'conflict') conflicts.push(p);
    else if (r.value) files.push(r.value);
  }
  return { files, conflicts };
}

function docOf(f: InputFile | undefined): MdDoc | undefined {
  if (!f || f.kind !== 'sot' || !f.bytes) return undefined;
  const decoded = decodeText(f.bytes);
  return decoded.ok ? parseMarkdown(f.path, decoded.value.text, decoded.value.lines) : undefined;
}

/** The SOT files that are a decision record (hold a Current Decision State), as evaluate() looks for one. */
export function decisionFiles(files: readonly InputFile[]): string[] {
  return files.filter((f) => {
    const d = docOf(f);
    return d !== undefined && hasDecisionState(d);
  }).map((f) => f.path);
}

function textLines(f: InputFile | OtherFileSide | undefined): string[] {
  const bytes = f?.bytes;
  return bytes ? Buffer.from(bytes).toString('utf8').split(/\r\n|\r|\n/) : [];
}
type OtherFileSide = { bytes?: Uint8Array };

/** The first line (1-based) where two texts differ. */
export function firstChangedLine(base: string[], head: string[]): number {
  const n = Math.max(base.length, head.length);
  for (let i = 0; i < n; i++) if (base[i] !== head[i]) return Math.min(i + 1, Math.max(1, head.length));
  return 1;
}

/** State fields whose value differs: the decision-state keys first (in their order), then the others in head order. */
function changedFields(base: DecisionRecord, head: DecisionRecord): string[] {
  const keys = [...new Set([...DECISION_STATE_KEYS, ...head.fields.keys(), ...base.fields.keys()])];
  return keys.filter((k) => {
    const a = base.fields.get(k);
    const b = head.fields.get(k);
    return (a?.value ?? null) !== (b?.value ?? null) || (a?.values ?? []).join('\0') !== (b?.values ?? []).join('\0');
  });
}

function decisionDetail(base: InputFile | undefined, head: InputFile | undefined): Pick<ProtectedChange, 'fields' | 'state' | 'line'> {
  const b = docOf(base);
  const h = docOf(head);
  const br = b ? parseDecisionRecord(b) : undefined;
  const hr = h ? parseDecisionRecord(h) : undefined;
  const line = head && base ? firstChangedLine(textLines(base), textLines(head)) : 1;
  if (br && hr) {
    const fields = changedFields(br, hr);
    const at = fields.map((k) => hr.fields.get(k)?.line).find((l): l is number => l !== undefined);
    return { ...(fields.length ? { fields } : {}), line: at ?? (fields.length ? hr.line : line) };
  }
  if (br && head) return { state: 'gone', line };
  if (hr && (base || !br)) return { state: 'new', line: base ? hr.line : 1 };
  return { line };
}

export interface ProtectedChangesInput {
  /** The files before the pull request (the base branch). */
  base: readonly InputFile[];
  /** The files after it (the merge result). */
  head: readonly InputFile[];
  /** The policy: its `change-control` says what is protected. */
  config: Config;
  /** Protected files outside the tree (policy, baseline, configured globs), with both versions. */
  others?: readonly OtherFile[];
  /** Renames from the pull request's file list. */
  renames?: readonly Rename[];
}

/** Every change to the protected surface between two trees, sorted by file. Pure. */
export function protectedChanges(input: ProtectedChangesInput): ProtectedChange[] {
  const cc = input.config['change-control'];
  const protect = new Set<string>(cc.protect);
  const b = new Map(input.base.map((f) => [f.path, f]));
  const h = new Map(input.head.map((f) => [f.path, f]));
  const surfaceOf = new Map<string, ProtectedSurface | 'files'>();
  if (protect.has('decision-record')) {
    const configured = input.config['decision-record'];
    for (const p of [...(configured ? [configured] : []), ...decisionFiles(input.base), ...decisionFiles(input.head)]) surfaceOf.set(p, 'decision-record');
  }
  for (const f of [...input.base, ...input.head]) {
    if (surfaceOf.has(f.path)) continue;
    if (protect.has('admissions') && f.kind === 'admission') surfaceOf.set(f.path, 'admissions');
    else if (cc.files.some((g) => globMatch(f.path, g))) surfaceOf.set(f.path, 'files');
  }
  const changes: ProtectedChange[] = [];
  for (const [p, surface] of surfaceOf) {
    const before = b.get(p);
    const after = h.get(p);
    if (sameFile(before, after)) continue;
    const change: ChangeKind = !before ? 'added' : !after ? 'deleted' : 'modified';
    const detail =
      surface === 'decision-record' ? decisionDetail(before, after) : { line: change === 'modified' ? firstChangedLine(textLines(before), textLines(after)) : 1 };
    changes.push({ file: p, surface, change, ...detail });
  }
  for (const o of input.others ?? []) {
    if (o.surface !== 'files' && !protect.has(o.surface)) continue;
    if (bytesEqual(o.base, o.head) || changes.some((c) => c.file === o.file)) continue;
    const change: ChangeKind = !o.base ? 'added' : !o.head ? 'deleted' : 'modified';
    changes.push({ file: o.file, surface: o.surface, change, line: change === 'modified' ? firstChangedLine(textLines({ bytes: o.base }), textLines({ bytes: o.head })) : 1 });
  }
  // A rename is a delete and an add to content comparison: one change at the new name, naming the old one.
  for (const r of input.renames ?? []) {
    const gone = changes.findIndex((c) => c.file === r.from && c.change === 'deleted');
    const added = changes.findIndex((c) => c.file === r.to && c.change === 'added');
    if (gone === -1 && added === -1) continue;
    const surface = (gone !== -1 ? changes[gone]! : changes[added]!).surface;
    const merged: ProtectedChange = { file: r.to, surface, change: 'renamed', from: r.from, line: 1 };
    for (const i of [gone, added].filter((i) => i !== -1).sort((x, y) => y - x)) changes.splice(i, 1);
    changes.push(merged);
  }
  return changes.sort((x, y) => (x.file < y.file ? -1 : x.file > y.file ? 1 : 0));
}
