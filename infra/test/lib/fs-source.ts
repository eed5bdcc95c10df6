import { readdir, readFile } from 'node:fs/promises';
import { join, posix } from 'node:path';
import type { FileSource } from './terraform-dir.js';

const hasTfFiles = (names: readonly string[]): boolean => names.some((name) => name.endsWith('.tf'));

/** Reads `.tf` files from a real Terraform root directory (skipping `.terraform` caches). */
export const fsSource = (terraformRoot: string): FileSource => ({
  tfFiles: async (dir) => {
    const names = (await readdir(join(terraformRoot, dir))).filter((name) => name.endsWith('.tf')).sort();
    return Promise.all(
      names.map(async (name) => ({
        path: posix.join(dir, name),
        text: await readFile(join(terraformRoot, dir, name), 'utf8'),
      })),
    );
  },
  dirs: async () => {
    const entries = await readdir(terraformRoot, { recursive: true, withFileTypes: true });
    const dirs = entries
      .filter(
        (entry) =>
          entry.isDirectory() && !entry.parentPath.includes('.terraform') && entry.name !== '.terraform',
      )
      .map((entry) =>
        posix.relative(terraformRoot, join(entry.parentPath, entry.name)).split('\\').join('/'),
      );
    const withFiles = await Promise.all(
      dirs.map(async (dir) => (hasTfFiles(await readdir(join(terraformRoot, dir))) ? dir : undefined)),
    );
    return withFiles.filter((dir): dir is string => dir !== undefined).sort();
  },
});
