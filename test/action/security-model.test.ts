/** README's Security model names exactly what the code protects and the events the example reports the check on. */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import YAML from 'yaml';
import { PULL_REQUEST_EVENTS, REQUIRED_CHECK_EVENTS } from '../../src/action/pull-request.js';
import { DEFAULT_CONFIG, PROTECTED_SURFACE } from '../../src/engine/config.js';

const readme = readFileSync('README.md', 'utf8');
/** The `- \`name\`:` bullets of a README subsection. */
function bullets(heading: string): string[] {
  const start = readme.indexOf(`### ${heading}`);
  expect(start, heading).toBeGreaterThan(-1);
  const rest = readme.slice(start + heading.length + 4);
  const section = rest.slice(0, rest.search(/\n#{2,3} /));
  return [...section.matchAll(/^- `([^`]+)`:/gm)].map((m) => m[1]!);
}

describe('README: Security model', () => {
  it('lists exactly the protected surface, which is also the default policy', () => {
    expect(bullets('What counts as a decision change')).toEqual([...PROTECTED_SURFACE]);
    expect(DEFAULT_CONFIG['change-control'].protect).toEqual([...PROTECTED_SURFACE]);
  });

  it('lists exactly the events the example workflow reports the required check on', () => {
    expect(bullets('Which events report the required check')).toEqual([...REQUIRED_CHECK_EVENTS]);
    const wf = YAML.parse(readFileSync('examples/workflows/sot-gate.yml', 'utf8')) as { on: Record<string, unknown> };
    expect(Object.keys(wf.on)).toEqual([...REQUIRED_CHECK_EVENTS]);
    expect(REQUIRED_CHECK_EVENTS.slice(0, PULL_REQUEST_EVENTS.length)).toEqual([...PULL_REQUEST_EVENTS]);
  });
});
