// `npm run bench`: the scanner benchmark, the history scan beside the final-tree scan, then the action benchmark when present.
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { benchRegex } from './bench-regex.mjs';
import { benchScanner } from './bench-scanner.mjs';
import { benchGit } from './bench-git.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));
console.log('## Scanner\n');
await benchScanner();
console.log('\n## Regexes on hostile input\n');
benchRegex();
console.log('\n## History scan (every commit) beside the final-tree scan\n');
await benchGit();
const action = path.join(here, 'bench-action.mjs');
if (existsSync(action)) {
  const mod = await import(pathToFileURL(action).href);
  if (typeof mod.benchAction === 'function') {
    console.log('\n## Action\n');
    await mod.benchAction();
  }
}
