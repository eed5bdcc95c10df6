import { shortDigest, shortSha } from './format.js';
import type { Pointers } from './plan.js';
import { ENVIRONMENT_NAMES, type EnvironmentName } from './pointer.js';

/** What the cluster's Rollout for one environment runs, as reported by the Kubernetes API. */
export type ClusterRollout =
  | { readonly found: true; readonly image: string; readonly phase: string; readonly message: string }
  | { readonly found: false; readonly message: string };

export type ClusterView =
  | { readonly reachable: false; readonly reason: string }
  | { readonly reachable: true; readonly rollouts: Readonly<Record<EnvironmentName, ClusterRollout>> };

export interface EnvironmentStatus {
  readonly env: EnvironmentName;
  readonly image: string;
  readonly digest: string;
  readonly gitSha: string;
  readonly releasedAt: string;
  readonly releasedBy: string;
  readonly verifiedAt: string | null;
  readonly promotedFrom: EnvironmentName | null;
  readonly rejectedCount: number;
  /** Absent when the cluster is not reachable. */
  readonly cluster?: ClusterRollout & { readonly matchesGit: boolean };
}

export interface StatusReport {
  readonly environments: readonly EnvironmentStatus[];
  readonly cluster: { readonly reachable: boolean; readonly reason?: string };
}

export const buildStatus = (pointers: Pointers, cluster: ClusterView): StatusReport => ({
  environments: ENVIRONMENT_NAMES.map((env) => {
    const pointer = pointers[env];
    const base: EnvironmentStatus = {
      env,
      image: pointer.image,
      digest: pointer.digest,
      gitSha: pointer.gitSha,
      releasedAt: pointer.releasedAt,
      releasedBy: pointer.releasedBy,
      verifiedAt: pointer.verifiedAt,
      promotedFrom: pointer.promotedFrom,
      rejectedCount: pointer.rejected.length,
    };
    if (!cluster.reachable) return base;
    const rollout = cluster.rollouts[env];
    const matchesGit = rollout.found && rollout.image === `${pointer.image}@${pointer.digest}`;
    return { ...base, cluster: { ...rollout, matchesGit } };
  }),
  cluster: cluster.reachable ? { reachable: true } : { reachable: false, reason: cluster.reason },
});

const describeCluster = (status: EnvironmentStatus): string => {
  const rollout = status.cluster;
  if (rollout === undefined) return '';
  if (!rollout.found) return `\n  cluster   ${rollout.message}`;
  const image = rollout.image.includes('@') ? shortDigest(rollout.image.split('@')[1] ?? '') : rollout.image;
  const drift = rollout.matchesGit
    ? ''
    : ' (differs from git: Argo CD has not synced it yet, or a sync failed)';
  const message = rollout.message ? `: ${rollout.message}` : '';
  return `\n  cluster   Rollout ${rollout.phase}${message}, runs ${image}${drift}`;
};

export const formatStatus = (report: StatusReport): string => {
  const lines = report.environments.map((status) => {
    const verified = status.verifiedAt === null ? 'not verified' : `verified ${status.verifiedAt}`;
    const promoted = status.promotedFrom === null ? '' : `, promoted from ${status.promotedFrom}`;
    return (
      `${status.env}\n  git       ${shortDigest(status.digest)} (git ${shortSha(status.gitSha)}) released ${status.releasedAt} by ${status.releasedBy}${promoted}` +
      `\n  state     ${verified}, ${status.rejectedCount} rejected` +
      describeCluster(status)
    );
  });
  const cluster = report.cluster.reachable
    ? 'cluster: reachable'
    : `cluster: not reachable (${report.cluster.reason})`;
  return `${lines.join('\n')}\n${cluster}\n`;
};
