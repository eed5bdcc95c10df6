import type { EnvironmentSpec } from '../spec/environments.js';
import { service } from '../spec/service.js';

export type Component = 'server' | 'migrate';

/** Pod labels: name, part-of and env (docs/service-contract.md), plus the component that tells server from job. */
export const podLabels = (env: EnvironmentSpec, component: Component): Record<string, string> => ({
  'app.kubernetes.io/name': service.name,
  'app.kubernetes.io/component': component,
  env: env.name,
});

/** Selects the serving pods only: a running migration Job must never receive traffic. */
export const serverSelector = (): Record<string, string> => ({
  'app.kubernetes.io/name': service.name,
  'app.kubernetes.io/component': 'server',
});

/** Selects every pod of the service (server and migration), for network rules both need. */
export const appSelector = (): Record<string, string> => ({ 'app.kubernetes.io/name': service.name });

/** The CloudNativePG cluster's name; CNPG labels its pods `cnpg.io/cluster: <name>`. */
export const DATABASE_CLUSTER = `${service.name}-db`;
