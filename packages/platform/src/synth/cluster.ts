import { type AddonSpec, addons } from '../spec/addons.js';
import type { EnvironmentSpec } from '../spec/environments.js';
import { alertmanagerValues, slackWebhookSecret } from './alertmanager.js';
import {
  addonApplication,
  argocdConfigApplication,
  environmentApplications,
  environmentProject,
  platformConfigApplication,
  platformProject,
  rootApplication,
} from './argocd.js';
import { argocdCm, argocdRbacCm } from './argocd-config.js';
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

/** What `runway up` applies once; afterwards Argo CD keeps it equal to git through `argocd-config`. */
export const bootstrapObjects = (environments: readonly EnvironmentSpec[]): KubeObject[] => [
  argocdCm(),
  argocdRbacCm(environments),
  platformProject(),
  rootApplication(),
];

/** The add-on's Helm values; kube-prometheus-stack's Alertmanager runs observability/alertmanager as it is. */
const addonValues = (
  addon: AddonSpec,
  observability: ObservabilityInputs,
): Readonly<Record<string, unknown>> =>
  addon.name === 'kube-prometheus-stack' && observability.alertmanager
    ? { ...addon.values, alertmanager: alertmanagerValues(observability.alertmanager) }
    : addon.values;

/** The root app's children: projects, add-ons, cluster config, and the environments. */
export const appObjects = (
  environments: readonly EnvironmentSpec[],
  observability: ObservabilityInputs,
): KubeObject[] => [
  ...environments.map(environmentProject),
  ...addons.map((addon) => addonApplication(addon, addonValues(addon, observability))),
  platformConfigApplication(),
  argocdConfigApplication(),
  ...environments.flatMap(environmentApplications),
];

/** Cluster-level config that needs the add-ons' CRDs. */
export const platformObjects = (
  environments: readonly EnvironmentSpec[],
  observability: ObservabilityInputs,
): KubeObject[] => [
  clusterSecretStore(),
  clusterIssuer(),
  ...gatewayObjects(environments),
  ...prometheusRule(observability),
  ...dashboardConfigMaps(observability),
  argoRolloutsServiceMonitor(),
  rolloutNotificationsConfigMap(),
  ...(observability.alertmanager ? [slackWebhookSecret()] : []),
];
