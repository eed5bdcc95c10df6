import type { EnvironmentName } from '../release/pointer.js';

/**
 * The clusters Runway runs on (decision 17) and the environments each hosts. A cluster's tree under
 * `deploy/clusters/<name>/` holds only what can work there: its own Argo CD config and root, its add-ons, its
 * platform config and the Applications of the environments it hosts.
 */
export type ClusterName = 'kind' | 'nonprod' | 'prod';

export interface ClusterSpec {
  readonly name: ClusterName;
  /**
   * `kind`: the local cluster of `runway up`; no cloud account, so no AWS secret store, a self-signed issuer and
   * the gateway on a NodePort. `eks`: External Secrets reads AWS Secrets Manager through EKS Pod Identity.
   */
  readonly provider: 'kind' | 'eks';
  readonly environments: readonly EnvironmentName[];
}

export const clusters: readonly ClusterSpec[] = [
  { name: 'kind', provider: 'kind', environments: ['dev'] },
  { name: 'nonprod', provider: 'eks', environments: ['dev', 'staging'] },
  { name: 'prod', provider: 'eks', environments: ['prod'] },
];

export const cluster = (name: ClusterName): ClusterSpec => {
  const found = clusters.find((candidate) => candidate.name === name);
  if (!found) throw new Error(`no cluster named ${name}`);
  return found;
};

/** The cluster `runway up` creates and the environment it runs the local build in. */
export const LOCAL_CLUSTER: ClusterName = 'kind';
