import type { IServiceMonitor } from '@kubernetes-models/prometheus-operator/monitoring.coreos.com/v1/ServiceMonitor';
import type { EnvironmentSpec } from '../spec/environments.js';
import { platform } from '../spec/repository.js';
import { service } from '../spec/service.js';
import type { AlertmanagerInputs } from './alertmanager.js';
import { type KubeObject, meta, typed } from './object.js';

/** What observability/ provides, when it exists at synth time. */
export interface ObservabilityInputs {
  /** observability/rules/links.rules.yaml, parsed: `{ groups: [...] }`. */
  readonly rules?: { readonly groups: readonly unknown[] };
  /** observability/dashboards/generated/*.json by file name (without `.json`), raw JSON text. */
  readonly dashboards: ReadonlyMap<string, string>;
  /** observability/alertmanager: alertmanager.yaml and templates/*.tmpl, for the cluster's Alertmanager. */
  readonly alertmanager?: AlertmanagerInputs;
}

/**
 * Scrapes the ops port. `job` comes from the Service's `app.kubernetes.io/name` (links); the operator adds
 * `namespace` and `pod`; `env` is copied from the pod label (docs/metrics.md).
 */
export const serviceMonitor = (env: EnvironmentSpec): KubeObject => ({
  apiVersion: 'monitoring.coreos.com/v1',
  kind: 'ServiceMonitor',
  metadata: meta(service.name, env.namespace),
  spec: typed<NonNullable<IServiceMonitor['spec']>>({
    jobLabel: 'app.kubernetes.io/name',
    selector: {
      matchLabels: { 'app.kubernetes.io/name': service.name, 'runway.dev/service-role': 'metrics' },
    },
    podTargetLabels: ['env'],
    endpoints: [
      {
        port: 'metrics',
        path: '/metrics',
        interval: '15s',
        // Only the catalog's labels: drop the operator's `service`, `endpoint` and `container` target labels.
        relabelings: [{ action: 'labeldrop', regex: 'service|endpoint|container' }],
      },
    ],
  }),
});

/** The rules apply to every environment (they group by `env`), so they live once, beside Prometheus. */
export const prometheusRule = (inputs: ObservabilityInputs): KubeObject[] =>
  inputs.rules === undefined
    ? []
    : [
        {
          apiVersion: 'monitoring.coreos.com/v1',
          kind: 'PrometheusRule',
          metadata: meta(service.name, platform.monitoringNamespace),
          spec: { groups: inputs.rules.groups },
        },
      ];

export const dashboardConfigMaps = (inputs: ObservabilityInputs): KubeObject[] =>
  [...inputs.dashboards.entries()]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([name, json]) => ({
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: meta(`dashboard-${name}`, platform.monitoringNamespace, { [platform.dashboardLabel]: '1' }),
      data: { [`${name}.json`]: json },
    }));

/**
 * The Argo Rollouts controller's metrics (the chart's metrics Service). `honorLabels` keeps each rollout's own
 * `namespace` label instead of renaming it `exported_namespace` in favour of the controller's namespace.
 */
export const argoRolloutsServiceMonitor = (): KubeObject => ({
  apiVersion: 'monitoring.coreos.com/v1',
  kind: 'ServiceMonitor',
  metadata: meta('argo-rollouts', 'argo-rollouts'),
  spec: typed<NonNullable<IServiceMonitor['spec']>>({
    selector: {
      matchLabels: {
        'app.kubernetes.io/component': 'rollouts-controller',
        'app.kubernetes.io/name': 'argo-rollouts',
        'app.kubernetes.io/instance': 'argo-rollouts',
      },
    },
    endpoints: [{ port: 'metrics', interval: '30s', honorLabels: true }],
  }),
});
