import type { Command } from 'commander';
import { isRunwayError, RunwayError } from '../errors.js';
import { repositoryRoot } from '../release/git.js';
import { checkDeploy, writeDeploy } from './write.js';

/** The repository's root from anywhere inside it; outside git (an exported tree), the directory it runs in. */
const synthRoot = async (cwd: string): Promise<string> => {
  try {
    return await repositoryRoot(cwd);
  } catch (error) {
    if (isRunwayError(error) && error.code === 'NOT_A_REPOSITORY') return cwd;
    throw error;
  }
};

/** `runway synth [--check]`, run from anywhere in the repository (like `status`, it finds the root). */
export const registerSynth = (program: Command): void => {
  program
    .command('synth')
    .description('render deploy/ from the typed spec and the release pointers (validated, policy-checked)')
    .option('--check', 'fail if deploy/ is not what synth would write (CI)')
    .action(async (options: { check?: boolean }) => {
      const root = await synthRoot(process.cwd());
      if (options.check) {
        const { stale } = await checkDeploy(root);
        if (stale.length > 0) {
          throw new RunwayError(
            'SYNTH_STALE',
            `deploy/ is stale: ${stale.length} file(s) differ from the spec:\n${stale.map((path) => `  ${path}`).join('\n')}`,
            'Run `npx runway synth` and commit deploy/.',
          );
        }
        console.log('deploy/ is up to date');
        return;
      }
      const { changed } = await writeDeploy(root);
      console.log(
        changed.length === 0
          ? 'deploy/ unchanged'
          : `wrote ${changed.length} file(s):\n${changed.map((path) => `  ${path}`).join('\n')}`,
      );
    });
};
