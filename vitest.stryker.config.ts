// The suite as Stryker runs it for each mutant: the engine's own tests. Left out: the end-to-end runs of the bundle
// (they test dist/, not the mutated source), the action adapter's tests (each builds git repositories; the engine
// must be proven by its own tests), and the 1 MB adversarial and 50 MB inputs. `npm test` runs all of them.
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    exclude: ['test/action/**', 'test/stage2/e2e.test.ts', 'test/scanner/safety.test.ts', '**/node_modules/**'],
    environment: 'node',
    testTimeout: 30_000,
    pool: 'forks',
    env: { SOT_GATE_FAST: '1' },
  },
});
