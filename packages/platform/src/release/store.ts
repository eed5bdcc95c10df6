import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { isRunwayError, RunwayError } from '../errors.js';
import { fileHistory, git } from './git.js';
import { parsePointer } from './parse.js';
import type { Pointers } from './plan.js';
import type { EnvironmentName, ReleasePointer } from './pointer.js';

/** Repository-relative path of an environment's release pointer. */
export const pointerPath = (env: EnvironmentName): string => `deploy/releases/${env}.json`;

export const readPointer = async (root: string, env: EnvironmentName): Promise<ReleasePointer> => {
  const path = pointerPath(env);
  let text: string;
  try {
    text = await readFile(join(root, path), 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
    throw new RunwayError(
      'POINTER_MISSING',
      `${path} does not exist: every environment needs a release pointer`,
    );
  }
  return parsePointer(text, path, env);
};

export const readPointers = async (root: string): Promise<Pointers> => {
  const [dev, staging, prod] = await Promise.all([
    readPointer(root, 'dev'),
    readPointer(root, 'staging'),
    readPointer(root, 'prod'),
  ]);
  return { dev, staging, prod };
};

/** Same layout as the committed files: two-space JSON and a final newline, so diffs show only what changed. */
export const writePointer = async (root: string, pointer: ReleasePointer): Promise<string> => {
  const path = pointerPath(pointer.env);
  await writeFile(join(root, path), `${JSON.stringify(pointer, null, 2)}\n`);
  return path;
};

/**
 * Every committed version of an environment's pointer, newest first. A version that no longer parses (an older
 * schema) is left out rather than failing: it cannot be restored, and a rollback must not be blocked by it.
 */
export const pointerHistory = async (root: string, env: EnvironmentName): Promise<ReleasePointer[]> => {
  const versions = await fileHistory(root, pointerPath(env));
  return versions.flatMap(({ commit, text }) => {
    try {
      return [parsePointer(text, `${pointerPath(env)}@${commit}`, env)];
    } catch (error) {
      if (!isRunwayError(error)) throw error;
      return [];
    }
  });
};

/** The pointer as committed at `revision`, e.g. the revision Argo CD reported on. */
export const pointerAt = async (
  root: string,
  env: EnvironmentName,
  revision: string,
): Promise<ReleasePointer> => {
  const path = pointerPath(env);
  const text = await git(root, ['show', `${revision}:${path}`]);
  return parsePointer(text, `${path}@${revision}`, env);
};
