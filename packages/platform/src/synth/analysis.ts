import type { IAnalysisTemplate } from '@kubernetes-models/argo-rollouts/argoproj.io/v1alpha1/AnalysisTemplate';
import { analysisThresholds, type EnvironmentSpec } from '../spec/environments.js';
import { platform } from '../spec/repository.js';
import { service } from '../spec/service.js';
import { type KubeObject, meta, typed } from './object.js';

/** The canary's own pods: ReplicaSet `links-<hash>` names them `links-<hash>-<suffix>`. */
const canarySeries = (env: EnvironmentSpec, extra = ''): string =>
  `job="${service.name}",namespace="${env.namespace}",pod=~"${service.name}-{{args.canary-hash}}-.*",route!~"/livez|/readyz"${extra}`;

/** Share of canary requests answered 5xx; 0 when there is no traffic (never empty, never NaN). */
export const errorRatioQuery = (env: EnvironmentSpec): string =>
  `(sum(rate(http_requests_total{${canarySeries(env, ',status_code=~"5.."')}}[2m])) or vector(0))` +
  ` / (sum(rate(http_requests_total{${canarySeries(env)}}[2m])) > 0 or vector(1))`;

/** p95 latency of canary requests in seconds; 0 when there is no traffic. */
export const p95LatencyQuery = (env: EnvironmentSpec): string =>
  `(histogram_quantile(0.95, sum by (le) (rate(http_request_duration_seconds_bucket{${canarySeries(env)}}[2m]))) >= 0)` +
  ' or vector(0)';

const metric = (name: string, query: string, condition: string, env: EnvironmentSpec) => ({
  name,
  interval: analysisThresholds.interval,
  initialDelay: '30s',
  count: env.analysisMeasurements,
  failureLimit: analysisThresholds.failureLimit,
  successCondition: condition,
  provider: { prometheus: { address: platform.prometheusUrl, query } },
});

/** A failed run aborts the Rollout: traffic returns to stable, and Notifications tell GitHub to roll git back. */
export const analysisTemplate = (env: EnvironmentSpec): KubeObject => ({
  apiVersion: 'argoproj.io/v1alpha1',
  kind: 'AnalysisTemplate',
  metadata: meta(`${service.name}-canary`, env.namespace),
  spec: typed<NonNullable<IAnalysisTemplate['spec']>>({
    args: [{ name: 'canary-hash' }],
    metrics: [
      metric('error-ratio', errorRatioQuery(env), `result[0] < ${analysisThresholds.maxErrorRatio}`, env),
      metric('p95-latency', p95LatencyQuery(env), `result[0] < ${analysisThresholds.maxP95Seconds}`, env),
    ],
  }),
});
