/** Work items at their edges: where the Status, Acceptance and Blocked by lines start and end, and what a bullet is. */
import { describe, expect, it } from 'vitest';
import { parseMarkdown } from '../../src/engine/parse/markdown.js';
import { parseWorkItems } from '../../src/engine/parse/workitems.js';

const items = (lines: string[]) => {
  const t = lines.join('\n');
  return parseWorkItems(parseMarkdown('a.md', t, t.split('\n')));
};
const one = (lines: string[]) => {
  const [item, ...rest] = items(['## CTO-WORK-001 - Item', '', ...lines]);
  expect(rest).toEqual([]);
  return item!;
};

describe('the status line', () => {
  it('may be indented, have a space before the colon, or none after it', () => {
    const got = items([
      '## CTO-WORK-001 - Indented',
      '',
      '  Status: open.',
      '',
      '## CTO-WORK-002 - Spaced',
      '',
      'Status : done.',
      '',
      '## CTO-WORK-003 - Tight',
      '',
      'Status:open.',
    ]);
    expect(got.map((i) => [i.id, i.status])).toEqual([
      ['CTO-WORK-001', { value: 'open', line: 3 }],
      ['CTO-WORK-002', { value: 'done', line: 7 }],
      ['CTO-WORK-003', { value: 'open', line: 11 }],
    ]);
  });

  it('a sentence that mentions a status is not the status line', () => {
    expect(one(['Previous status: open.', '', 'Status: blocked.']).status).toEqual({ value: 'blocked', line: 5 });
    expect(one(['Previous status: open.']).status).toBeUndefined();
  });

  it('backticks and the spaces inside them are not part of the status', () => {
    expect(one(['Status: ` blocked `.']).status).toEqual({ value: 'blocked', line: 3 });
  });
});

describe('the Acceptance line', () => {
  it('may be indented, have a space before the colon, or trailing spaces', () => {
    expect(one(['  Acceptance:', '- a.']).acceptance).toEqual([{ text: 'a.', line: 4 }]);
    expect(one(['Acceptance :', '- a.']).acceptance).toEqual([{ text: 'a.', line: 4 }]);
    expect(one(['Acceptance:  ', '- a.']).acceptance).toEqual([{ text: 'a.', line: 4 }]);
  });

  it('must stand alone: text after the colon or before the word makes it a paragraph', () => {
    expect(one(['Acceptance: all tests pass', '- a.']).acceptance).toEqual([]);
    expect(one(['See Acceptance:', '- a.']).acceptance).toEqual([]);
  });
});

describe('the Blocked by line', () => {
  it('may be indented, have a space before the colon, or trailing spaces', () => {
    for (const header of ['  Blocked by:', 'Blocked by :', 'Blocked by:  ']) {
      const item = one([header, '- Human approval.']);
      expect(item.blockedBy).toEqual([{ text: 'Human approval.', line: 4 }]);
      expect(item.blockedByLine).toBe(3);
    }
  });

  it('must stand alone: text after the colon or before the words makes it a paragraph', () => {
    for (const header of ['Blocked by: nothing yet', 'Not blocked by:']) {
      const item = one([header, '- Human approval.']);
      expect(item.blockedBy).toEqual([]);
      expect(item.blockedByLine).toBeUndefined();
    }
  });
});

describe('list bullets', () => {
  it('indented bullets belong to the list', () => {
    expect(one(['Blocked by:', '  - x.', '    * y.']).blockedBy).toEqual([
      { text: 'x.', line: 4 },
      { text: 'y.', line: 5 },
    ]);
  });

  it('the text of a bullet has no surrounding spaces', () => {
    expect(one(['Acceptance:', '-   a.', '- b.   ']).acceptance).toEqual([
      { text: 'a.', line: 4 },
      { text: 'b.', line: 5 },
    ]);
  });

  it('a line right after a bullet continues that bullet (CommonMark lazy continuation), as GitHub renders it', () => {
    expect(one(['Acceptance:', '- a.', 'see x - y', '- b.']).acceptance).toEqual([
      { text: 'a. see x - y', line: 4 },
      { text: 'b.', line: 6 },
    ]);
  });

  it('a paragraph after a blank line ends the list', () => {
    expect(one(['Acceptance:', '- a.', '', 'see x - y', '', '- b.']).acceptance).toEqual([{ text: 'a.', line: 4 }]);
  });

  it('a line of spaces does not end the list', () => {
    expect(one(['Blocked by:', '- x.', '   ', '- y.']).blockedBy).toEqual([
      { text: 'x.', line: 4 },
      { text: 'y.', line: 6 },
    ]);
  });
});
