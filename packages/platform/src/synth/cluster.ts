import { type AddonSpec, addonsOf, awsLoadBalancerController } from '../spec/addons.js';
import type { ClusterSpec } from '../spec/clusters.js';
import type { EnvironmentSpec } from '../spec/environments.js';
import { alertmanagerValues, slackPlaceholderSecret, slackWebhookSecret } from './alertmanager.js';
import {
  addonApplication,
  argocdConfigApplication,
  environmentApplications,
  environmentAppOfApps,
  environmentLocalApplication,
  environmentProject,
  platformConfigApplication,
  platformProject,
} from './argocd.js';
import { argocdCm, argocdRbacCm } from './argocd-config.js';
import { defaultStorageClass, envoyProxy, loadBalancerControllerValues } from './aws.js';
import { gatewayNodePort, metricsServerKindValues, plainHttpRoute } from './kind.js';
import {
  argoRolloutsServiceMonitor,
  dashboardConfigMaps,
  type ObservabilityInputs,
  prometheusRule,
} from './monitoring.js';
import type { KubeObject } from './object.js';
import { rolloutNotificationsConfigMap } from './rollout-notifications.js';
import { gatewayObjects } from './routing.js';
import { clusterSecretStore } from './secrets.js';
import { clusterIssuer } from './tls.js';

/**
 * Argo CD's own config and the platform project: applied before Argo CD starts (the controller reads the
 * reconciliation settings at start only), then kept equal to git by `argocd-config`.
 */
export const argocdObjects = (
  cluster: ClusterSpec,
  environments: readonly EnvironmentSpec[],
): KubeObject[] => [argocdCm(), argocdRbacCm(environments), platformProject(addonsOf(cluster))];

/** The add-on's Helm values on this cluster. */
const addonValues = (
  cluster: ClusterSpec,
  addon: AddonSpec,
  observability: ObservabilityInputs,
): Readonly<Record<string, unknown>> => {
  if (addon.name === 'kube-prometheus-stack' && observability.alertmanager)
    return { ...addon.values, alertmanager: alertmanagerValues(observability.alertmanager) };
  if (addon.name === 'metrics-server' && cluster.provider === 'kind')
    return { ...addon.values, ...metricsServerKindValues };
  if (addon.name === awsLoadBalancerController.name && cluster.provider === 'eks')
    return loadBalancerControllerValues(cluster);
  return addon.values;
};

/** The root's children: projects, add-ons, Argo CD's config, the cluster config, and one app-of-apps per env. */
export const appObjects = (
  cluster: ClusterSpec,
  hosted: readonly EnvironmentSpec[],
  observability: ObservabilityInputs,
): KubeObject[] => [
  ...hosted.map(environmentProject),
  ...addonsOf(cluster).map((addon) => addonApplication(addon, addonValues(cluster, addon, observability))),
  argocdConfigApplication(cluster),
  platformConfigApplication(cluster),
  ...hosted.map((env) => environmentAppOfApps(cluster, env)),
];

/** One environment's Applications on this cluster (kind adds the route on its plain-HTTP listener). */
export const environmentAppObjects = (cluster: ClusterSpec, env: EnvironmentSpec): KubeObject[] => [
  ...environmentApplications(env),
  ...(cluster.provider === 'kind' ? [environmentLocalApplication(cluster, env)] : []),
];

/** What only this cluster adds to an environment it hosts; empty off kind. */
export const environmentLocalObjects = (cluster: ClusterSpec, env: EnvironmentSpec): KubeObject[] =>
  cluster.provider === 'kind' ? [plainHttpRoute(env)] : [];

/**
 * Cluster-level config that needs the add-ons' CRDs; on kind no AWS store and a placeholder Slack secret, on EKS
 * the default StorageClass and the EnvoyProxy that gives the Gateway its NLB.
 */
export const platformObjects = (
  cluster: ClusterSpec,
  hosted: readonly EnvironmentSpec[],
  observability: ObservabilityInputs,
): KubeObject[] => {
  const kind = cluster.provider === 'kind';
  const slack = kind ? slackPlaceholderSecret() : slackWebhookSecret(cluster);
  return [
    ...(cluster.provider === 'kind'
      ? [gatewayNodePort()]
      : [clusterSecretStore(), defaultStorageClass(cluster), envoyProxy()]),
    clusterIssuer(cluster),
    ...gatewayObjects(cluster, hosted),
    ...prometheusRule(observability),
    ...dashboardConfigMaps(observability),
    argoRolloutsServiceMonitor(),
    rolloutNotificationsConfigMap(),
    ...(observability.alertmanager ? [slack] : []),
  ];
};
