import { awsLoadBalancerController } from '../spec/addons.js';
import type { ClusterSpec, EksClusterSpec } from '../spec/clusters.js';
import { environment } from '../spec/environments.js';
import { platform, repository } from '../spec/repository.js';
import { HEALTH_GATE_LABEL } from './argocd.js';
import {
  EBS_CSI_PROVISIONER,
  ENVOY_PROXY_GROUP,
  GATEWAY_SERVICE_ANNOTATIONS,
  IS_DEFAULT_CLASS,
  LOAD_BALANCER_CONTROLLER_SERVICE_ACCOUNT,
} from './aws.js';
import { type KubeObject, objectId } from './object.js';
import type { RenderedDirectory } from './render.js';

/**
 * What Argo CD, External Secrets and Gateway API do with a cluster's rendered objects, written as checks over
 * them (decision 21): each rule names the upstream source, at the pinned version, that it rests on. A finding
 * names the object and says what cannot work on that cluster. Pure: a cluster's view (its tree and the trees of
 * the environments it hosts) in, findings out.
 */

interface AppSpec {
  source?: { repoURL?: string; path?: string; chart?: string };
  destination?: { namespace?: string };
  syncPolicy?: { syncOptions?: string[] };
}

const applications = (dir: RenderedDirectory): KubeObject[] =>
  dir.objects.filter((object) => object.kind === 'Application');
const specOf = (app: KubeObject): AppSpec => (app.spec ?? {}) as AppSpec;
const waveOf = (object: KubeObject): number =>
  Number(object.metadata.annotations?.['argocd.argoproj.io/sync-wave'] ?? '0');
const isUngated = (app: KubeObject): boolean => app.metadata.labels?.[HEALTH_GATE_LABEL] === 'none';
const isChart = (app: KubeObject): boolean => specOf(app).source?.repoURL !== repository.url;
const envOf = (app: KubeObject): string | undefined => app.metadata.labels?.env;
/** Argo CD's own config: ConfigMaps and projects in its namespace, which have no health to wait for. */
const isArgocdConfig = (app: KubeObject): boolean =>
  envOf(app) === undefined && specOf(app).destination?.namespace === platform.argocdNamespace;

/**
 * No Application's health depends on itself. Argo CD v3.3 `controller/health.go` setApplicationHealth folds every
 * managed resource's health into the app's, skipping only the app itself (isSelfReferencedApp in
 * `controller/appcontroller.go`) and child Applications that are Missing/Unknown; with the Application health
 * Lua (argocd-cm, `docs/operator-manual/health.md`), a child Application counts with its own health. So an app
 * that syncs a directory holding its own parent waits on itself through the parent (defect 2). Children labelled
 * ungated report Healthy through the Lua and carry no dependency.
 */
export const healthCycles = (view: readonly RenderedDirectory[]): string[] => {
  const byName = new Map<string, KubeObject>();
  const children = new Map<string, string[]>();
  for (const dir of view) for (const app of applications(dir)) byName.set(app.metadata.name, app);
  for (const app of byName.values()) {
    const path = specOf(app).source?.path;
    const managed = isChart(app) ? [] : view.filter((dir) => dir.dir === path).flatMap(applications);
    children.set(
      app.metadata.name,
      managed
        .filter((child) => child.metadata.name !== app.metadata.name && !isUngated(child))
        .map((child) => child.metadata.name),
    );
  }
  const findings: string[] = [];
  const reported = new Set<string>();
  const visit = (name: string, trail: readonly string[]): void => {
    const start = trail.indexOf(name);
    if (start >= 0) {
      const cycle = [...trail.slice(start), name];
      const key = [...cycle.slice(0, -1)].sort().join(',');
      if (!reported.has(key)) {
        reported.add(key);
        findings.push(
          `health cycle: ${cycle.join(' → ')} (each waits on the next's health, the last is the first)`,
        );
      }
      return;
    }
    for (const child of children.get(name) ?? []) visit(child, [...trail, name]);
  };
  for (const name of byName.keys()) visit(name, []);
  return findings;
};

/**
 * Every add-on syncs with server-side apply: client-side apply stores the whole object in the
 * `last-applied-configuration` annotation, limited to 262,144 bytes, and External Secrets v2.9.0's
 * `config/crds/bases/external-secrets.io_secretstores.yaml` alone is 689,830 bytes of YAML (defect 1). Argo CD v3.3
 * gitops-engine `pkg/sync/sync_context.go` shouldUseServerSideApply reads the `ServerSideApply=true` sync option.
 */
