/** Entry of `sot-gate scan`'s worker threads (bundled to dist/scan-worker.js): the scanner only, so a worker starts fast. */
import { runScanWorker } from './cli/scan-worker.js';

runScanWorker();
