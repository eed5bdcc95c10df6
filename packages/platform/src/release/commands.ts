import { resolveActor, resolveActorWithout } from './actor.js';
import { readCluster } from './cluster.js';
import {
  commitPaths,
  currentCheckout,
  git,
  headSha,
  repositoryRoot,
  requireCleanTree,
  returnTo,
  switchToNewBranch,
} from './git.js';
import {
  parseDigest,
  parseEnvironment,
  parseGitSha,
  parseImage,
  parseReason,
  parseSignalTime,
} from './parse.js';
import type { ReleasePlan } from './plan.js';
import { planPromotion, promotionBranch } from './promote.js';
import { planRelease } from './release.js';
import { planRollback } from './rollback.js';
import { buildStatus, type ClusterView, type StatusReport } from './status.js';
import { pointerHistory, readPointers, writePointer } from './store.js';
import { planVerify } from './verify.js';

/** Re-renders deploy/ from the spec and the pointers; returns the repository-relative paths it changed. */
export type Synth = (root: string) => Promise<{ changed: string[] }>;

/** The edges the release commands touch, injected so tests can run them on a temporary repository. */
export interface ReleaseContext {
  readonly cwd: string;
  readonly synth: Synth;
  readonly environment: Readonly<Record<string, string | undefined>>;
  readonly now: () => Date;
  readonly readCluster?: () => Promise<ClusterView>;
}

export interface Outcome {
  readonly summary: string;
  /** The commit made, when one was. */
  readonly commit?: string;
  readonly branch?: string;
}

interface ApplyOptions {
  readonly commit: boolean;
  readonly branch?: string;
}

const gitUser = async (root: string): Promise<string | undefined> =>
  (await git(root, ['config', '--default', '', 'user.email'])).trim() || undefined;

const invocation = async (context: ReleaseContext, root: string, by: string | undefined) => ({
  // git's identity is asked for only when neither --by nor the CI run names the actor (one git call less).
  by:
    resolveActorWithout(by, context.environment) ??
    resolveActor(by, context.environment, await gitUser(root)),
  now: context.now().toISOString(),
});

/** Opens the repository for a command; one that commits needs a clean tree so the commit holds only the release. */
const openRepository = async (context: ReleaseContext, commit: boolean): Promise<string> => {
  const root = await repositoryRoot(context.cwd);
  if (commit) await requireCleanTree(root);
  return root;
};

const commitPlan = async (
  context: ReleaseContext,
  root: string,
  plan: ReleasePlan & { kind: 'change' },
  commit: boolean,
): Promise<Outcome> => {
  const pointerFile = await writePointer(root, plan.pointer);
  const { changed } = await context.synth(root);
  if (!commit) return { summary: plan.summary };
  const sha = await commitPaths(root, [...new Set([pointerFile, ...changed])], plan.commitMessage);
  return { summary: plan.summary, commit: sha };
};

const apply = async (
  context: ReleaseContext,
  root: string,
  plan: ReleasePlan,
  options: ApplyOptions,
): Promise<Outcome> => {
  if (plan.kind === 'unchanged') return { summary: plan.summary };
  if (options.branch === undefined) return commitPlan(context, root, plan, options.commit);
  // A promotion is committed on its own branch for a pull request; the user is left where they started.
  const origin = await currentCheckout(root);
  await switchToNewBranch(root, options.branch);
  try {
    return { ...(await commitPlan(context, root, plan, true)), branch: options.branch };
  } finally {
    await returnTo(root, origin);
  }
};

export interface ReleaseOptions {
  readonly gitSha?: string;
  readonly image?: string;
  readonly by?: string;
  readonly commit: boolean;
}

export const release = async (
  context: ReleaseContext,
  envName: string,
  digestText: string,
  options: ReleaseOptions,
): Promise<Outcome> => {
  const env = parseEnvironment(envName);
  const digest = parseDigest(digestText);
  const image = options.image === undefined ? undefined : parseImage(options.image);
  const root = await openRepository(context, options.commit);
  const gitSha = parseGitSha(options.gitSha ?? (await headSha(root)));
  const pointers = await readPointers(root);
  const request = { env, digest, gitSha, ...(image === undefined ? {} : { image }) };
  const plan = planRelease(pointers, { ...request, ...(await invocation(context, root, options.by)) });
  return apply(context, root, plan, { commit: options.commit });
};

/** A signal from an environment's Rollout: the digest it names and when it completed or aborted. */
export interface Signal {
  readonly digest: string;
  /** ISO 8601 with a zone. */
  readonly at: string;
}

/** A completion signal also reports the phase of its revision's newest AnalysisRun. */
export interface CompletionSignal extends Signal {
  readonly analysis?: string;
}

export const verify = async (
  context: ReleaseContext,
  envName: string,
  signal: CompletionSignal,
): Promise<Outcome> => {
  const env = parseEnvironment(envName);
  const request = {
    env,
    digest: parseDigest(signal.digest),
    at: parseSignalTime(signal.at),
    analysis: signal.analysis,
  };
  const root = await openRepository(context, true);
  return apply(context, root, planVerify(await readPointers(root), request), { commit: true });
};

export const promote = async (
  context: ReleaseContext,
  fromName: string,
  toName: string,
  options: { readonly by?: string; readonly branch?: string },
): Promise<Outcome> => {
  const from = parseEnvironment(fromName);
  const to = parseEnvironment(toName);
  const root = await openRepository(context, true);
  const pointers = await readPointers(root);
  const plan = planPromotion(pointers, { from, to, ...(await invocation(context, root, options.by)) });
  const branch = plan.kind === 'change' ? (options.branch ?? promotionBranch(plan)) : undefined;
  return apply(context, root, plan, { commit: true, ...(branch === undefined ? {} : { branch }) });
};

export interface RollbackOptions {
  /** The digest that aborted: the environment's current release, or nothing is rolled back. */
  readonly digest: string;
  /** When it aborted, from the signal; absent when a person rolls back by hand (then: now). */
  readonly at?: string;
  readonly reason: string;
  readonly by?: string;
}

export const rollback = async (
  context: ReleaseContext,
  envName: string,
  options: RollbackOptions,
): Promise<Outcome> => {
  const env = parseEnvironment(envName);
  const reason = parseReason(options.reason);
  const digest = parseDigest(options.digest);
  const signalAt = options.at === undefined ? undefined : parseSignalTime(options.at);
  const root = await openRepository(context, true);
  const pointers = await readPointers(root);
  const history = await pointerHistory(root, env);
  const acting = await invocation(context, root, options.by);
  const request = { env, reason, digest, at: signalAt ?? acting.now, ...acting };
  return apply(context, root, planRollback(pointers, history, request), { commit: true });
};

export const status = async (context: ReleaseContext): Promise<StatusReport> => {
  const root = await repositoryRoot(context.cwd);
  const [pointers, cluster] = await Promise.all([readPointers(root), (context.readCluster ?? readCluster)()]);
  return buildStatus(pointers, cluster);
};
