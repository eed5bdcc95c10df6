import { posix } from 'node:path';
import type { FileSource } from './terraform-dir.js';

/** Serves `.tf` files from memory, keyed by path relative to the Terraform root: fixtures for policy tests. */
export const memorySource = (files: Readonly<Record<string, string>>): FileSource => ({
  tfFiles: async (dir) =>
    Object.entries(files)
      .filter(([path]) => posix.dirname(path) === dir && path.endsWith('.tf'))
      .map(([path, text]) => ({ path, text })),
  dirs: async () => [...new Set(Object.keys(files).map((path) => posix.dirname(path)))].sort(),
});
