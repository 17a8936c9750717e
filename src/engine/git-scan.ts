/**
 * The no-secret scan of git history and of the index: the added lines of every commit of a range (and every commit
 * message), or the added lines of the staged change. Pure: it reads the text of `git log -p` / `git diff --cached`
 * (GIT_LOG_ARGS / GIT_DIFF_ARGS below) pushed to it in chunks, and never spawns anything itself; the adapter in
 * src/git-scan-run.ts runs git and streams its output here.
 *
 * Memory is bounded: the output is split into lines as it arrives, the added lines of one file version are scanned in
 * blocks of at most BLOCK_CHARS characters, and a line longer than MAX_LINE_BYTES is refused (fail closed) unless the file
 * is binary by the scanner's own test (then it is skipped and counted, as `sot-gate scan` skips binary files).
 *
 * Why a hand-written diff reader: the unified diff format is a line format with counted hunks; reading it by the hunk
 * counts (never by what a line looks like) is what keeps an added line such as `++ b/x` or `diff --git …` from being taken
 * for a header. No installed library reads `git log -p` output as a stream.
 */
import { parseAllowDirectives } from './allow.js';
import { compareFindings, scannerSeverity } from './check.js';
import { severityFor, type Config } from './config.js';
import { globMatch } from './glob.js';
import { scannerOptions, scanText } from './scanner/index.js';
import { isBinary } from './scanner/stream.js';
import { applySuppressions, type BaselineEntry } from './suppress.js';
import { classify, shown } from './tree.js';
import { EvaluationError, summarize, type CheckResult, type Finding } from './types.js';

/** Commits scanned at most by default; a range with more fails (never a silent partial pass). */
export const DEFAULT_MAX_COMMITS = 1000;
/** The added lines of one file version are scanned in blocks of about this many characters. */
export const BLOCK_CHARS = 1024 * 1024;
/** A line longer than this is refused (fail closed), unless the file is binary. */
export const MAX_LINE_BYTES = 16 * 1024 * 1024;
/** Findings listed at most per scan; the rest are counted in one more failing finding. */
export const MAX_FINDINGS = 10_000;
/** The pseudo-file a commit message's findings are reported on (the finding's `commit` names the commit). */
export const COMMIT_MESSAGE_FILE = 'COMMIT_MESSAGE';
/** Characters of a commit SHA shown in findings. */
export const SHORT_SHA = 12;

/**
 * `git log` arguments (before the range) whose output GitScan reads. Every file is read as text (`--text`): a
 * `.gitattributes` entry (`*.env binary`, `-diff`) would otherwise hide a file's lines from the diff; binary content is
 * then recognised by the scanner's own test. No external diff or textconv driver, no colour, fixed prefixes, raw paths.
 */
export function gitLogArgs(boundary: string, maxCommits: number): string[] {
  return [
    '-c', 'core.quotepath=false', '-c', 'diff.noprefix=false', '-c', 'log.showSignature=false',
    'log', '-p', '-U0', '--text', '--no-color', '--no-ext-diff', '--no-textconv', '--src-prefix=a/', '--dst-prefix=b/',
    '--no-abbrev', '--cc', '--reverse', '--topo-order', `--max-count=${maxCommits + 1}`,
    `--format=%x00B:${boundary}:%H%n%B%n%x00E:${boundary}`,
  ];
}

/** `git diff --cached` arguments whose output GitScan reads (the change `git commit` is about to record). */
export const GIT_STAGED_ARGS = [
  '-c', 'core.quotepath=false', '-c', 'diff.noprefix=false',
  'diff', '--cached', '-p', '-U0', '--text', '--no-color', '--no-ext-diff', '--no-textconv', '--src-prefix=a/', '--dst-prefix=b/', '--no-renames',
];

export interface GitScanOptions {
  config: Config;
  /** The random marker of the commit headers in the stream (gitLogArgs); absent for a staged diff. */
  boundary?: string;
  maxCommits?: number;
  baseline?: BaselineEntry[];
  today?: string;
  /**
   * Whether inline directives and example markers on the scanned lines count (default true). False where every added
   * line is the unreviewed change itself (a pull request without an approval): then only the baseline suppresses.
   */
  inlineSuppressions?: boolean;
}