export const clientSideAddons = (view: readonly RenderedDirectory[]): string[] =>
  view
    .flatMap(applications)
    .filter((app) => isChart(app) && !specOf(app).syncPolicy?.syncOptions?.includes('ServerSideApply=true'))
    .map(
      (app) =>
        `${objectId(app)}: an add-on without ServerSideApply=true; its CRDs can exceed the apply limit`,
    );

interface ExternalSecretSpec {
  secretStoreRef?: { kind?: string; name?: string };
  data?: { remoteRef?: { key?: string } }[];
}
interface StoreSpec {
  provider?: { aws?: { auth?: unknown } };
}

/**
 * Every object can be satisfied on the cluster that runs it: the store an ExternalSecret names is rendered there,
 * a store on kind (no AWS account) or one with an `auth` block (it bypasses Pod Identity: External Secrets v2.9.0
 * `providers/v1/aws/auth/auth.go` constructCredsProvider uses the SDK default chain only without one) cannot
 * authenticate, a remote key (a secret's name, or its ARN) is one the cluster's Pod Identity role may read
 * (`runway/<hosted env>/…` or `runway/<cluster>/…`: infra/terraform/modules/cluster), every environment Application deploys an
 * environment the cluster hosts, and every route's listener exists on the cluster's Gateway.
 */
/** A Secrets Manager ARN names the secret after `secret:`; ESO accepts the name or the ARN as a remote key. */
const SECRETS_MANAGER_ARN_PREFIX = /^arn:aws[a-z-]*:secretsmanager:[^:]*:[0-9]*:secret:/;

export const unsatisfiable = (cluster: ClusterSpec, view: readonly RenderedDirectory[]): string[] => {
  const objects = view.flatMap((dir) => dir.objects);
  const stores = objects.filter((object) => object.kind === 'ClusterSecretStore');
  const findings: string[] = [];
  for (const store of stores) {
    if (cluster.provider === 'kind')
      findings.push(`${objectId(store)}: a cloud secret store on kind, where nothing can authenticate to it`);
    else if ((store.spec as StoreSpec).provider?.aws?.auth !== undefined)
      findings.push(`${objectId(store)}: an auth block bypasses EKS Pod Identity; remove it`);
  }
  const prefixes = [...cluster.environments, cluster.name].map((name) => `runway/${name}/`);
  for (const secret of objects.filter((object) => object.kind === 'ExternalSecret')) {
    const spec = secret.spec as ExternalSecretSpec;
    const ref = spec.secretStoreRef;
    if (ref && !stores.some((store) => store.metadata.name === ref.name))
      findings.push(`${objectId(secret)}: its store ${ref.name} is not rendered on cluster ${cluster.name}`);
    for (const key of (spec.data ?? []).map((entry) => entry.remoteRef?.key ?? '')) {
      const name = key.replace(SECRETS_MANAGER_ARN_PREFIX, '');
      if (!prefixes.some((prefix) => name.startsWith(prefix)))
        findings.push(
          `${objectId(secret)}: ${key} is outside what cluster ${cluster.name}'s identity may read`,
        );
    }
  }
  const hosted = cluster.environments.map((name) => environment(name).namespace);
  for (const app of view.flatMap(applications)) {
    const namespace = specOf(app).destination?.namespace ?? '';
    if (namespace.startsWith('links-') && !hosted.includes(namespace))
      findings.push(`${objectId(app)}: deploys ${namespace}, which cluster ${cluster.name} does not host`);
  }
  const listeners = new Set(
    objects
      .filter((object) => object.kind === 'Gateway')
      .flatMap((gateway) =>
        ((gateway.spec as { listeners?: { name: string }[] }).listeners ?? []).map(
          (listener) => `${gateway.metadata.namespace}/${gateway.metadata.name}/${listener.name}`,
        ),
      ),
  );
  for (const route of objects.filter((object) => object.kind === 'HTTPRoute')) {
    const refs = (route.spec as { parentRefs?: { name: string; namespace?: string; sectionName?: string }[] })
      .parentRefs;
    for (const ref of refs ?? []) {
      const key = `${ref.namespace ?? route.metadata.namespace}/${ref.name}/${ref.sectionName ?? ''}`;
      if (!listeners.has(key)) findings.push(`${objectId(route)}: no listener ${key} on this cluster`);
    }
  }
  return findings;
};

/**
 * Nothing waits on what it does not need (decision 18). Argo CD v3.3 gitops-engine `pkg/sync/sync_context.go`
 * (the running-task health check of Sync): a wave starts only once every resource of the earlier waves of the
 * same Application is Healthy, and a Degraded one fails the whole operation. So within one directory an
 * environment's Application may follow only its own environment's Applications, the add-ons and Argo CD's own
 * config (ConfigMaps and projects, Healthy once applied), and no gated
 * environment Application may have anything after it.
 */
