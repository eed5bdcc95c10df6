import type { ICluster } from '@kubernetes-models/cloudnative-pg/postgresql.cnpg.io/v1/Cluster';
import type { EnvironmentSpec } from '../spec/environments.js';
import { service } from '../spec/service.js';
import { DATABASE_CLUSTER } from './labels.js';
import { type KubeObject, meta, typed } from './object.js';

/**
 * CloudNativePG in dev and staging; it creates `links-db-app` with the `uri` DATABASE_URL reads. Prod uses RDS.
 * No imageName: the operator's default PostgreSQL image is pinned by the operator's pinned chart version.
 */
export const databaseCluster = (env: EnvironmentSpec): KubeObject[] =>
  env.database.kind === 'cloudnative-pg'
    ? [
        {
          apiVersion: 'postgresql.cnpg.io/v1',
          kind: 'Cluster',
          metadata: meta(DATABASE_CLUSTER, env.namespace),
          spec: typed<NonNullable<ICluster['spec']>>({
            instances: env.database.instances,
            storage: { size: env.database.storage },
            bootstrap: { initdb: { database: service.name, owner: service.name } },
            enableSuperuserAccess: false,
            // Replicas in other zones when there are several instances.
            affinity: { topologyKey: 'topology.kubernetes.io/zone' },
            resources: { requests: { cpu: '100m', memory: '256Mi' }, limits: { cpu: '1', memory: '512Mi' } },
            monitoring: { enablePodMonitor: false },
          }),
        },
      ]
    : [];
