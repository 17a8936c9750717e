/** docs/rules/<id>.md for a scanner detector (npm run docs writes them; a test checks they are current). */
import { EXAMPLE_MARKER } from './index.js';
import type { Detector } from './types.js';

const WHY: Record<string, string> = {
  secret:
    'No secret value may appear in SOT Markdown, admission JSON or harness artifacts (report.json, report.md, trace.jsonl, backend logs, stdout/stderr, generated config). Once committed or uploaded, a secret must be treated as leaked and rotated.',
  endpoint:
    'The private model endpoint (the value of `CTO_HARNESS_CASE_LOCAL_BASE_URL` or any configured endpoint variable) tells anyone reading a SOT document, a report, a trace or a log where the private model server is. The product rule is that it is never written anywhere; only the variable name may appear.',
  path: 'No Target Repository path may be inspected or copied into SOT documents or harness artifacts. A path in a report or trace shows that the Target Repository was touched and leaks its layout.',
};

/** What every detector reads besides the raw text (src/engine/scanner: render.ts, encoded.ts, encoding.ts). */
const FORMS =
  'Each file is read in the forms a value can take, not only as written. A Markdown file is also read as it renders, line by line: ' +
  'backslash escapes (`ghp\\_…`, `\\.ts\\.net`) and HTML character references (`&#95;`, `&#x5f;`, `&lowbar;`) resolved, code-span backticks, ' +
  'inline HTML tags and one-line comments, and `*`/`~` emphasis inside a word removed, and a table row `| NAME | value |` read as `NAME=value`; ' +
  'a finding there keeps the line number of the file, and a value found both ways is reported once. In every file, a base64 or hex run of 16 to 4096 ' +
  'characters that decodes to text is decoded (two layers deep) and the decoded text scanned: a value found there is reported under this rule, ' +
  'at the run, with the message "base64-encoded …" (or "hex-encoded"), and the run is what is redacted. UTF-16 files (with a byte order mark, ' +
  'or with the NUL pattern of UTF-16LE/BE) are decoded and scanned, never skipped as binary. ' +
  'Not read: a value split across lines, Markdown link reference definitions resolved, or encodings other than base64, hex and percent-encoding.';

/** The marker goes on the first line: in a Markdown file the scanner lists a marked line's findings as suppressed documentation examples, and a multi-line example is reported there. */
function example(text: string): string {
  const nl = text.indexOf('\n');
  const marked = nl < 0 ? `${text}  # ${EXAMPLE_MARKER}` : `${text.slice(0, nl)}  # ${EXAMPLE_MARKER}${text.slice(nl)}`;
  return `\`\`\`text\n${marked}\n\`\`\`\n`;
}

function exampleConfig(d: Detector): string[] {
  const patterns = d.exampleOptions?.targetRepositoryPatterns;
  if (!patterns?.length) return [];
  return ['The examples assume this configuration:\n', `\`\`\`yaml\nsecrets:\n  target-repository-patterns: ${JSON.stringify(patterns).replace(/","/g, '", "')}\n\`\`\`\n`];
}

export function renderDetectorDoc(d: Detector): string {
  const family = d.id.split('/')[0] ?? '';
  return [
    `# \`${d.id}\` — ${d.title}\n`,
    `${d.summary}\n`,
    '## What it detects\n',
    `${d.docs}\n`,
    `${FORMS}\n`,
    'Findings report the file, line and column of the value. The message names the kind and shows only a redacted form (a short prefix and the length, e.g. `sk-pro…(164 chars)`); the fingerprint is a sha256 over the rule id, the file and the value, never the value itself.\n',
    ...(family === 'path' ? [] : ['A value used as a file or directory name is a finding too, at line 1 of that path (the message says "in the file name" or "in a directory name of this path"): in `check` for the SOT and admission files, in `scan` for every file. Every output shows the path redacted.\n']),
    '## Why\n',
    `${WHY[family] ?? WHY.secret}\n`,
    ...exampleConfig(d),
    '## Examples that fire\n',
    `(Each example below carries the \`${EXAMPLE_MARKER}\` marker: scanning this page lists its examples as suppressed documentation examples, never as errors.)\n`,
    d.examples.tp.map(example).join('\n'),
    '## Examples that stay quiet\n',
    d.examples.fp.map(example).join('\n'),
    '## How to suppress\n',
    'Remove the value first: a real secret that was committed must be rotated, suppression does not un-leak it. For a true false positive:\n',
    `- Inline, on the same line, in the prose of a Markdown file: \`... sot-gate:allow ${d.id} -- <reason>\`
- Inline, on the line above, in a Markdown comment: \`<!-- sot-gate:allow ${d.id} -- <reason> -->\` (a family such as \`${family}/*\` also works)
- A documentation example in the prose of a Markdown file: put \`${EXAMPLE_MARKER}\` on the line. Its findings are listed and counted as suppressed (reason "documentation example (${EXAMPLE_MARKER})").
- A directive or marker counts only in the body of a Markdown file: never in its YAML front matter, in JSON, YAML, logs, traces or any other file, where it is reported as [suppress/ignored-directive](suppress-ignored-directive.md).
- A directive, marker or baseline entry that a pull request adds or changes counts only once an approver approves the current head; until then the finding stays active and [suppress/unapproved](suppress-unapproved.md) says what it would hide.
- Baseline: add \`{"fingerprint": "<from the JSON output>", "rule": "${d.id}", "reason": "...", "expires": "YYYY-MM-DD"}\` to the file named by \`secrets.baseline\`.
- Turn the rule off or down in \`.github/sot-gate.yml\`: \`rules: { "${d.id}": warning }\`.
`,
    'A directive without a reason (`-- <reason>`) suppresses nothing, and the finding says "allow directive needs a reason". Suppressed findings are still listed and counted; an expired baseline entry makes the finding active again.\n',
  ].join('\n');
}
