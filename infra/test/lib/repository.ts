import { loadModuleTree, type ModuleInstance } from './module-tree.js';
import { type FileSource, loadDir, type TerraformDir } from './terraform-dir.js';

/** Everything the policies look at: each directory on its own, and each root with the local modules it calls. */
export interface TerraformRepository {
  readonly dirs: readonly TerraformDir[];
  readonly roots: readonly ModuleInstance[];
}

/** A root is any directory outside `modules/`: it has its own state (bootstrap, envs/<name>). */
export const isRoot = (dir: string): boolean => dir !== 'modules' && !dir.startsWith('modules/');

export const loadRepository = async (source: FileSource): Promise<TerraformRepository> => {
  const names = await source.dirs();
  const dirs = await Promise.all(names.map((name) => loadDir(name, source)));
  const roots = await Promise.all(names.filter(isRoot).map((name) => loadModuleTree(name, source)));
  return { dirs, roots };
};
