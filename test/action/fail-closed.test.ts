/**
 * Fail closed, proven: every way a run can go wrong ends in a failed check with a specific message, and no message
 * carries the token or a secret value (the API error bodies below quote one on purpose).
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { RULES } from '../../src/engine/rules/index.js';
import { run } from '../../src/main.js';
import { fakeCore, fakeDeps } from '../fixtures/core.js';
import { recorded, TEST_TOKEN, type FakeGitHub } from '../fixtures/github/fake.js';
import { gh, repoFactory, runPr } from './pr.js';
import { cleanTree, DECISION, EXAMPLE_BASE, QWEN, readTree, type Repo, type Tree } from './repo.js';

const SECRET = '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';
const CONFIG = '.github/sot-gate.yml';
const { repoWith, cleanup } = repoFactory();
afterEach(() => {
  cleanup();
  vi.restoreAllMocks();
});

/** A decision-state change, so the reviews API must be read. */
const decisionBase = (): Tree => ({ ...cleanTree(), [DECISION]: readTree(EXAMPLE_BASE)[DECISION]!, [CONFIG]: 'approvers: [jp]\n' });
const decisionChange = (): Tree => ({ [DECISION]: cleanTree()[DECISION]! });
const admissionChange = (): Tree => ({ [QWEN]: cleanTree()[QWEN]!.replace('21:50:00', '21:55:00') });
const REVIEWS = '/repos/acme/governance/pulls/7/reviews';
const leak = { message: `Bad credentials for ${SECRET}`, documentation_url: 'https://docs.github.com/rest' };

interface Case {
  name: string;
  base: () => Tree;
  change: () => Tree;
  api?: (api: FakeGitHub) => FakeGitHub;
  inputs?: Record<string, string>;
  setup?: () => void;
  expected: RegExp;
}

const cases: Case[] = [
  { name: 'API 5xx', base: decisionBase, change: decisionChange, api: (a) => a.reply('GET', REVIEWS, { status: 502, body: recorded('error-502.json') }), expected: /reviews failed: GitHub returned 502/ },
  { name: 'API 5xx whose body quotes a secret', base: decisionBase, change: decisionChange, api: (a) => a.reply('GET', REVIEWS, { status: 500, body: leak }), expected: /reviews failed: GitHub returned 500/ },
  { name: 'API 403 (token lacks a permission)', base: decisionBase, change: decisionChange, api: (a) => a.reply('GET', REVIEWS, { status: 403, body: recorded('error-403-integration.json') }), expected: /reviews failed: forbidden \(403\): the token needs `pull-requests: read`/ },
  { name: 'API 404', base: decisionBase, change: decisionChange, api: (a) => a.reply('GET', REVIEWS, { status: 404, body: recorded('error-404.json') }), expected: /reviews failed: not found \(404\)/ },
  {
    name: 'rate limit',
    base: decisionBase,
    change: decisionChange,
    api: (a) => a.reply('GET', REVIEWS, { status: 403, body: recorded('error-403-rate-limit.json'), headers: { 'x-ratelimit-remaining': '0', 'x-ratelimit-reset': '1780000000' } }),
    expected: /rate limit is exhausted/,
  },
  {
    name: 'network error',
    base: decisionBase,
    change: decisionChange,
    api: (a) =>
      a.on('GET', REVIEWS, () => {
        throw new TypeError(`fetch failed: connect ECONNREFUSED (${SECRET})`);
      }),
    expected: /reviews failed/,
  },
  { name: 'missing token', base: cleanTree, change: admissionChange, inputs: { token: '' }, expected: /no GitHub token/ },
  { name: 'bad config on the base branch', base: () => ({ ...cleanTree(), [CONFIG]: 'rules:\n  admission/stale: loud\n' }), change: admissionChange, expected: /invalid configuration: rules\.admission\/stale/ },
  { name: 'unreadable file (NUL byte)', base: cleanTree, change: () => ({ '.sot/broken.md': '---\ntitle: x\u0000\n---\n' }), expected: /1 error/ },
  {
    name: 'zero files evaluated while governance files changed',
    base: cleanTree,
    change: admissionChange,
    api: (a) => a.list('/repos/acme/governance/pulls/7/files', [{ filename: '.sot/ghost.md', status: 'added', sha: 'a'.repeat(40) }]),
    expected: /changed SOT\/admission file not found in the pull request's tree/,
  },
  {
    name: 'an exception inside a rule',
    base: cleanTree,
    change: admissionChange,
    setup: () => {
      vi.spyOn(RULES.find((r) => r.id === 'admission/stale')!, 'check').mockImplementation(() => {
        throw new Error(`cannot read ${SECRET}`);
      });
    },
    expected: /1 error/,
  },
];

describe('every failure ends in a failed check with a specific message and no secret', () => {
  it.each(cases.map((c) => [c.name, c] as const))('%s', async (_name, c) => {
    c.setup?.();
    const repo: Repo = repoWith(c.base(), c.change());
    const api = (c.api ?? ((a) => a))(gh(repo, c.change()));
    const rec = await runPr(repo, api, c.inputs ?? {});
    expect(rec.failed, JSON.stringify(rec.annotations)).toMatch(c.expected);
    const everything = JSON.stringify({ ...rec, secrets: [] });
    expect(everything).not.toContain(TEST_TOKEN.slice(4));
    expect(everything).not.toContain(SECRET.slice(8, 40));
    expect(rec.outputs['stage2-ready'] ?? 'false').toBe('false');
  });

  it('the rule exception is reported as engine/rule-error naming the rule', async () => {
    cases.at(-1)!.setup!();
    const repo = repoWith(cleanTree(), admissionChange());
    const rec = await runPr(repo, gh(repo, admissionChange()));
    const a = rec.annotations.find((x) => x.props?.title === 'engine/rule-error');
    expect(a?.message).toContain('rule admission/stale could not evaluate this tree (Error)');
  });

  it('an unknown mode fails naming the modes', async () => {
    const { core, rec } = fakeCore({ mode: 'yolo', token: TEST_TOKEN });
    await run(fakeDeps({ core, cwd: '.', eventName: 'push', payload: {} as never }));
    expect(rec.failed).toMatch(/unknown mode "yolo": use one of check, /);
  });

});