/** What a scan of history adds to a CheckResult: the commits read. */
export interface GitScanResult extends CheckResult {
  commits: number;
}

interface Block {
  file: string;
  kind: 'sot' | 'admission' | 'artifact';
  /** Full SHA of the commit, undefined for the staged change. */
  commit: string | undefined;
  lines: string[];
  lineNos: number[];
  chars: number;
  /** Decided on the first flush (the scanner's binary test on the first 8 KiB). */
  binary?: boolean;
}

type State = 'header' | 'message' | 'hunk';

/** Decode a path of a `+++ ` line: `b/x`, or C-quoted `"b/\303\244 \"x\""` (git quotes names with special characters). */
export function diffPath(raw: string): string | undefined {
  let s = raw.endsWith('\t') ? raw.slice(0, -1) : raw; // git appends a tab to names with spaces
  if (s === '/dev/null') return undefined;
  if (s.startsWith('"')) {
    if (!s.endsWith('"') || s.length < 2) throw new EvaluationError(`cannot read a quoted path in the diff: ${shown(s.slice(0, 200))}`);
    const bytes: number[] = [];
    const esc: Record<string, number> = { a: 7, b: 8, t: 9, n: 10, v: 11, f: 12, r: 13, '"': 34, '\\': 92 };
    const body = s.slice(1, -1);
    for (let i = 0; i < body.length; i++) {
      const c = body[i]!;
      if (c !== '\\') {
        bytes.push(...Buffer.from(c, 'utf8'));
        continue;
      }
      const n = body[++i] ?? '';
      if (/[0-7]/.test(n)) {
        bytes.push(parseInt(body.slice(i, i + 3), 8) & 0xff);
        i += 2;
      } else if (n in esc) bytes.push(esc[n]!);
      else throw new EvaluationError(`cannot read a quoted path in the diff: ${shown(s.slice(0, 200))}`);
    }
    s = Buffer.from(bytes).toString('utf8');
  }
  if (!s.startsWith('b/')) throw new EvaluationError(`unexpected path in the diff (no b/ prefix): ${shown(s.slice(0, 200))}`);
  return s.slice(2);
}

/** `@@ -a,b +c,d @@` (or a combined `@@@ -a,b -c,d +e,f @@@`): the old counts per parent, the new start and count. */
function parseHunk(line: string): { parents: number[]; start: number; count: number } | undefined {
  const m = /^(@{2,}) ((?:-\d+(?:,\d+)? )+)\+(\d+)(?:,(\d+))? \1(?: |$)/.exec(line);
  if (!m) return undefined;
  const olds = m[2]!.trim().split(' ').map((r) => {
    const c = r.split(',')[1];
    return c === undefined ? 1 : Number(c);
  });
  if (olds.length !== m[1]!.length - 1) return undefined;
  return { parents: olds, start: Number(m[3]), count: m[4] === undefined ? 1 : Number(m[4]) };
}

/**
 * Reads `git log -p` (gitLogArgs) or `git diff --cached` (GIT_STAGED_ARGS) output pushed in chunks, scans every added
 * line and every commit message as it goes, and returns the findings at end(). A finding names the commit (short SHA in
 * its message and `commit`), the file and the line in that commit's version; its message never holds the value.
 */
export class GitScan {
  private readonly config: Config;
  private readonly boundary?: string;
  private readonly maxCommits: number;
  private readonly baseline: BaselineEntry[];
  private readonly today: string;
  private readonly inline: boolean;

  private pending: Buffer[] = [];
  private pendingBytes = 0;
  /** Inside a line longer than MAX_LINE_BYTES of a binary file: the rest of the line is dropped. */
  private skippingLine = false;

  private state: State = 'header';
  private commit: string | undefined;
  private path: string | undefined;
  private block: Block | undefined;
  private messageLine = 0;
  private newLine = 0;
  private newLeft = 0;
  private oldLeft: number[] = [];

