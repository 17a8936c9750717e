import type { ScanOptions } from '../../src/engine/scanner/index.js';

export const OPTS: ScanOptions = { endpointVariables: ['CTO_HARNESS_CASE_LOCAL_BASE_URL'], targetRepositoryPatterns: [], kind: 'artifact' };
/** Options the path/target-repository examples are written for. */
export const TARGET_OPTS: ScanOptions = { ...OPTS, targetRepositoryPatterns: ['/srv/targets/**', 'work/target-repo'] };
export const optsFor = (id: string): ScanOptions => (id === 'path/target-repository' ? TARGET_OPTS : OPTS);
