import type { IApplication } from '@kubernetes-models/argo-cd/argoproj.io/v1alpha1/Application';
import type { IAppProject } from '@kubernetes-models/argo-cd/argoproj.io/v1alpha1/AppProject';
import { type AddonSpec, CONFIG_WAVE, UNGATED_WAVE } from '../spec/addons.js';
import type { ClusterSpec } from '../spec/clusters.js';
import type { EnvironmentSpec } from '../spec/environments.js';
import { platform, repository } from '../spec/repository.js';
import { service } from '../spec/service.js';
import { paths } from './layout.js';
import { type KubeObject, meta, syncWave, typed } from './object.js';

type ApplicationSpec = IApplication['spec'];

export const PLATFORM_PROJECT = 'platform';
const IN_CLUSTER = 'https://kubernetes.default.svc';
/**
 * An Application with this label reports its health to its parent as Healthy (argocd-config.ts's health Lua), so
 * no sync wave and no parent waits on it (decision 18); its own status still shows its real health.
 */
export const HEALTH_GATE_LABEL = 'runway.dev/health-gate';
const UNGATED = { [HEALTH_GATE_LABEL]: 'none' };

const retry = { limit: 10, backoff: { duration: '10s', factor: 2, maxDuration: '5m' } };

const automated = (extraOptions: readonly string[] = []): NonNullable<ApplicationSpec['syncPolicy']> => ({
  automated: { prune: true, selfHeal: true },
  retry,
  syncOptions: ['PruneLast=true', ...extraOptions],
});

/** Namespaced kinds an environment may contain: everything synth renders there, nothing else. */
const ENVIRONMENT_KINDS: readonly (readonly [string, string])[] = [
  ['', 'ConfigMap'],
  ['', 'Service'],
  ['', 'ServiceAccount'],
  ['argoproj.io', 'AnalysisTemplate'],
  ['argoproj.io', 'Rollout'],
  ['autoscaling', 'HorizontalPodAutoscaler'],
  ['batch', 'Job'],
  ['external-secrets.io', 'ExternalSecret'],
  ['gateway.networking.k8s.io', 'HTTPRoute'],
  ['generators.external-secrets.io', 'Password'],
  ['monitoring.coreos.com', 'ServiceMonitor'],
  ['networking.k8s.io', 'NetworkPolicy'],
  ['policy', 'PodDisruptionBudget'],
  ['postgresql.cnpg.io', 'Cluster'],
];

/** Each environment's project: this repository only, its own namespace only, and no cluster-scoped kind but its Namespace. */
export const environmentProject = (env: EnvironmentSpec): KubeObject => ({
  apiVersion: 'argoproj.io/v1alpha1',
  kind: 'AppProject',
  metadata: meta(env.namespace, platform.argocdNamespace, { env: env.name }, syncWave(CONFIG_WAVE)),
  spec: typed<NonNullable<IAppProject['spec']>>({
    description: `links in ${env.name}`,
    sourceRepos: [repository.url],
    destinations: [{ server: IN_CLUSTER, namespace: env.namespace }],
    clusterResourceWhitelist: [{ group: '', kind: 'Namespace' }],
    namespaceResourceWhitelist: ENVIRONMENT_KINDS.map(([group, kind]) => ({ group, kind })),
    orphanedResources: { warn: true },
  }),
});

/** Add-ons are trusted, pinned upstream charts: they install CRDs, webhooks and cluster roles. */
export const platformProject = (clusterAddons: readonly AddonSpec[]): KubeObject => ({
  apiVersion: 'argoproj.io/v1alpha1',
  kind: 'AppProject',
  metadata: meta(PLATFORM_PROJECT, platform.argocdNamespace, {}, syncWave(CONFIG_WAVE)),
  spec: typed<NonNullable<IAppProject['spec']>>({
    description: 'Argo CD itself, cluster add-ons and cluster-level config',
    sourceRepos: [repository.url, ...new Set(clusterAddons.map((addon) => addon.repoURL))].sort(),
    destinations: [
      platform.argocdNamespace,
      platform.gatewayNamespace,
      ...clusterAddons.map((addon) => addon.namespace),
    ]
      .filter((namespace, index, all) => all.indexOf(namespace) === index)
      .sort()
      .map((namespace) => ({ server: IN_CLUSTER, namespace })),
    clusterResourceWhitelist: [{ group: '*', kind: '*' }],
  }),
});

