import { RunwayError } from '../errors.js';
import { resolveActor } from './actor.js';
import { readCluster } from './cluster.js';
import { commitPaths, git, headSha, repositoryRoot, requireCleanTree, switchToNewBranch } from './git.js';
import { parseDigest, parseEnvironment, parseGitSha, parseImage, parseReason } from './parse.js';
import type { ReleasePlan } from './plan.js';
import type { EnvironmentName } from './pointer.js';
import { planPromotion, promotionBranch } from './promote.js';
import { planRelease } from './release.js';
import { planRollback } from './rollback.js';
import { buildStatus, type ClusterView, type StatusReport } from './status.js';
import { pointerAt, pointerHistory, readPointers, writePointer } from './store.js';
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
  by: resolveActor(by, context.environment, await gitUser(root)),
  now: context.now().toISOString(),
});

/** Opens the repository for a command; one that commits needs a clean tree so the commit holds only the release. */
const openRepository = async (context: ReleaseContext, commit: boolean): Promise<string> => {
  const root = await repositoryRoot(context.cwd);
  if (commit) await requireCleanTree(root);
  return root;
};

const apply = async (
  context: ReleaseContext,
  root: string,
  plan: ReleasePlan,
  options: ApplyOptions,
): Promise<Outcome> => {
  if (plan.kind === 'unchanged') return { summary: plan.summary };
  if (options.branch !== undefined) await switchToNewBranch(root, options.branch);
  const pointerFile = await writePointer(root, plan.pointer);
  const { changed } = await context.synth(root);
  if (!options.commit) return { summary: plan.summary };
  const commit = await commitPaths(root, [...new Set([pointerFile, ...changed])], plan.commitMessage);
  return {
    summary: plan.summary,
    commit,
    ...(options.branch === undefined ? {} : { branch: options.branch }),
  };
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

/** Which release a cluster report is about: a digest, or the git revision Argo CD had synced. */
export interface ReportedRelease {
  readonly digest?: string;
  readonly revision?: string;
}

const reportedDigest = async (
  root: string,
  env: EnvironmentName,
  reported: ReportedRelease,
): Promise<string | undefined> => {
  if (reported.digest !== undefined && reported.revision !== undefined) {
    throw new RunwayError('REPORT_AMBIGUOUS', 'pass --digest or --revision, not both');
  }
  if (reported.digest !== undefined) return parseDigest(reported.digest);
  if (reported.revision === undefined) return undefined;
  return (await pointerAt(root, env, parseGitSha(reported.revision))).digest;
};

export const verify = async (
  context: ReleaseContext,
  envName: string,
  reported: ReportedRelease,
): Promise<Outcome> => {
  const env = parseEnvironment(envName);
  const root = await openRepository(context, true);
  const digest = await reportedDigest(root, env, reported);
  const pointers = await readPointers(root);
  const plan = planVerify(pointers, { env, now: context.now().toISOString(), ...(digest ? { digest } : {}) });
  return apply(context, root, plan, { commit: true });
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

export const rollback = async (
  context: ReleaseContext,
  envName: string,
  options: ReportedRelease & { readonly reason: string; readonly by?: string },
): Promise<Outcome> => {
  const env = parseEnvironment(envName);
  const reason = parseReason(options.reason);
  const root = await openRepository(context, true);
  const digest = await reportedDigest(root, env, options);
  const pointers = await readPointers(root);
  const history = await pointerHistory(root, env);
  const request = {
    env,
    reason,
    ...(digest ? { digest } : {}),
    ...(await invocation(context, root, options.by)),
  };
  return apply(context, root, planRollback(pointers, history, request), { commit: true });
};

export const status = async (context: ReleaseContext): Promise<StatusReport> => {
  const root = await repositoryRoot(context.cwd);
  const [pointers, cluster] = await Promise.all([readPointers(root), (context.readCluster ?? readCluster)()]);
  return buildStatus(pointers, cluster);
};
