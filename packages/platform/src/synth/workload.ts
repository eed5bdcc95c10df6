import type { IRollout } from '@kubernetes-models/argo-rollouts/argoproj.io/v1alpha1/Rollout';
import type { IHorizontalPodAutoscalerSpec } from 'kubernetes-models/autoscaling/v2/HorizontalPodAutoscalerSpec';
import type { IJobSpec } from 'kubernetes-models/batch/v1/JobSpec';
import type { IPodDisruptionBudgetSpec } from 'kubernetes-models/policy/v1/PodDisruptionBudgetSpec';
import type { IPodSecurityContext } from 'kubernetes-models/v1/PodSecurityContext';
import type { IPodTemplateSpec } from 'kubernetes-models/v1/PodTemplateSpec';
import type { IProbe } from 'kubernetes-models/v1/Probe';
import type { ISecurityContext } from 'kubernetes-models/v1/SecurityContext';
import type { IServiceSpec } from 'kubernetes-models/v1/ServiceSpec';
import type { ITopologySpreadConstraint } from 'kubernetes-models/v1/TopologySpreadConstraint';
import { imageReference, type ReleasePointer } from '../release/pointer.js';
import { type EnvironmentSpec, scaleDown } from '../spec/environments.js';
import { DATABASE_CA_MOUNT } from '../spec/prod-database.js';
import { service } from '../spec/service.js';
import { type Component, podLabels, serverSelector } from './labels.js';
import { nodeOptionsFor } from './node-heap.js';
import { type KubeObject, meta, typed } from './object.js';
import { rolloutNotificationAnnotations } from './rollout-notifications.js';
import { databaseUrlSecret, SESSION_SECRET_NAME } from './secrets.js';

const CONFIG_NAME = `${service.name}-config`;
export const STABLE_SERVICE = `${service.name}-stable`;
export const CANARY_SERVICE = `${service.name}-canary`;
export const METRICS_SERVICE = `${service.name}-metrics`;

export const namespace = (env: EnvironmentSpec): KubeObject => ({
  apiVersion: 'v1',
  kind: 'Namespace',
  metadata: meta(env.namespace, undefined, {
    env: env.name,
    // Pod Security Admission rejects anything below "restricted" in this namespace.
    'pod-security.kubernetes.io/enforce': 'restricted',
    'pod-security.kubernetes.io/enforce-version': 'latest',
    'pod-security.kubernetes.io/audit': 'restricted',
    'pod-security.kubernetes.io/warn': 'restricted',
    'runway.dev/gateway-access': 'true',
  }),
});

export const serviceAccount = (env: EnvironmentSpec): KubeObject => ({
  apiVersion: 'v1',
  kind: 'ServiceAccount',
  metadata: meta(service.name, env.namespace),
  // The service never talks to the Kubernetes API.
  automountServiceAccountToken: false,
});

/** Non-secret settings (docs/service-contract.md); secrets arrive by secretKeyRef from ExternalSecrets. */
export const configMap = (env: EnvironmentSpec): KubeObject => ({
  apiVersion: 'v1',
  kind: 'ConfigMap',
  metadata: meta(CONFIG_NAME, env.namespace),
  data: {
    NODE_ENV: 'production',
    HOST: '0.0.0.0',
    PORT: String(service.ports.http),
    OPS_PORT: String(service.ports.ops),
    LOG_LEVEL: env.logLevel,
    NODE_OPTIONS: nodeOptionsFor(env.resources.limits.memory),
    // Exactly the gateway's hop (apps/links/src/http/proxy-trust.ts): Envoy Gateway appends the peer it saw.
    TRUST_PROXY: '1',
    DATABASE_POOL_MAX: '10',
    SHUTDOWN_GRACE_MS: String(service.shutdown.graceMs),
    SHUTDOWN_TIMEOUT_MS: String(service.shutdown.timeoutMs),
    // Dev takes canary drills (PUT /faults on the never-routed ops port); no other environment can.
    FAULT_INJECTION: env.name === 'dev' ? 'enabled' : 'disabled',
  },
});