const application = (
  name: string,
  project: string,
  wave: number,
  source: NonNullable<ApplicationSpec['source']>,
  destinationNamespace: string,
  syncPolicy: NonNullable<ApplicationSpec['syncPolicy']>,
  extra: {
    labels?: Record<string, string>;
    annotations?: Record<string, string>;
    ignoreDifferences?: ApplicationSpec['ignoreDifferences'];
  } = {},
): KubeObject => ({
  apiVersion: 'argoproj.io/v1alpha1',
  kind: 'Application',
  metadata: meta(name, platform.argocdNamespace, extra.labels ?? {}, {
    ...syncWave(wave),
    ...extra.annotations,
  }),
  spec: typed<NonNullable<IApplication['spec']>>({
    project,
    source,
    destination: { server: IN_CLUSTER, namespace: destinationNamespace },
    syncPolicy,
    ...(extra.ignoreDifferences ? { ignoreDifferences: extra.ignoreDifferences } : {}),
  }),
});

const gitSource = (path: string) => ({ repoURL: repository.url, targetRevision: repository.revision, path });

/** Every add-on syncs server-side: ESO's store CRDs alone are over the client-side annotation limit (decision 18). */
export const addonApplication = (
  addon: AddonSpec,
  values: Readonly<Record<string, unknown>> = addon.values,
): KubeObject =>
  application(
    addon.name,
    PLATFORM_PROJECT,
    addon.wave,
    {
      repoURL: addon.repoURL,
      targetRevision: addon.version,
      ...(addon.chart ? { chart: addon.chart } : { path: '.' }),
      helm: { releaseName: addon.name, valuesObject: values },
    },
    addon.namespace,
    automated(['CreateNamespace=true', 'ServerSideApply=true']),
  );

/** Cluster config that may stay Degraded until a person acts (Slack secret, DNS, certificates): gates nothing. */
export const platformConfigApplication = (cluster: ClusterSpec): KubeObject =>
  application(
    'platform-config',
    PLATFORM_PROJECT,
    UNGATED_WAVE,
    gitSource(paths.platform(cluster)),
    platform.monitoringNamespace,
    automated(),
    { labels: UNGATED },
  );

/**
 * Argo CD manages its own config, so a change to it is a reviewed commit too. Its path holds ConfigMaps and the
 * platform project, never an Application: the root is in no path any Application syncs, so no health cycle.
 */
export const argocdConfigApplication = (cluster: ClusterSpec): KubeObject =>
  application(
    'argocd-config',
    PLATFORM_PROJECT,
    CONFIG_WAVE,
    gitSource(paths.argocd(cluster)),
    platform.argocdNamespace,
    automated(),
  );

/**
 * The environment's own app-of-apps in the root's last wave, ungated: a Degraded environment never holds back the
 * platform or another environment (decision 18).
 */
export const environmentAppOfApps = (cluster: ClusterSpec, env: EnvironmentSpec): KubeObject =>
  application(
    `env-${env.name}`,
    PLATFORM_PROJECT,
    UNGATED_WAVE,
    gitSource(paths.envApps(cluster, env)),
    platform.argocdNamespace,
    automated(),
    { labels: { ...UNGATED, env: env.name } },
  );

/**
 * An environment's Applications, under its app-of-apps: `-base` (namespace, config, secrets, database, network)
 * syncs first, so the app's PreSync migration finds its database and secrets from the very first sync. Their
 * waves order only this environment's own Applications.
 */
export const environmentApplications = (env: EnvironmentSpec): KubeObject[] => [
  application(
    `${env.namespace}-base`,
    env.namespace,
    0,
    gitSource(paths.envBase(env)),
    env.namespace,
    automated(),
    { labels: { env: env.name } },
  ),
  application(
    env.namespace,
    env.namespace,
    1,
    gitSource(paths.envApp(env)),
    env.namespace,
    automated(['RespectIgnoreDifferences=true']),
    {
      labels: { env: env.name },
      // The HPA owns the replica count; self-heal must not fight it.
      ignoreDifferences: [
        { group: 'argoproj.io', kind: 'Rollout', name: service.name, jsonPointers: ['/spec/replicas'] },
      ],
    },
  ),
];

/** What only this cluster adds to the environment (kind.ts), in the environment's own project and namespace. */
export const environmentLocalApplication = (cluster: ClusterSpec, env: EnvironmentSpec): KubeObject =>
  application(
    `${env.namespace}-${cluster.name}`,
    env.namespace,
    1,
    gitSource(paths.envLocal(cluster, env)),
    env.namespace,
    automated(),
    { labels: { env: env.name } },
  );

/** The one Application applied by hand; everything else follows from git. */
export const rootApplication = (cluster: ClusterSpec): KubeObject =>
  application(
    'root',
    PLATFORM_PROJECT,
    0,
    gitSource(paths.apps(cluster)),
    platform.argocdNamespace,
    automated(),
  );