  private readonly findings: Finding[] = [];
  private readonly suppressed: Finding[] = [];
  private readonly seen = new Set<string>();
  private unlisted = 0;
  private commits = 0;
  private fileVersions = 0;
  private readonly files = new Set<string>();
  private readonly binaries = new Set<string>();
  private readonly ignored = new Set<string>();

  constructor(opts: GitScanOptions) {
    this.config = opts.config;
    this.boundary = opts.boundary;
    this.maxCommits = opts.maxCommits ?? DEFAULT_MAX_COMMITS;
    this.baseline = opts.baseline ?? [];
    this.today = opts.today ?? new Date().toISOString().slice(0, 10);
    this.inline = opts.inlineSuppressions ?? true;
  }

  /** Feed the next chunk of git's output. */
  push(chunk: Buffer | string): void {
    let buf = typeof chunk === 'string' ? Buffer.from(chunk, 'utf8') : chunk;
    while (buf.length) {
      const nl = buf.indexOf(10);
      if (this.skippingLine) {
        if (nl < 0) return;
        this.skippingLine = false;
        buf = buf.subarray(nl + 1);
        continue;
      }
      if (nl < 0) {
        this.pending.push(buf);
        this.pendingBytes += buf.length;
        if (this.pendingBytes > MAX_LINE_BYTES) this.overlong();
        return;
      }
      const piece = buf.subarray(0, nl);
      const line = this.pending.length ? Buffer.concat([...this.pending, piece]) : piece;
      this.pending = [];
      this.pendingBytes = 0;
      if (line.length > MAX_LINE_BYTES) {
        this.pending = [line];
        this.pendingBytes = line.length;
        this.overlong();
        this.skippingLine = false; // the line ended here
      } else this.line(line.toString('utf8'));
      buf = buf.subarray(nl + 1);
    }
  }

  /** The stream ended: scan what is held and return the result. */
  end(): GitScanResult {
    if (this.pending.length) {
      const line = Buffer.concat(this.pending).toString('utf8');
      this.pending = [];
      this.line(line);
    }
    if (this.state === 'hunk') throw new EvaluationError(`the diff ended inside a hunk${this.where()}: git's output was cut short`);
    if (this.state === 'message') throw new EvaluationError(`the log ended inside the message${this.where()}: git's output was cut short`);
    this.flush(true);
    if (this.unlisted) {
      this.findings.push({
        file: COMMIT_MESSAGE_FILE,
        line: 1,
        ruleId: 'secret/unknown',
        severity: 'error',
        message: `${this.unlisted} more finding${this.unlisted === 1 ? '' : 's'} in the history, not listed (at most ${MAX_FINDINGS})`,
      });
    }
    const findings = this.findings.sort(compareFindings);
    const suppressed = this.suppressed.sort(compareFindings);
    const notes: string[] = [];
    if (this.boundary !== undefined) notes.push(`scanned the added lines and messages of ${this.commits} commit${this.commits === 1 ? '' : 's'}`);
    if (this.binaries.size) notes.push(`skipped ${this.binaries.size} binary file(s) in the history: ${[...this.binaries].sort().slice(0, 20).map(shown).join(', ')}${this.binaries.size > 20 ? ', …' : ''}`);
    if (this.ignored.size) notes.push(`skipped ${this.ignored.size} file(s) matched by \`ignore\``);
    return {
      version: 1,
      summary: summarize(this.fileVersions, findings, suppressed),
      findings,
      suppressed,
      notes,
      admittedPairs: [],
      filesEvaluated: [...this.files].sort(),
      commits: this.commits,
    };
  }

  private where(): string {
    return `${this.commit ? ` in commit ${this.commit.slice(0, SHORT_SHA)}` : ''}${this.path ? `, file ${shown(this.path)}` : ''}`;
  }

