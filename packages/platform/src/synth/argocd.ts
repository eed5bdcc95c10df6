import type { IApplication } from '@kubernetes-models/argo-cd/argoproj.io/v1alpha1/Application';
import type { IAppProject } from '@kubernetes-models/argo-cd/argoproj.io/v1alpha1/AppProject';
import { type AddonSpec, addons, ENVIRONMENT_WAVE, PLATFORM_CONFIG_WAVE } from '../spec/addons.js';
import type { EnvironmentSpec } from '../spec/environments.js';
import { platform, repository } from '../spec/repository.js';
import { service } from '../spec/service.js';
import { type KubeObject, meta, syncWave, typed } from './object.js';

type ApplicationSpec = IApplication['spec'];

export const PLATFORM_PROJECT = 'platform';
const IN_CLUSTER = 'https://kubernetes.default.svc';

/** Paths of deploy/ that Argo CD syncs; render.ts writes the files there. */
export const paths = {
  bootstrap: `${repository.deployDir}/argocd/bootstrap`,
  apps: `${repository.deployDir}/argocd/apps`,
  platform: `${repository.deployDir}/platform`,
  envBase: (env: EnvironmentSpec) => `${repository.deployDir}/envs/${env.name}/base`,
  envApp: (env: EnvironmentSpec) => `${repository.deployDir}/envs/${env.name}/app`,
};

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
  metadata: meta(
    env.namespace,
    platform.argocdNamespace,
    { env: env.name },
    syncWave(PLATFORM_CONFIG_WAVE - 10),
  ),
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
export const platformProject = (): KubeObject => ({
  apiVersion: 'argoproj.io/v1alpha1',
  kind: 'AppProject',
  metadata: meta(PLATFORM_PROJECT, platform.argocdNamespace, {}, syncWave(PLATFORM_CONFIG_WAVE - 10)),
  spec: typed<NonNullable<IAppProject['spec']>>({
    description: 'Argo CD itself, cluster add-ons and cluster-level config',
    sourceRepos: [repository.url, ...addons.map((addon) => addon.repoURL)].sort(),
    destinations: [
      platform.argocdNamespace,
      platform.gatewayNamespace,
      ...addons.map((addon) => addon.namespace),
    ]
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
    automated(['CreateNamespace=true', ...(addon.serverSideApply ? ['ServerSideApply=true'] : [])]),
  );

export const platformConfigApplication = (): KubeObject =>
  application(
    'platform-config',
    PLATFORM_PROJECT,
    PLATFORM_CONFIG_WAVE,
    gitSource(paths.platform),
    platform.monitoringNamespace,
    automated(),
  );

/** Argo CD manages its own config and this root, so a change to them is a reviewed commit too. */
export const argocdConfigApplication = (): KubeObject =>
  application(
    'argocd-config',
    PLATFORM_PROJECT,
    PLATFORM_CONFIG_WAVE,
    gitSource(paths.bootstrap),
    platform.argocdNamespace,
    automated(),
  );

/**
 * Two Applications per environment: `-base` (namespace, config, secrets, database, network) syncs first, so the
 * app's PreSync migration finds its database and secrets from the very first sync.
 */
export const environmentApplications = (env: EnvironmentSpec): KubeObject[] => [
  application(
    `${env.namespace}-base`,
    env.namespace,
    ENVIRONMENT_WAVE,
    gitSource(paths.envBase(env)),
    env.namespace,
    automated(),
    {
      labels: { env: env.name },
    },
  ),
  application(
    env.namespace,
    env.namespace,
    ENVIRONMENT_WAVE + 1,
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

/** The one object `runway up` applies by hand; everything else follows from git. */
export const rootApplication = (): KubeObject =>
  application('root', PLATFORM_PROJECT, 0, gitSource(paths.apps), platform.argocdNamespace, automated());
