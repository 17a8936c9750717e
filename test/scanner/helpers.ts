import { detectors, type ScanOptions } from '../../src/engine/scanner/index.js';
import { targetPath } from '../../src/engine/scanner/detectors/target-path.js';

export const OPTS: ScanOptions = { endpointVariables: ['CTO_HARNESS_CASE_LOCAL_BASE_URL'], targetRepositoryPatterns: [], kind: 'artifact' };
/** Options the path/target-repository examples are written for (its exampleOptions). */
export const TARGET_OPTS: ScanOptions = { ...OPTS, ...targetPath.exampleOptions };
/** Options a detector's examples are written for. */
export const optsFor = (id: string): ScanOptions => ({ ...OPTS, ...detectors.find((d) => d.id === id)?.exampleOptions });
