import type { Command } from 'commander';
import { RunwayError } from '../errors.js';
import { repositoryRoot } from '../release/git.js';
import { checkDeploy, writeDeploy } from './write.js';

/** `runway synth [--check]`, run from anywhere in the repository (like `status`, it finds the root). */
export const registerSynth = (program: Command): void => {
  program
    .command('synth')
    .description('render deploy/ from the typed spec and the release pointers (validated, policy-checked)')
    .option('--check', 'fail if deploy/ is not what synth would write (CI)')
    .action(async (options: { check?: boolean }) => {
      const root = await repositoryRoot(process.cwd());
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
