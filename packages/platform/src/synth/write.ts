import { mkdir, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { dirname, join, relative } from 'node:path';
import { paths } from './layout.js';
import { renderDeploy } from './render.js';

/** The files `runway synth` owns under the repository root, keyed by relative path. */
export type RenderedFiles = ReadonlyMap<string, string>;

/** Generated directories of deploy/; deploy/releases holds inputs and is never touched. */
const GENERATED_DIRS = [paths.clusters, paths.envs];

const readIfPresent = async (path: string): Promise<string | undefined> => {
  try {
    return await readFile(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
};

/** Files under the generated directories that synth would no longer write (e.g. an object removed from the spec). */
const orphans = async (root: string, files: RenderedFiles): Promise<string[]> => {
  const existing = await Promise.all(
    GENERATED_DIRS.map(async (dir) => {
      try {
        const entries = await readdir(join(root, dir), { recursive: true, withFileTypes: true });
        return entries
          .filter((entry) => entry.isFile())
          .map((entry) => relative(root, join(entry.parentPath, entry.name)));
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
        throw error;
      }
    }),
  );
  return existing
    .flat()
    .filter((path) => !files.has(path))
    .sort();
};

/** Renders every environment and writes `deploy/`; returns the relative paths whose bytes changed (or were removed). */
export const writeDeploy = async (root: string): Promise<{ changed: string[] }> => {
  const files = await renderDeploy(root);
  const changed: string[] = [];
  for (const [path, content] of files) {
    const absolute = join(root, path);
    if ((await readIfPresent(absolute)) === content) continue;
    await mkdir(dirname(absolute), { recursive: true });
    await writeFile(absolute, content);
    changed.push(path);
  }
  for (const path of await orphans(root, files)) {
    await rm(join(root, path));
    changed.push(path);
  }
  return { changed };
};

/** Renders in memory and compares with `deploy/`; returns the relative paths that differ, are missing or are extra. */
export const checkDeploy = async (root: string): Promise<{ stale: string[] }> => {
  const files = await renderDeploy(root);
  const stale: string[] = [];
  for (const [path, content] of files) {
    if ((await readIfPresent(join(root, path))) !== content) stale.push(path);
  }
  return { stale: [...stale, ...(await orphans(root, files))] };
};
