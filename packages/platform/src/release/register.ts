import type { Command } from 'commander';
import { writeDeploy } from '../synth/write.js';
import { type Outcome, promote, type ReleaseContext, release, rollback, status, verify } from './commands.js';
import { formatStatus } from './status.js';

const defaultContext = (): ReleaseContext => ({
  cwd: process.cwd(),
  synth: writeDeploy,
  environment: process.env,
  now: () => new Date(),
});

const report = (outcome: Outcome): void => {
  console.log(outcome.summary);
  if (outcome.commit === undefined) return;
  const where = outcome.branch === undefined ? '' : ` on branch ${outcome.branch}`;
  console.log(`committed ${outcome.commit}${where}`);
};

/** `runway release | verify | promote | rollback | status`: releases are commits to deploy/releases/<env>.json. */
export const registerReleaseCommands = (
  program: Command,
  context: ReleaseContext = defaultContext(),
): void => {
  program
    .command('release')
    .description('point an environment at an image digest, re-synth deploy/ and commit')
    .argument('<env>', 'dev, staging or prod')
    .argument('<digest>', 'image digest, sha256:<64 hex>')
    .option('--git-sha <sha>', 'commit the image was built from (default: HEAD)')
    .option('--image <repository>', 'image repository without tag (default: the environment’s current one)')
    .option('--by <who>', 'who or what releases (default: the CI run URL, else git user.email)')
    .option('--no-commit', 'write and re-synth only, for a CI step that commits itself')
    .action(
      async (
        env: string,
        digest: string,
        options: { gitSha?: string; image?: string; by?: string; commit: boolean },
      ) => report(await release(context, env, digest, options)),
    );

  program
    .command('verify')
    .description(
      "mark an environment's current release verified (its Rollout completed after it was released) and commit",
    )
    .argument('<env>', 'dev, staging or prod')
    .requiredOption('--digest <digest>', 'the digest the Rollout ran to completion (from the signal)')
    .requiredOption('--at <time>', 'when the Rollout completed, ISO 8601 (from the signal)')
    // Not a required option: without it the plan refuses with exit code 3 and says why, like any stale signal.
    .option(
      '--analysis <phase>',
      'the phase of the revision’s newest AnalysisRun (from the signal): must be Successful',
    )
    .action(async (env: string, options: { digest: string; at: string; analysis?: string }) =>
      report(await verify(context, env, options)),
    );

  program
    .command('promote')
    .description('copy the verified release of one environment to the next, committed on a branch for a PR')
    .argument('<from>', 'dev or staging')
    .argument('<to>', 'the next environment: staging or prod')
    .option('--by <who>', 'who or what promotes (default: the CI run URL, else git user.email)')
    .option('--branch <name>', 'branch to commit on (default: promote/<to>-<short sha>)')
    .action(async (from: string, to: string, options: { by?: string; branch?: string }) =>
      report(await promote(context, from, to, options)),
    );

  program
    .command('rollback')
    .description('return an environment to its previous good release from git history; reject the bad one')
    .argument('<env>', 'dev, staging or prod')
    .option('--reason <text>', 'why the release is rejected', 'rolled back with runway rollback')
    .requiredOption('--digest <digest>', 'the digest that aborted: must still be the environment’s release')
    .option('--at <time>', 'when the Rollout aborted, ISO 8601 (from the signal; default: now, by hand)')
    .option('--by <who>', 'who or what rolls back (default: the CI run URL, else git user.email)')
    .action(async (env: string, options: { reason: string; digest: string; at?: string; by?: string }) =>
      report(await rollback(context, env, options)),
    );

  program
    .command('status')
    .description('per environment: what git says is deployed and, when reachable, what the cluster runs')
    .option('--json', 'print JSON')
    .action(async (options: { json?: boolean }) => {
      const result = await status(context);
      process.stdout.write(options.json ? `${JSON.stringify(result, null, 2)}\n` : formatStatus(result));
    });
};
