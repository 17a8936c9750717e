/**
 * Input validation of mode dispatch: `wait` takes the YAML 1.2 core booleans only (what core.getBooleanInput
 * accepts), anything else fails naming the input instead of silently not waiting; `wait-timeout-minutes` says the
 * range it accepts.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { booleanInput } from '../../src/action/inputs.js';
import { run } from '../../src/main.js';
import { fakeCore, fakeDeps } from '../fixtures/core.js';
import { FakeGitHub, TEST_TOKEN } from '../fixtures/github/fake.js';
import { repoFactory } from './pr.js';
import { QWEN, cleanTree } from './repo.js';

const { repoWith, cleanup } = repoFactory();
afterEach(cleanup);

const RUN = 'https://github.com/acme/governance/actions/runs/77';

/** A dispatch that returns run 77, which has already failed. */
function api(): FakeGitHub {
  return new FakeGitHub()
    .list('/repos/acme/governance/commits/:sha/pulls', [])
    .reply('POST', '/repos/acme/governance/actions/workflows/:wf/dispatches', { status: 200, body: { workflow_run_id: 77, run_url: 'https://api.github.test/repos/acme/governance/actions/runs/77', html_url: RUN } })
    .reply('GET', '/repos/acme/governance/actions/runs/77', { status: 200, body: { id: 77, status: 'completed', conclusion: 'failure', html_url: RUN } });
}

async function dispatch(inputs: Record<string, string>) {
  const repo = repoWith(cleanTree(), {});
  const gh = api();
  const { core, rec } = fakeCore({ mode: 'dispatch', workflow: 'stage2.yml', 'admission-file': QWEN, token: TEST_TOKEN, ...inputs });
  await run(fakeDeps({ core, cwd: repo.dir, eventName: 'workflow_dispatch', octokit: () => gh.octokit() }));
  return { rec, gh };
}

describe('mode dispatch: wait', () => {
  it.each(['true', 'True', 'TRUE'])('wait: %s polls the run and fails on its failed conclusion', async (wait) => {
    const { rec, gh } = await dispatch({ wait });
    expect(gh.callsTo('GET', /runs\/77$/).length).toBeGreaterThan(0);
    expect(rec.outputs.conclusion).toBe('failure');
    expect(rec.failed).toBe(`sot-gate: the Stage 2 run 77 concluded failure: ${RUN}`);
  });

  it.each(['false', 'False', 'FALSE', ''])('wait: "%s" dispatches without waiting', async (wait) => {
    const { rec, gh } = await dispatch({ wait });
    expect(rec.failed).toBeUndefined();
    expect(rec.outputs['run-id']).toBe('77');
    expect(gh.callsTo('GET', /runs\/77$/)).toHaveLength(0);
  });

  it.each(['yes', 'on', '1', 'tru'])('wait: %s fails naming the input, before any API call', async (wait) => {
    const { rec, gh } = await dispatch({ wait });
    expect(rec.failed).toBe(`sot-gate: input \`wait\` must be true or false (also True, TRUE, False, FALSE), not ${JSON.stringify(wait)}`);
    expect(gh.calls).toHaveLength(0);
  });
});

describe('mode dispatch: wait-timeout-minutes', () => {
  it.each(['0', '-5', '1441', 'soon'])('%s is refused with the range it accepts', async (t) => {
    const { rec, gh } = await dispatch({ 'wait-timeout-minutes': t });
    expect(rec.failed).toBe(`sot-gate: input \`wait-timeout-minutes\` must be a number of minutes greater than 0 and at most 1440, not ${JSON.stringify(t)}`);
    expect(gh.calls).toHaveLength(0);
  });

  it('1440 is accepted', async () => {
    const { rec } = await dispatch({ 'wait-timeout-minutes': '1440' });
    expect(rec.failed).toBeUndefined();
  });
});

describe('booleanInput', () => {
  it('empty is the fallback; the YAML 1.2 core booleans are read; anything else names the input', () => {
    const core = (v: string) => fakeCore({ x: v }).core;
    expect(booleanInput(core(''), 'x', true)).toBe(true);
    expect(booleanInput(core(''), 'x', false)).toBe(false);
    expect(booleanInput(core(' TRUE '), 'x', false)).toBe(true);
    expect(booleanInput(core('False'), 'x', true)).toBe(false);
    expect(() => booleanInput(core('no'), 'x', false)).toThrow('input `x` must be true or false');
  });
});