export const crossEnvironmentWaits = (view: readonly RenderedDirectory[]): string[] =>
  view.flatMap((dir) => {
    const apps = applications(dir);
    return apps.flatMap((app) => {
      const env = envOf(app);
      const earlier = apps.filter((other) => waveOf(other) < waveOf(app) && !isUngated(other));
      const foreign = env
        ? earlier.filter((other) => envOf(other) !== env && !isChart(other) && !isArgocdConfig(other))
        : earlier.filter((other) => envOf(other) !== undefined);
      return foreign.map(
        (other) => `${objectId(app)} waits on ${objectId(other)}, outside ${env ? `env ${env}` : 'any env'}`,
      );
    });
  });

/**
 * No Rollout field that does nothing: `abortScaleDownDelaySeconds` applies to a canary with traffic routing only
 * (Argo Rollouts v1.8.4 `docs/features/scaledown-aborted-rs.md`: basic canary "N/A", a rolling update back to
 * stable), so on a basic canary it promises a delay that never happens.
 */
export const inertRolloutFields = (view: readonly RenderedDirectory[]): string[] =>
  view
    .flatMap((dir) => dir.objects)
    .filter((object) => object.kind === 'Rollout')
    .flatMap((rollout) => {
      const canary = (rollout.spec as { strategy?: { canary?: Record<string, unknown> } }).strategy?.canary;
      return canary && 'abortScaleDownDelaySeconds' in canary && !('trafficRouting' in canary)
        ? [`${objectId(rollout)}: abortScaleDownDelaySeconds does nothing without trafficRouting`]
        : [];
    });

interface StorageClassFields {
  provisioner?: string;
  volumeBindingMode?: string;
  parameters?: Record<string, string>;
}

/**
 * EKS volumes: CloudNativePG's PVCs name no class, so Kubernetes' DefaultStorageClass admission gives them the
 * class annotated `storageclass.kubernetes.io/is-default-class: "true"`, and without one they stay Pending. EKS has
 * no usable default of its own for the EBS CSI driver, so the tree must hold exactly one: the EBS CSI provisioner,
 * `encrypted: "true"` with the cluster's volumes key (Terraform `default_storage_class`, modules/cluster/storage.tf;
 * without `encrypted` the driver ignores `kmsKeyId`), bound where the pod lands (`WaitForFirstConsumer`: an EBS
 * volume lives in one zone).
 */
const storageFindings = (cluster: EksClusterSpec, objects: readonly KubeObject[]): string[] => {
  const defaults = objects.filter(
    (object) => object.kind === 'StorageClass' && object.metadata.annotations?.[IS_DEFAULT_CLASS] === 'true',
  );
  if (defaults.length !== 1)
    return [
      `cluster ${cluster.name}: ${defaults.length} default StorageClasses; PVCs without a class need one`,
    ];
  const [storageClass] = defaults as [KubeObject];
  const fields = storageClass as StorageClassFields;
  const wanted: [string, string | undefined, string][] = [
    ['provisioner', fields.provisioner, EBS_CSI_PROVISIONER],
    ['volumeBindingMode', fields.volumeBindingMode, 'WaitForFirstConsumer'],
    ['parameters.type', fields.parameters?.type, 'gp3'],
    ['parameters.encrypted', fields.parameters?.encrypted, 'true'],
    ['parameters.kmsKeyId', fields.parameters?.kmsKeyId, cluster.aws.volumesKmsKeyArn],
  ];
  return wanted
    .filter(([, actual, expected]) => actual !== expected)
    .map(([field, actual, expected]) => `${objectId(storageClass)}: ${field} is ${actual}, not ${expected}`);
};

interface LoadBalancerControllerValues {
  clusterName?: string;
  serviceAccount?: { name?: string };
}

/**
 * The AWS Load Balancer Controller runs on EKS only, as `runway-<cluster>` (module.eks.cluster_name) under the
 * service account of its Pod Identity association (modules/cluster/pod-identity.tf: kube-system /
 * aws-load-balancer-controller; another name gets no credentials), and before every other add-on and the Gateway:
 * its Service webhook fails every Service creation until it serves (eks-charts 3.5.0 `templates/webhook.yaml`).
 */
