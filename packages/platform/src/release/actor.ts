import { RunwayError } from '../errors.js';

/**
 * Who or what performs a release action, for the pointer's `releasedBy`: an explicit `--by`, else the GitHub
 * Actions run URL, else the git identity of whoever runs the command.
 */
export const resolveActor = (
  by: string | undefined,
  environment: Readonly<Record<string, string | undefined>>,
  gitUser: string | undefined,
): string => {
  const named = resolveActorWithout(by, environment);
  if (named !== undefined) return named;
  if (gitUser) return gitUser;
  throw new RunwayError(
    'ACTOR_UNKNOWN',
    'cannot tell who is releasing: pass --by <name> or set git user.email',
  );
};

/** The actor named by `--by` or the GitHub Actions run, without asking git; undefined when neither names one. */
export const resolveActorWithout = (
  by: string | undefined,
  environment: Readonly<Record<string, string | undefined>>,
): string | undefined => {
  if (by !== undefined && by.trim() !== '') return by.trim();
  const { GITHUB_SERVER_URL: server, GITHUB_REPOSITORY: repository, GITHUB_RUN_ID: runId } = environment;
  if (server && repository && runId) return `${server}/${repository}/actions/runs/${runId}`;
  return undefined;
};