const secretEnv = (env: EnvironmentSpec) => {
  const database = databaseUrlSecret(env);
  return [
    { name: 'DATABASE_URL', valueFrom: { secretKeyRef: { name: database.name, key: database.key } } },
    { name: 'SESSION_SECRET', valueFrom: { secretKeyRef: { name: SESSION_SECRET_NAME, key: 'secret' } } },
  ];
};

/** On RDS: Node's trust store plus the mounted CA bundle, read once at start (DATABASE_CA_MOUNT says why not the URL). */
const databaseCaEnv = (env: EnvironmentSpec) =>
  env.database.kind === 'rds'
    ? [{ name: 'NODE_EXTRA_CA_CERTS', value: `${DATABASE_CA_MOUNT.dir}/${DATABASE_CA_MOUNT.file}` }]
    : [];

const releaseEnv = (pointer: ReleasePointer) => [
  { name: 'GIT_SHA', value: pointer.gitSha },
  { name: 'IMAGE_DIGEST', value: pointer.digest },
];

const containerSecurity: ISecurityContext = {
  runAsNonRoot: true,
  runAsUser: service.user,
  runAsGroup: service.user,
  allowPrivilegeEscalation: false,
  readOnlyRootFilesystem: true,
  capabilities: { drop: ['ALL'] },
  seccompProfile: { type: 'RuntimeDefault' },
};

const podSecurity: IPodSecurityContext = {
  runAsNonRoot: true,
  runAsUser: service.user,
  runAsGroup: service.user,
  fsGroup: service.user,
  seccompProfile: { type: 'RuntimeDefault' },
};

const scratchVolume = { name: 'tmp', emptyDir: { sizeLimit: '64Mi' } };
const scratchMount = { name: 'tmp', mountPath: service.scratchDir };

const DATABASE_CA_NAME = 'database-ca';

/** The RDS CA bundle prod's pods add to their trust store (`NODE_EXTRA_CA_CERTS`), as a ConfigMap in prod's namespace. */
export const databaseCaConfigMap = (env: EnvironmentSpec, pem: string): KubeObject => ({
  apiVersion: 'v1',
  kind: 'ConfigMap',
  metadata: meta(DATABASE_CA_NAME, env.namespace),
  data: { [DATABASE_CA_MOUNT.file]: pem },
});

/**
 * The scratch volume, and on RDS the CA bundle. Its ConfigMap is not optional: until the bundle is committed the
 * pods stay ContainerCreating with an event naming it, rather than start and fail every connection.
 */
const podVolumes = (env: EnvironmentSpec) => [
  scratchVolume,
  ...(env.database.kind === 'rds'
    ? [{ name: DATABASE_CA_NAME, configMap: { name: DATABASE_CA_NAME, optional: false } }]
    : []),
];

const containerMounts = (env: EnvironmentSpec) => [
  scratchMount,
  ...(env.database.kind === 'rds'
    ? [{ name: DATABASE_CA_NAME, mountPath: DATABASE_CA_MOUNT.dir, readOnly: true }]
    : []),
];

const httpProbe = (path: string, periodSeconds: number, failureThreshold: number): IProbe => ({
  httpGet: { path, port: 'http' },
  periodSeconds,
  failureThreshold,
  timeoutSeconds: 2,
});

const podMetadata = (env: EnvironmentSpec, component: Component) => ({
  labels: { 'app.kubernetes.io/part-of': service.partOf, ...podLabels(env, component) },
});

/** Spread across zones first (a zone outage leaves pods), then nodes (a drain leaves pods). */
const topologySpread = (env: EnvironmentSpec): ITopologySpreadConstraint[] =>
  (['topology.kubernetes.io/zone', 'kubernetes.io/hostname'] as const).map((topologyKey) => ({
    topologyKey,
    maxSkew: 1,
    whenUnsatisfiable: env.name === 'prod' ? 'DoNotSchedule' : 'ScheduleAnyway',
    labelSelector: { matchLabels: serverSelector() },
    // Without this, the old and new ReplicaSets' pods would count together during a canary.
    matchLabelKeys: ['rollouts-pod-template-hash'],
  }));

