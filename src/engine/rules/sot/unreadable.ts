import type { Rule } from '../rule.js';

export const unreadable: Rule = {
  id: 'sot/unreadable',
  defaultSeverity: 'error',
  summary: 'A file that matched the SOT or admission globs, or a directory that could hold one, could not be read.',
  description:
    'Fail closed: a governance file that sot-gate cannot read (a NUL byte, invalid UTF-8, a symbolic link, a name that is not valid UTF-8, an I/O error) is a finding at the line where the problem starts, never a silent skip. ' +
    'What is read: every regular file under the root whose path matches `sot-files` or `admission-files` (matched whatever the case, so `x-admission.Json` and `.SOT/a.MD` are read), except `.git`, `node_modules` and `ignore`. ' +
    'What is not read, and is this finding instead (line 1): a symbolic link that matches (never followed, so a link cannot make sot-gate read a file outside the workspace); a symbolic link to a directory, `.sot` itself or one inside the tree, where a matching file could be (not walked into: no file under it is checked); a directory whose name is not valid UTF-8 where a matching file could be (shown escaped, `\\xfe`; not walked into). ' +
    'The base revision (`--base-ref`, the action\'s base) is read the same way. Save the file as UTF-8 text, replace the link with the file or directory, rename the file or directory, or add the path to `ignore`. ' +
    'A SOT Markdown body that cannot be read as CommonMark is unreadable too: one over 1 MiB, or one nesting block quotes or list items more than 32 deep on a line.',
  examples: {
    fire: [
      { description: 'a NUL byte', files: { '.sot/a.md': new Uint8Array([0x2d, 0x2d, 0x2d, 0x0a, 0x00, 0x0a]) } },
      { description: 'invalid UTF-8', files: { '.sot/a.md': new Uint8Array([0x23, 0x20, 0xc3, 0x28, 0x0a]) } },
      { description: 'Markdown nested too deeply to read', files: { '.sot/a.md': `# A\n\n${'> '.repeat(40)}x\n` } },
    ],
    quiet: [{ description: 'UTF-8 text with a BOM and CRLF', files: { '.sot/a.md': '\ufeff# Title\r\n\r\nText \u00e9.\r\n' } }],
  },
  check(ctx, report) {
    for (const u of ctx.unreadable) report({ file: u.file, line: u.line, message: `file cannot be evaluated: ${u.reason}` });
  },
};