  /** A line longer than MAX_LINE_BYTES: skipped when it is in a binary file, refused otherwise. */
  private overlong(): void {
    const head = Buffer.concat(this.pending).subarray(0, 8192);
    this.pending = [];
    this.pendingBytes = 0;
    const b = this.block;
    const p = Math.max(1, this.oldLeft.length);
    const sample = () => `${b!.lines.join('\n')}\n${head.toString('utf8').slice(p)}`.slice(0, 8192);
    const binary = this.state === 'hunk' && b !== undefined && (b.binary ?? isBinary(Buffer.from(sample(), 'utf8')));
    if (!binary || !b) {
      throw new EvaluationError(
        `a line longer than ${MAX_LINE_BYTES / 1024 / 1024} MiB${this.where()} cannot be scanned in the history; scan the file with \`sot-gate scan\` and make sure no commit holds a secret`,
      );
    }
    b.binary = true;
    b.lines = [];
    b.lineNos = [];
    this.binaries.add(b.file);
    // Count the line against the hunk by its first column (the prefix), then drop the rest of it.
    this.hunkLine(head.toString('latin1', 0, p));
    this.skippingLine = true;
  }

  private line(line: string): void {
    if (this.state === 'hunk') {
      this.hunkLine(line);
      return;
    }
    if (this.boundary !== undefined && line.charCodeAt(0) === 0) {
      if (this.state === 'message' && line === `\0E:${this.boundary}`) {
        this.flush(true);
        this.state = 'header';
        return;
      }
      const start = `\0B:${this.boundary}:`;
      if (this.state === 'header' && line.startsWith(start)) {
        this.startCommit(line.slice(start.length));
        return;
      }
    }
    if (this.state === 'message') {
      this.add(++this.messageLine, line);
      return;
    }
    // header: between hunks, files and commits
    if (line.startsWith('diff --git ') || line.startsWith('diff --cc ') || line.startsWith('diff --combined ')) {
      this.flush(true);
      this.path = undefined;
      return;
    }
    if (line.startsWith('+++ ')) {
      this.flush(true);
      this.path = diffPath(line.slice(4));
      return;
    }
    if (line.startsWith('@@')) {
      const h = parseHunk(line);
      if (!h) throw new EvaluationError(`cannot read a hunk header${this.where()}: ${shown(line.slice(0, 120))}`);
      if (h.count > 0 && this.path === undefined) throw new EvaluationError(`a hunk adds lines to no file${this.where()}`);
      this.newLine = h.start;
      this.newLeft = h.count;
      this.oldLeft = h.parents;
      if (this.path !== undefined && !this.block) this.open(this.path);
      if (this.newLeft > 0 || this.oldLeft.some((n) => n > 0)) this.state = 'hunk';
      return;
    }
    if (line === '' || line.startsWith('\\') || line.startsWith('--- ') || /^[a-z]/i.test(line)) return; // extended headers, "\ No newline"
    throw new EvaluationError(`cannot read the diff${this.where()}: unexpected line ${shown(line.slice(0, 120))}`);
  }

  private hunkLine(line: string): void {
    if (line.startsWith('\\')) return; // "\ No newline at end of file"
    const p = this.oldLeft.length;
    const prefix = line.slice(0, p);
    if (prefix.length < p || /[^ +-]/.test(prefix)) throw new EvaluationError(`cannot read a hunk line${this.where()}: ${shown(line.slice(0, 40))}`);
    const inResult = !prefix.includes('-');
    for (let i = 0; i < p; i++) if (prefix[i] !== '+') this.oldLeft[i]!--;
    if (inResult) {
      if (prefix.includes('+')) this.add(this.newLine, line.slice(p));
      this.newLine++;
      this.newLeft--;
    }
    if (this.newLeft < 0 || this.oldLeft.some((n) => n < 0)) throw new EvaluationError(`a hunk has more lines than its header counts${this.where()}`);
    if (this.newLeft === 0 && this.oldLeft.every((n) => n === 0)) this.state = 'header';
  }

  private startCommit(sha: string): void {
    this.flush(true);
    if (!/^[0-9a-f]{40}([0-9a-f]{24})?$/.test(sha)) throw new EvaluationError(`cannot read a commit header: ${shown(sha.slice(0, 80))}`);
    this.commits++;
    if (this.commits > this.maxCommits) {
      throw new EvaluationError(
        `the range has more than ${this.maxCommits} commits: at most ${this.maxCommits} are scanned, and passing the rest unscanned would be a silent pass; scan a smaller range or raise the cap (--max-commits)`,
      );
    }
    this.commit = sha;
    this.path = undefined;
    this.state = 'message';
    this.messageLine = 0;
    this.block = this.newBlock(COMMIT_MESSAGE_FILE, 'artifact');
    this.fileVersions++;
  }

