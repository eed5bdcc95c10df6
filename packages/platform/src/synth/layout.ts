import type { ClusterSpec } from '../spec/clusters.js';
import type { EnvironmentSpec } from '../spec/environments.js';
import { repository } from '../spec/repository.js';

const clusterDir = (cluster: ClusterSpec): string => `${repository.deployDir}/clusters/${cluster.name}`;

/**
 * Where synth writes each group of objects, and the paths the Applications sync (decision 17): one tree per
 * cluster, one per environment.
 */
export const paths = {
  clusters: `${repository.deployDir}/clusters`,
  envs: `${repository.deployDir}/envs`,
  /** Argo CD's own config and the platform project: applied before Argo CD starts, then kept by `argocd-config`. */
  argocd: (cluster: ClusterSpec) => `${clusterDir(cluster)}/argocd`,
  /** The root Application alone: applied once by hand or by `runway up`, managed by no Application. */
  root: (cluster: ClusterSpec) => `${clusterDir(cluster)}/root`,
  /** The root's children: projects, add-ons, argocd-config, platform-config and one app-of-apps per environment. */
  apps: (cluster: ClusterSpec) => `${clusterDir(cluster)}/apps`,
  platform: (cluster: ClusterSpec) => `${clusterDir(cluster)}/platform`,
  /** The Applications of one environment this cluster hosts (its own app-of-apps syncs them). */
  envApps: (cluster: ClusterSpec, env: EnvironmentSpec) => `${clusterDir(cluster)}/envs/${env.name}`,
  /** What only this cluster adds to an environment it hosts (kind: the route on the plain-HTTP listener). */
  envLocal: (cluster: ClusterSpec, env: EnvironmentSpec) => `${clusterDir(cluster)}/local/${env.name}`,
  envBase: (env: EnvironmentSpec) => `${repository.deployDir}/envs/${env.name}/base`,
  envApp: (env: EnvironmentSpec) => `${repository.deployDir}/envs/${env.name}/app`,
};