const loadBalancerControllerFindings = (cluster: ClusterSpec, apps: readonly KubeObject[]): string[] => {
  const controllers = apps.filter((app) => specOf(app).source?.chart === awsLoadBalancerController.chart);
  if (cluster.provider === 'kind')
    return controllers.map(
      (app) => `${objectId(app)}: the AWS Load Balancer Controller on kind, with no AWS`,
    );
  const [controller] = controllers;
  if (controllers.length !== 1 || !controller)
    return [`cluster ${cluster.name}: ${controllers.length} AWS Load Balancer Controllers, not one`];
  const id = objectId(controller);
  const spec = controller.spec as AppSpec & {
    source?: { helm?: { valuesObject?: LoadBalancerControllerValues } };
  };
  const values = spec.source?.helm?.valuesObject ?? {};
  const findings: string[] = [];
  if (values.clusterName !== `runway-${cluster.name}`)
    findings.push(`${id}: clusterName ${values.clusterName} is not runway-${cluster.name}`);
  if (
    spec.destination?.namespace !== awsLoadBalancerController.namespace ||
    values.serviceAccount?.name !== LOAD_BALANCER_CONTROLLER_SERVICE_ACCOUNT
  )
    findings.push(
      `${id}: runs as ${spec.destination?.namespace}/${values.serviceAccount?.name}, not the Pod Identity association's ${awsLoadBalancerController.namespace}/${LOAD_BALANCER_CONTROLLER_SERVICE_ACCOUNT}`,
    );
  const later = apps.filter((app) => app !== controller && waveOf(app) <= waveOf(controller) && isChart(app));
  for (const app of later)
    findings.push(`${id}: not before ${objectId(app)}, whose Services its webhook rejects`);
  const gatewayApp = apps.find((app) => specOf(app).source?.path?.endsWith('/platform'));
  if (gatewayApp && waveOf(gatewayApp) <= waveOf(controller))
    findings.push(`${id}: not before ${objectId(gatewayApp)}, which holds the Gateway`);
  return findings;
};

interface GatewayClassFields {
  parametersRef?: { group?: string; kind?: string; name?: string; namespace?: string };
}
interface EnvoyProxyFields {
  provider?: { type?: string; kubernetes?: { envoyService?: { annotations?: Record<string, string> } } };
}

/**
 * The Gateway's proxy Service gets an internet-facing NLB with IP targets only through the annotations of
 * Terraform's `gateway_service_annotations`, which Envoy Gateway v1.7.1 copies from the EnvoyProxy its GatewayClass
 * names (`api/v1alpha1/envoyproxy_types.go` provider.kubernetes.envoyService.annotations). `helpers.go`
 * refsEnvoyProxy accepts only group gateway.envoyproxy.io and kind EnvoyProxy; `controller.go`
 * processGatewayClassParamsRef reads a ref without namespace from `default`.
 */
const gatewayServiceFindings = (cluster: ClusterSpec, objects: readonly KubeObject[]): string[] => {
  if (cluster.provider === 'kind') return [];
  return objects
    .filter((object) => object.kind === 'GatewayClass')
    .flatMap((gatewayClass) => {
      const id = objectId(gatewayClass);
      const ref = (gatewayClass.spec as GatewayClassFields).parametersRef;
      if (ref?.group !== ENVOY_PROXY_GROUP || ref.kind !== 'EnvoyProxy' || ref.namespace === undefined)
        return [`${id}: no parametersRef to a ${ENVOY_PROXY_GROUP} EnvoyProxy with its namespace; no NLB`];
      const proxy = objects.find(
        (object) =>
          object.kind === 'EnvoyProxy' &&
          object.metadata.name === ref.name &&
          object.metadata.namespace === ref.namespace,
      );
      if (!proxy) return [`${id}: its EnvoyProxy ${ref.namespace}/${ref.name} is not rendered`];
      const provider = (proxy.spec as EnvoyProxyFields).provider;
      const annotations = provider?.kubernetes?.envoyService?.annotations ?? {};
      return Object.entries(GATEWAY_SERVICE_ANNOTATIONS)
        .filter(([key, value]) => provider?.type !== 'Kubernetes' || annotations[key] !== value)
        .map(([key, value]) => `${objectId(proxy)}: the proxy Service lacks ${key}: ${value}`);
    });
};

/** What an EKS cluster needs from Terraform's outputs to come up, and what kind must not have (issue 14). */
export const clusterPrerequisites = (cluster: ClusterSpec, view: readonly RenderedDirectory[]): string[] => {
  const objects = view.flatMap((dir) => dir.objects);
  return [
    ...(cluster.provider === 'eks' ? storageFindings(cluster, objects) : []),
    ...loadBalancerControllerFindings(cluster, view.flatMap(applications)),
    ...gatewayServiceFindings(cluster, objects),
  ];
};
