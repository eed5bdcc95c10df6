import type { EnvironmentName } from '../release/pointer.js';

/** One canary step: shift this share of pods to the new version, then either analyse or wait. */
export interface CanaryStep {
  readonly weight: number;
  /** Run the Prometheus analysis at this step; a failed analysis aborts and rolls back. */
  readonly analysis: boolean;
}

export type DatabaseSpec =
  | { readonly kind: 'cloudnative-pg'; readonly instances: number; readonly storage: string }
  /** Prod: RDS Multi-AZ from Terraform; the connection details come from deploy-inputs/prod.json. */
  | { readonly kind: 'rds' };

/** How a release reaches the environment (docs/architecture.md, decision 5); `runway promote` and the tests read it. */
export type ReleaseArrival = 'ci-commit' | 'promotion-pr' | 'approved-promotion-pr';

export interface Resources {
  readonly requests: { readonly cpu: string; readonly memory: string };
  readonly limits: { readonly cpu: string; readonly memory: string };
}

export interface EnvironmentSpec {
  readonly name: EnvironmentName;
  readonly namespace: string;
  readonly hostname: string;
  readonly replicas: { readonly min: number; readonly max: number; readonly cpuTargetPercent: number };
  readonly releaseArrival: ReleaseArrival;
  /** Steps before 100 %; reaching the end of the list promotes the canary fully. */
  readonly canary: readonly CanaryStep[];
  /** Measurements per analysis run (30 s apart): longer where a bad release costs more. */
  readonly analysisMeasurements: number;
  readonly database: DatabaseSpec;
  readonly logLevel: 'debug' | 'info';
  readonly resources: Resources;
  /** Where SESSION_SECRET comes from: generated in the cluster, or AWS Secrets Manager. */
  readonly sessionSecret: 'generated' | 'aws-secrets-manager';
}

const smallPod: Resources = {
  requests: { cpu: '100m', memory: '128Mi' },
  limits: { cpu: '500m', memory: '256Mi' },
};
const prodPod: Resources = {
  requests: { cpu: '250m', memory: '256Mi' },
  limits: { cpu: '1', memory: '512Mi' },
};

/** The environment table of docs/architecture.md (decision 13), the single source of truth for every environment. */
export const environments: readonly EnvironmentSpec[] = [
  {
    name: 'dev',
    namespace: 'links-dev',
    hostname: 'dev.links.runway.dev',
    replicas: { min: 1, max: 3, cpuTargetPercent: 70 },
    releaseArrival: 'ci-commit',
    // The table's "50 % → 100 %"; dev still analyses once, because promotion needs a verified dev release.
    canary: [{ weight: 50, analysis: true }],
    analysisMeasurements: 2,
    database: { kind: 'cloudnative-pg', instances: 1, storage: '1Gi' },
    logLevel: 'debug',
    resources: smallPod,
    sessionSecret: 'generated',
  },
  {
    name: 'staging',
    namespace: 'links-staging',
    hostname: 'staging.links.runway.dev',
    replicas: { min: 2, max: 6, cpuTargetPercent: 70 },
    releaseArrival: 'promotion-pr',
    canary: [
      { weight: 20, analysis: true },
      { weight: 50, analysis: true },
    ],
    analysisMeasurements: 4,
    database: { kind: 'cloudnative-pg', instances: 2, storage: '5Gi' },
    logLevel: 'info',
    resources: smallPod,
    sessionSecret: 'aws-secrets-manager',
  },
  {
    name: 'prod',
    namespace: 'links-prod',
    hostname: 'links.runway.dev',
    replicas: { min: 3, max: 20, cpuTargetPercent: 70 },
    releaseArrival: 'approved-promotion-pr',
    canary: [
      { weight: 10, analysis: true },
      { weight: 25, analysis: true },
      { weight: 50, analysis: true },
    ],
    analysisMeasurements: 6,
    database: { kind: 'rds' },
    logLevel: 'info',
    resources: prodPod,
    sessionSecret: 'aws-secrets-manager',
  },
];

/** Canary analysis thresholds (docs/metrics.md: 0.3 s is the latency SLO threshold). */
export const analysisThresholds = {
  maxErrorRatio: 0.05,
  maxP95Seconds: 0.3,
  interval: '30s',
  /** Failed measurements tolerated before the run fails and the rollout aborts. */
  failureLimit: 1,
} as const;

/** HPA scale-down behaviour: wait 60 s of low load, then drop at most half the pods per 15 s. */
export const scaleDown = { stabilizationWindowSeconds: 60, percent: 50, periodSeconds: 15 } as const;

export const environment = (name: EnvironmentName): EnvironmentSpec => {
  const found = environments.find((env) => env.name === name);
  if (!found) throw new Error(`no environment named ${name}`);
  return found;
};
