import type { Command } from 'commander';
import { isRunwayError, RunwayError } from '../errors.js';
import { repositoryRoot } from '../release/git.js';
import { clusters } from '../spec/clusters.js';
import { clusterReadinessProblems } from './readiness.js';
import { readInputs } from './render.js';
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
    .option(
      '--for-cluster <name>',
      "with --check: also fail while the cluster's inputs are placeholders (before applying deploy/clusters/<name>)",
    )
    .action(async (options: { check?: boolean; forCluster?: string }) => {
      const root = await synthRoot(process.cwd());
      if (options.forCluster !== undefined) {
        if (!options.check)
          throw new RunwayError(
            'USAGE',
            '--for-cluster needs --check',
            'Run `npx runway synth --check --for-cluster <name>`.',
          );
        const target = clusters.find((candidate) => candidate.name === options.forCluster);
        if (target === undefined) {
          throw new RunwayError(
            'USAGE',
            `no cluster named ${options.forCluster}`,
            `Name one of ${clusters.map((candidate) => candidate.name).join(', ')}.`,
          );
        }
        const problems = clusterReadinessProblems(target, await readInputs(root));
        if (problems.length > 0) {
          throw new RunwayError(
            'CLUSTER_NOT_READY',
            `${target.name} is not ready to apply: ${problems.length} input(s) still to set:\n${problems.map((problem) => `  ${problem}`).join('\n')}`,
            'Follow docs/aws.md steps 8 and 10, then `npx runway synth` and commit.',
          );
        }
      }
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
