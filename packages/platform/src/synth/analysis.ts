import type { IAnalysisTemplate } from '@kubernetes-models/argo-rollouts/argoproj.io/v1alpha1/AnalysisTemplate';
import { analysisThresholds, type EnvironmentSpec } from '../spec/environments.js';
import { platform } from '../spec/repository.js';
import { service } from '../spec/service.js';
import { type KubeObject, meta, typed } from './object.js';

/** The canary's own pods: ReplicaSet `links-<hash>` names them `links-<hash>-<suffix>`. */
const canarySeries = (env: EnvironmentSpec, extra = ''): string =>
  `job="${service.name}",namespace="${env.namespace}",pod=~"${service.name}-{{args.canary-hash}}-.*",route!~"/livez|/readyz"${extra}`;

/**
 * Share of canary requests answered 5xx. With canary traffic and no 5xx series the numerator is 0 (derived from the
 * traffic itself); with no canary traffic at all the result is empty, never a made-up 0: no data is never a pass
 * (decision 19, defect 8).
 */
export const errorRatioQuery = (env: EnvironmentSpec): string => {
  const all = `sum(rate(http_requests_total{${canarySeries(env)}}[2m]))`;
  return `(sum(rate(http_requests_total{${canarySeries(env, ',status_code=~"5.."')}}[2m])) or ${all} * 0) / ${all}`;
};

/** p95 latency of canary requests in seconds; empty when the canary has no traffic. */
export const p95LatencyQuery = (env: EnvironmentSpec): string =>
  `histogram_quantile(0.95, sum by (le) (rate(http_request_duration_seconds_bucket{${canarySeries(env)}}[2m])))`;

/**
 * Argo Rollouts v1.8.4 `metricproviders/prometheus/prometheus.go` processResponse hands the condition a vector's
 * values as `result` ([] when the query matched nothing) and `utils/evaluate/evaluate.go` EvaluateResult marks a
 * measurement Failed when the success condition is false (no failureCondition). Asking for exactly one value first
 * makes no data a Failed measurement, never a Successful one.
 */
export const belowCondition = (threshold: number): string => `len(result) == 1 && result[0] < ${threshold}`;

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
      metric('error-ratio', errorRatioQuery(env), belowCondition(analysisThresholds.maxErrorRatio), env),
      metric('p95-latency', p95LatencyQuery(env), belowCondition(analysisThresholds.maxP95Seconds), env),
    ],
  }),
});
