import { addons } from '../spec/addons.js';
import type { EnvironmentSpec } from '../spec/environments.js';
import {
  addonApplication,
  argocdConfigApplication,
  environmentApplications,
  environmentProject,
  platformConfigApplication,
  platformProject,
  rootApplication,
} from './argocd.js';
import { argocdCm, argocdNotificationsCm, argocdRbacCm } from './argocd-config.js';
import { dashboardConfigMaps, type ObservabilityInputs, prometheusRule } from './monitoring.js';
import type { KubeObject } from './object.js';
import { gatewayObjects } from './routing.js';
import { clusterSecretStore } from './secrets.js';

/** What `runway up` applies once; afterwards Argo CD keeps it equal to git through `argocd-config`. */
export const bootstrapObjects = (environments: readonly EnvironmentSpec[]): KubeObject[] => [
  argocdCm(),
  argocdRbacCm(environments),
  argocdNotificationsCm(),
  platformProject(),
  rootApplication(),
];

/** The root app's children: projects, add-ons, cluster config, and the environments. */
export const appObjects = (environments: readonly EnvironmentSpec[]): KubeObject[] => [
  ...environments.map(environmentProject),
  ...addons.map(addonApplication),
  platformConfigApplication(),
  argocdConfigApplication(),
  ...environments.flatMap(environmentApplications),
];

/** Cluster-level config that needs the add-ons' CRDs. */
export const platformObjects = (observability: ObservabilityInputs): KubeObject[] => [
  clusterSecretStore(),
  ...gatewayObjects(),
  ...prometheusRule(observability),
  ...dashboardConfigMaps(observability),
];
