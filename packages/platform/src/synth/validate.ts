import { readFile } from 'node:fs/promises';
import { Ajv } from 'ajv';
import type { Finding } from '../policy/finding.js';
import { type KubeObject, objectId } from './object.js';

interface Validatable {
  validate(): void;
}
type ModelClass = new (data: never) => Validatable;

/**
 * A model for a CRD whose schema is vendored from the add-on's pinned version (schemas/README.md). CRD schemas
 * carry `x-kubernetes-*` keywords Ajv's strict mode rejects; they are not evaluated, the rest is.
 */
const vendoredCrd = (file: string) => async (): Promise<ModelClass> => {
  const schema = JSON.parse(await readFile(new URL(`./schemas/${file}`, import.meta.url), 'utf8')) as object;
  const ajv = new Ajv({ strict: false, allErrors: true, validateFormats: false });
  const check = ajv.compile(schema);
  return class {
    constructor(private readonly data: unknown) {}
    validate(): void {
      // The same wording as the kubernetes-models validators: `data/spec/... must be ...`.
      if (!check(this.data)) throw new Error(ajv.errorsText(check.errors, { separator: '; ' }));
    }
  };
};

/**
 * apiVersion/kind → the published schema (kubernetes-models for the core API, @kubernetes-models/* or a vendored
 * CRD schema for the add-ons' CRDs). Loaded on demand: each model module carries a large JSON schema.
 */
const models: Readonly<Record<string, () => Promise<ModelClass>>> = {
  'v1/Namespace': async () => (await import('kubernetes-models/v1/Namespace')).Namespace,
  'v1/ServiceAccount': async () => (await import('kubernetes-models/v1/ServiceAccount')).ServiceAccount,
  'v1/ConfigMap': async () => (await import('kubernetes-models/v1/ConfigMap')).ConfigMap,
  'v1/Secret': async () => (await import('kubernetes-models/v1/Secret')).Secret,
  'v1/Service': async () => (await import('kubernetes-models/v1/Service')).Service,
  'batch/v1/Job': async () => (await import('kubernetes-models/batch/v1/Job')).Job,
  'autoscaling/v2/HorizontalPodAutoscaler': async () =>
    (await import('kubernetes-models/autoscaling/v2/HorizontalPodAutoscaler')).HorizontalPodAutoscaler,
  'policy/v1/PodDisruptionBudget': async () =>
    (await import('kubernetes-models/policy/v1/PodDisruptionBudget')).PodDisruptionBudget,
  'networking.k8s.io/v1/NetworkPolicy': async () =>
    (await import('kubernetes-models/networking.k8s.io/v1/NetworkPolicy')).NetworkPolicy,
  'argoproj.io/v1alpha1/Rollout': async () =>
    (await import('@kubernetes-models/argo-rollouts/argoproj.io/v1alpha1/Rollout')).Rollout,
  'argoproj.io/v1alpha1/AnalysisTemplate': async () =>
    (await import('@kubernetes-models/argo-rollouts/argoproj.io/v1alpha1/AnalysisTemplate')).AnalysisTemplate,
  'argoproj.io/v1alpha1/Application': async () =>
    (await import('@kubernetes-models/argo-cd/argoproj.io/v1alpha1/Application')).Application,
  'argoproj.io/v1alpha1/AppProject': async () =>
    (await import('@kubernetes-models/argo-cd/argoproj.io/v1alpha1/AppProject')).AppProject,
  'external-secrets.io/v1/ExternalSecret': async () =>
    (await import('@kubernetes-models/external-secrets/external-secrets.io/v1/ExternalSecret'))
      .ExternalSecret,
  'external-secrets.io/v1/ClusterSecretStore': async () =>
    (await import('@kubernetes-models/external-secrets/external-secrets.io/v1/ClusterSecretStore'))
      .ClusterSecretStore,
  'generators.external-secrets.io/v1alpha1/Password': async () =>
    (await import('@kubernetes-models/external-secrets/generators.external-secrets.io/v1alpha1/Password'))
      .Password,
  'gateway.networking.k8s.io/v1/HTTPRoute': async () =>
    (await import('@kubernetes-models/gateway-api/gateway.networking.k8s.io/v1/HTTPRoute')).HTTPRoute,
  'gateway.networking.k8s.io/v1/Gateway': async () =>
    (await import('@kubernetes-models/gateway-api/gateway.networking.k8s.io/v1/Gateway')).Gateway,
  'gateway.networking.k8s.io/v1/GatewayClass': async () =>
    (await import('@kubernetes-models/gateway-api/gateway.networking.k8s.io/v1/GatewayClass')).GatewayClass,
  'storage.k8s.io/v1/StorageClass': async () =>
    (await import('kubernetes-models/storage.k8s.io/v1/StorageClass')).StorageClass,
  'cert-manager.io/v1/ClusterIssuer': vendoredCrd('cert-manager.io_v1_clusterissuer.json'),
  'gateway.envoyproxy.io/v1alpha1/EnvoyProxy': vendoredCrd('gateway.envoyproxy.io_v1alpha1_envoyproxy.json'),
  'postgresql.cnpg.io/v1/Cluster': async () =>
    (await import('@kubernetes-models/cloudnative-pg/postgresql.cnpg.io/v1/Cluster')).Cluster,
  'monitoring.coreos.com/v1/ServiceMonitor': async () =>
    (await import('@kubernetes-models/prometheus-operator/monitoring.coreos.com/v1/ServiceMonitor'))
      .ServiceMonitor,
  'monitoring.coreos.com/v1/PrometheusRule': async () =>
    (await import('@kubernetes-models/prometheus-operator/monitoring.coreos.com/v1/PrometheusRule'))
      .PrometheusRule,
};

const POLICY = 'schema/valid';

const loaded = async (objects: readonly KubeObject[]): Promise<Map<string, ModelClass>> => {
  const keys = [...new Set(objects.map(modelKey))].filter((key) => models[key] !== undefined);
  // Loading a schema module is most of the cost of a cold run; start them all at once.
  const classes = await Promise.all(keys.map((key) => (models[key] as () => Promise<ModelClass>)()));
  return new Map(keys.map((key, index) => [key, classes[index] as ModelClass]));
};

const modelKey = (object: KubeObject): string => `${object.apiVersion}/${object.kind}`;

/** Validates each object against its schema; an unknown kind is a finding too (nothing ships unvalidated). */
export const validateObjects = async (objects: readonly KubeObject[]): Promise<Finding[]> => {
  const classes = await loaded(objects);
  return objects.flatMap((object): Finding[] => {
    const target = objectId(object);
    const Model = classes.get(modelKey(object));
    if (!Model) {
      return [
        {
          policy: POLICY,
          severity: 'error',
          target,
          path: 'kind',
          message: `no schema for ${object.apiVersion} ${object.kind}`,
        },
      ];
    }
    try {
      new Model(structuredClone(object) as never).validate();
      return [];
    } catch (error) {
      return [{ policy: POLICY, severity: 'error', target, path: '', message: (error as Error).message }];
    }
  });
};