const serverPodTemplate = (env: EnvironmentSpec, pointer: ReleasePointer): IPodTemplateSpec => ({
  metadata: podMetadata(env, 'server'),
  spec: {
    serviceAccountName: service.name,
    automountServiceAccountToken: false,
    securityContext: podSecurity,
    terminationGracePeriodSeconds:
      Math.ceil((service.shutdown.graceMs + service.shutdown.timeoutMs) / 1000) + 5,
    topologySpreadConstraints: topologySpread(env),
    volumes: podVolumes(env),
    containers: [
      {
        name: service.name,
        image: imageReference(pointer),
        command: [...service.commands.server],
        ports: [
          { name: 'http', containerPort: service.ports.http, protocol: 'TCP' },
          { name: 'metrics', containerPort: service.ports.ops, protocol: 'TCP' },
        ],
        envFrom: [{ configMapRef: { name: CONFIG_NAME } }],
        env: [...secretEnv(env), ...databaseCaEnv(env), ...releaseEnv(pointer)],
        resources: env.resources,
        securityContext: containerSecurity,
        volumeMounts: containerMounts(env),
        // Startup allows ~60 s for a cold start; liveness then only restarts a wedged process.
        startupProbe: httpProbe(service.probes.startup, 2, 30),
        livenessProbe: httpProbe(service.probes.liveness, 10, 3),
        readinessProbe: httpProbe(service.probes.readiness, 5, 2),
      },
    ],
  },
});

const canarySteps = (env: EnvironmentSpec) =>
  env.canary.flatMap((step) => [
    { setWeight: step.weight },
    step.analysis
      ? {
          analysis: {
            templates: [{ templateName: `${service.name}-canary` }],
            args: [{ name: 'canary-hash', valueFrom: { podTemplateHashValue: 'Latest' } }],
          },
        }
      : { pause: { duration: '60s' } },
  ]);

/**
 * The service as an Argo Rollouts canary. Traffic follows the replica ratio (no traffic-router plugin to download
 * into the controller): the HTTPRoute targets `links`, which selects every serving pod, so during a step the
 * canary's share of pods is its share of requests. The analysis looks at the canary's own pods only.
 */
export const rollout = (env: EnvironmentSpec, pointer: ReleasePointer): KubeObject => ({
  apiVersion: 'argoproj.io/v1alpha1',
  kind: 'Rollout',
  // Its completion and abort reach GitHub as the release signals (rollout-notifications.ts).
  metadata: meta(service.name, env.namespace, {}, rolloutNotificationAnnotations(env)),
  spec: typed<IRollout['spec']>({
    // The HPA owns the count after creation; the Application ignores this field (see argocd.ts).
    replicas: env.replicas.min,
    revisionHistoryLimit: 5,
    selector: { matchLabels: serverSelector() },
    template: serverPodTemplate(env, pointer),
    strategy: {
      canary: {
        canaryService: CANARY_SERVICE,
        stableService: STABLE_SERVICE,
        maxSurge: '25%',
        maxUnavailable: 0,
        steps: canarySteps(env),
      },
    },
  }),
});

const clusterService = (env: EnvironmentSpec, name: string, role: string): KubeObject => ({
  apiVersion: 'v1',
  kind: 'Service',
  metadata: meta(name, env.namespace, {
    'app.kubernetes.io/name': service.name,
    'runway.dev/service-role': role,
  }),
  spec: typed<IServiceSpec>({
    type: 'ClusterIP',
    selector: serverSelector(),
    ports: [{ name: 'http', port: 80, targetPort: 'http', protocol: 'TCP' }],
  }),
});

/**
 * `links` carries public traffic to every serving pod (stable and canary by replica share); `links-stable` and
 * `links-canary` are narrowed by the Rollouts controller to one ReplicaSet each, for direct checks.
 */