  private newBlock(file: string, kind: Block['kind']): Block {
    return { file, kind, commit: this.commit, lines: [], lineNos: [], chars: 0 };
  }

  private open(path: string): void {
    if (this.config.ignore.some((g) => globMatch(path, g))) {
      this.ignored.add(path);
      return;
    }
    this.block = this.newBlock(path, classify(path, this.config) ?? 'artifact');
    this.files.add(path);
    this.fileVersions++;
  }

  private add(lineNo: number, text: string): void {
    const b = this.block;
    if (!b || b.binary) return;
    b.lines.push(text);
    b.lineNos.push(lineNo);
    b.chars += text.length + 1;
    if (b.chars >= BLOCK_CHARS) this.flush(false);
  }

  /** Scan the lines held for the current file version; `done` also closes it. */
  private flush(done: boolean): void {
    const b = this.block;
    if (!b) return;
    if (done) this.block = undefined;
    if (!b.lines.length) return;
    const text = b.lines.join('\n');
    const lineNos = b.lineNos;
    b.lines = [];
    b.lineNos = [];
    b.chars = 0;
    if (b.binary === undefined && b.file !== COMMIT_MESSAGE_FILE) b.binary = isBinary(Buffer.from(text.slice(0, 8192), 'utf8'));
    if (b.binary) {
      this.binaries.add(b.file);
      return;
    }
    b.binary = false;
    const at = (n: number) => lineNos[n - 1] ?? lineNos[lineNos.length - 1] ?? 1;
    const raw: Finding[] = [];
    for (const f of scanText(text, b.file, scannerOptions(this.config, b.kind))) {
      const ruleId = f.ruleId ?? 'secret/unknown';
      const severity = severityFor(this.config, ruleId, scannerSeverity(ruleId));
      if (severity === 'off') continue;
      const { suppressed: marked, ...rest } = f;
      raw.push({ ...(this.inline ? f : rest), ruleId, severity, line: at(f.line) });
      void marked;
    }
    if (!raw.length) return;
    const allows = this.inline ? parseAllowDirectives(text, b.file).map((a) => ({ ...a, line: at(a.line) })) : [];
    const { active, suppressed } = applySuppressions(raw, allows, this.baseline, this.today);
    for (const f of active) {
      // A value added once is reported once, at the first commit that adds it (a later commit moving the line adds nothing new).
      const key = `${f.ruleId}\0${f.fingerprint ?? `${b.file}:${f.line}`}`;
      if (this.seen.has(key)) continue;
      this.seen.add(key);
      if (this.findings.length >= MAX_FINDINGS) {
        this.unlisted++;
        continue;
      }
      this.findings.push(this.located(f, b));
    }
    for (const f of suppressed) if (this.suppressed.length < MAX_FINDINGS) this.suppressed.push(this.located(f, b));
  }

  /** The finding with the commit named and what to do. */
  private located(f: Finding, b: Block): Finding {
    const credential = f.ruleId.startsWith('secret/');
    if (b.commit === undefined) {
      return { ...f, message: `${f.message} — in the staged change (line ${f.line} of the staged ${b.file === COMMIT_MESSAGE_FILE ? 'message' : 'file'}); remove the value before committing${credential ? ', and rotate the credential if it was ever shared' : ''}` };
    }
    const short = b.commit.slice(0, SHORT_SHA);
    const where = b.file === COMMIT_MESSAGE_FILE ? `in the message of commit ${short} (line ${f.line})` : `in commit ${short} (line ${f.line} of that commit's version of the file)`;
    const todo = credential
      ? 'rotate the credential: removing it in a later commit does not remove it from the history'
      : 'the value stays in the history even if a later commit removes it: rewrite the commit before it is merged';
    return { ...f, commit: short, message: `${f.message} — ${where}; ${todo}` };
  }
}
