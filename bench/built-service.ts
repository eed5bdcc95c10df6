import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { repoRoot } from '../e2e/support/links-process.js';

const newestMtime = (dir: string): number =>
  readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile())
    .reduce((newest, entry) => Math.max(newest, statSync(join(entry.parentPath, entry.name)).mtimeMs), 0);

/**
 * The benchmarks measure the compiled service, as the image runs it. Fails with the command to run when
 * apps/links/dist is missing or older than the sources, rather than measuring stale code.
 */
export const assertBuiltService = (): void => {
  const src = join(repoRoot, 'apps/links/src');
  const dist = join(repoRoot, 'apps/links/dist');
  const built = statSafe(join(dist, 'main.js'));
  if (built === undefined || built < newestMtime(src)) {
    throw new Error(
      'apps/links/dist is missing or older than src: run `npm run build -w @runway/links` first',
    );
  }
};

const statSafe = (file: string): number | undefined => {
  const stats = statSync(file, { throwIfNoEntry: false });
  return stats?.mtimeMs;
};