export const services = (env: EnvironmentSpec): KubeObject[] => [
  clusterService(env, service.name, 'public'),
  clusterService(env, STABLE_SERVICE, 'stable'),
  clusterService(env, CANARY_SERVICE, 'canary'),
  {
    apiVersion: 'v1',
    kind: 'Service',
    // Headless, only for the ServiceMonitor: one scrape target per pod, never routed.
    metadata: meta(METRICS_SERVICE, env.namespace, {
      'app.kubernetes.io/name': service.name,
      'runway.dev/service-role': 'metrics',
    }),
    spec: typed<IServiceSpec>({
      clusterIP: 'None',
      selector: serverSelector(),
      ports: [{ name: 'metrics', port: service.ports.ops, targetPort: 'metrics', protocol: 'TCP' }],
    }),
  },
];

export const horizontalPodAutoscaler = (env: EnvironmentSpec): KubeObject => ({
  apiVersion: 'autoscaling/v2',
  kind: 'HorizontalPodAutoscaler',
  metadata: meta(service.name, env.namespace),
  spec: typed<IHorizontalPodAutoscalerSpec>({
    scaleTargetRef: { apiVersion: 'argoproj.io/v1alpha1', kind: 'Rollout', name: service.name },
    minReplicas: env.replicas.min,
    maxReplicas: env.replicas.max,
    metrics: [
      {
        type: 'Resource',
        resource: {
          name: 'cpu',
          target: { type: 'Utilization', averageUtilization: env.replicas.cpuTargetPercent },
        },
      },
    ],
    behavior: {
      scaleDown: {
        stabilizationWindowSeconds: scaleDown.stabilizationWindowSeconds,
        policies: [{ type: 'Percent', value: scaleDown.percent, periodSeconds: scaleDown.periodSeconds }],
      },
    },
  }),
});

/** One pod may be evicted at a time: a drain always progresses, yet never takes more than one pod down. */
export const podDisruptionBudget = (env: EnvironmentSpec): KubeObject => ({
  apiVersion: 'policy/v1',
  kind: 'PodDisruptionBudget',
  metadata: meta(service.name, env.namespace),
  spec: typed<IPodDisruptionBudgetSpec>({
    maxUnavailable: 1,
    selector: { matchLabels: serverSelector() },
    unhealthyPodEvictionPolicy: 'AlwaysAllow',
  }),
});

/** Migrations run before every sync (Argo CD PreSync hook); the service itself never migrates in a cluster. */
export const migrationJob = (env: EnvironmentSpec, pointer: ReleasePointer): KubeObject => ({
  apiVersion: 'batch/v1',
  kind: 'Job',
  metadata: meta(
    `${service.name}-migrate`,
    env.namespace,
    { 'app.kubernetes.io/name': service.name },
    {
      'argocd.argoproj.io/hook': 'PreSync',
      'argocd.argoproj.io/hook-delete-policy': 'BeforeHookCreation,HookSucceeded',
    },
  ),
  spec: typed<IJobSpec>({
    backoffLimit: 2,
    activeDeadlineSeconds: 600,
    ttlSecondsAfterFinished: 3600,
    template: typed<IPodTemplateSpec>({
      metadata: podMetadata(env, 'migrate'),
      spec: {
        serviceAccountName: service.name,
        automountServiceAccountToken: false,
        restartPolicy: 'Never',
        securityContext: podSecurity,
        volumes: podVolumes(env),
        containers: [
          {
            name: 'migrate',
            image: imageReference(pointer),
            command: [...service.commands.migrate],
            envFrom: [{ configMapRef: { name: CONFIG_NAME } }],
            env: [
              ...secretEnv(env).filter((variable) => variable.name === 'DATABASE_URL'),
              ...databaseCaEnv(env),
            ],
            resources: env.resources,
            securityContext: containerSecurity,
            volumeMounts: containerMounts(env),
          },
        ],
      },
    }),
  }),
});
