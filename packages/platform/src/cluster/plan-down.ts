import type { Command, Plan, Step } from './plan-types.js';
import { CLUSTER_NAME, GIT_SERVER_CONTAINER, REGISTRY_CONTAINER, TIMEOUTS } from './settings.js';

export interface DownProbes {
  readonly clusterExists: boolean;
  readonly registryExists: boolean;
  readonly gitServerExists: boolean;
}

const step = (id: string, title: string, present: boolean, command: Command, hint: string): Step => ({
  id,
  title,
  note: present ? 'removing' : 'already gone',
  hint,
  commands: () => (present ? [command] : []),
});

/** Removes the cluster and runway's containers; what is already gone is skipped, so `down` can always be run again. */
export const planDown = (probes: DownProbes): Plan => ({
  steps: [
    step(
      'cluster',
      `Delete the kind cluster "${CLUSTER_NAME}"`,
      probes.clusterExists,
      { argv: ['kind', 'delete', 'cluster', '--name', CLUSTER_NAME], timeoutSeconds: TIMEOUTS.down },
      `List what is left: kind get clusters; docker ps -a --filter name=${CLUSTER_NAME}-`,
    ),
    ...[REGISTRY_CONTAINER, GIT_SERVER_CONTAINER].map((name) =>
      step(
        name,
        `Remove the container "${name}"`,
        name === REGISTRY_CONTAINER ? probes.registryExists : probes.gitServerExists,
        { argv: ['docker', 'rm', '-f', name], timeoutSeconds: TIMEOUTS.down },
        `Look at it: docker ps -a --filter name=${name}`,
      ),
    ),
  ],
  warnings: [],
});
