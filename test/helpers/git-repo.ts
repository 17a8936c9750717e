/** A real temporary git repository for the history-scan tests: commit() writes (or, with null, removes) files and commits. */
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

export interface TempRepo {
  dir: string;
  git: (...args: string[]) => string;
  commit: (files: Record<string, string | null>, message: string) => string;
}

export function gitRepo(dir = mkdtempSync(path.join(os.tmpdir(), 'sot-gate-git-'))): TempRepo {
  const git = (...args: string[]) =>
    execFileSync('git', ['-C', dir, '-c', 'user.email=t@example.com', '-c', 'user.name=T', '-c', 'commit.gpgsign=false', ...args], { encoding: 'utf8' }).trim();
  git('init', '-q', '-b', 'main');
  const commit = (files: Record<string, string | null>, message: string) => {
    for (const [f, content] of Object.entries(files)) {
      if (content === null) git('rm', '-q', f);
      else {
        mkdirSync(path.dirname(path.join(dir, f)), { recursive: true });
        writeFileSync(path.join(dir, f), content);
        git('add', f);
      }
    }
    git('commit', '-q', '--allow-empty', '-m', message);
    return git('rev-parse', 'HEAD');
  };
  return { dir, git, commit };
}
