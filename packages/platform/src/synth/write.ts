import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { renderDeploy } from './render.js';

/** The files `runway synth` owns under the repository root, keyed by relative path. */
export type RenderedFiles = ReadonlyMap<string, string>;

const readIfPresent = async (path: string): Promise<string | undefined> => {
  try {
    return await readFile(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
};

/** Renders every environment and writes `deploy/`; returns the relative paths whose bytes changed. */
export const writeDeploy = async (root: string): Promise<{ changed: string[] }> => {
  const files = await renderDeploy(root);
  const changed: string[] = [];
  for (const [relative, content] of files) {
    const path = join(root, relative);
    if ((await readIfPresent(path)) === content) continue;
    await mkdir(dirname(path), { recursive: true });
    await writeFile(path, content);
    changed.push(relative);
  }
  return { changed };
};

/** Renders in memory and compares with `deploy/`; returns the relative paths that differ or are missing. */
export const checkDeploy = async (root: string): Promise<{ stale: string[] }> => {
  const files = await renderDeploy(root);
  const stale: string[] = [];
  for (const [relative, content] of files) {
    if ((await readIfPresent(join(root, relative))) !== content) stale.push(relative);
  }
  return { stale };
};
