import type { ReleasePointer } from '../release/pointer.js';
import type { EnvironmentSpec } from '../spec/environments.js';
import type { ProdDatabaseInputs } from '../spec/prod-database.js';
import { analysisTemplate } from './analysis.js';
import { databaseCluster } from './database.js';
import { serviceMonitor } from './monitoring.js';
import { networkPolicies } from './network.js';
import type { KubeObject } from './object.js';
import { httpRoute } from './routing.js';
import { secretReferences } from './secrets.js';
import {
  configMap,
  databaseCaConfigMap,
  horizontalPodAutoscaler,
  migrationJob,
  namespace,
  podDisruptionBudget,
  rollout,
  serviceAccount,
  services,
} from './workload.js';

export interface EnvironmentObjects {
  /** Synced first: what the app and its PreSync migration need to exist. */
  readonly base: readonly KubeObject[];
  readonly app: readonly KubeObject[];
}

/** Everything one environment runs, from the spec, its release pointer and prod's database inputs and CA. */
export const environmentObjects = (
  env: EnvironmentSpec,
  pointer: ReleasePointer,
  prodInputs: ProdDatabaseInputs,
  prodDatabaseCa: string | undefined,
): EnvironmentObjects => ({
  base: [
    namespace(env),
    serviceAccount(env),
    configMap(env),
    ...(env.database.kind === 'rds' && prodDatabaseCa !== undefined
      ? [databaseCaConfigMap(env, prodDatabaseCa)]
      : []),
    ...secretReferences(env, prodInputs),
    ...databaseCluster(env),
    ...networkPolicies(env, prodInputs),
  ],
  app: [
    migrationJob(env, pointer),
    rollout(env, pointer),
    ...services(env),
    analysisTemplate(env),
    horizontalPodAutoscaler(env),
    podDisruptionBudget(env),
    httpRoute(env),
    serviceMonitor(env),
  ],
});
