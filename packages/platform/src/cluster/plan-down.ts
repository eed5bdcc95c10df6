import type { Plan } from './plan-types.js';
import { CLUSTER_NAME, REGISTRY_CONTAINER, TIMEOUTS } from './settings.js';

export interface DownProbes {
  readonly clusterExists: boolean;
  readonly registryExists: boolean;
}

/** Removes the cluster and the registry; what is already gone is skipped, so `down` can always be run again. */
export const planDown = (probes: DownProbes): Plan => ({
  steps: [
    {
      id: 'cluster',
      title: `Delete the kind cluster "${CLUSTER_NAME}"`,
      note: probes.clusterExists ? 'deleting' : 'already gone',
      hint: `List what is left: kind get clusters; docker ps -a --filter name=${CLUSTER_NAME}-`,
      commands: () =>
        probes.clusterExists
          ? [{ argv: ['kind', 'delete', 'cluster', '--name', CLUSTER_NAME], timeoutSeconds: TIMEOUTS.down }]
          : [],
    },
    {
      id: 'registry',
      title: `Remove the registry container "${REGISTRY_CONTAINER}"`,
      note: probes.registryExists ? 'removing' : 'already gone',
      hint: `Look at it: docker ps -a --filter name=${REGISTRY_CONTAINER}`,
      commands: () =>
        probes.registryExists
          ? [{ argv: ['docker', 'rm', '-f', REGISTRY_CONTAINER], timeoutSeconds: TIMEOUTS.down }]
          : [],
    },
  ],
  warnings: [],
});
