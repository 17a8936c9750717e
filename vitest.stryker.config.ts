// The suite as Stryker runs it for each mutant: without the end-to-end runs of the bundle (they test dist/, not the
// mutated source) and the 1 MB adversarial and 50 MB inputs, which `npm test` keeps running.
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    exclude: ['test/action/e2e.test.ts', 'test/stage2/e2e.test.ts', 'test/scanner/safety.test.ts', '**/node_modules/**'],
    environment: 'node',
    testTimeout: 30_000,
    pool: 'forks',
    env: { SOT_GATE_FAST: '1' },
  },
});
