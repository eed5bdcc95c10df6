import type { Captured } from './plan-types.js';
import {
  APP_HOSTNAME,
  ARGOCD_HOST_PORT,
  GATEWAY_HOST_PORT,
  GRAFANA_LOCAL_PORT,
  GRAFANA_NAMESPACE,
  GRAFANA_SERVICE,
  KUBE_CONTEXT,
  LOCAL_IMAGE_REPOSITORY,
} from './settings.js';

export interface StepTiming {
  readonly title: string;
  readonly seconds: number;
}

export const formatSeconds = (seconds: number): string => {
  if (seconds < 60) return `${seconds.toFixed(1)}s`;
  const minutes = Math.floor(seconds / 60);
  return `${minutes}m ${Math.round(seconds - minutes * 60)}s`;
};

/** What the user needs once the platform is up: where everything is, how to log in, and where the time went. */
export const formatSummary = (timings: readonly StepTiming[], captured: Captured): string => {
  const total = timings.reduce((sum, timing) => sum + timing.seconds, 0);
  const grafana = captured.grafanaPassword
    ? [
        `  Grafana    kubectl --context ${KUBE_CONTEXT} -n ${GRAFANA_NAMESPACE} port-forward svc/${GRAFANA_SERVICE} ${GRAFANA_LOCAL_PORT}:80`,
        `             then http://localhost:${GRAFANA_LOCAL_PORT}   user admin   password ${captured.grafanaPassword}`,
      ]
    : [];
  const width = Math.max(...timings.map((timing) => formatSeconds(timing.seconds).length), 1);
  return [
    `The platform is up (${formatSeconds(total)}).`,
    '',
    `  App        curl -H 'Host: ${APP_HOSTNAME}' http://localhost:${GATEWAY_HOST_PORT}/   (through the gateway)`,
    `  Argo CD    https://localhost:${ARGOCD_HOST_PORT}   user admin   password ${captured.argocdPassword ?? '(not read)'}`,
    ...grafana,
    ...(captured.imageDigest ? [`  Image      ${LOCAL_IMAGE_REPOSITORY}@${captured.imageDigest}`] : []),
    '',
    'Time per step:',
    ...timings.map((timing) => `  ${formatSeconds(timing.seconds).padStart(width)}  ${timing.title}`),
  ].join('\n');
};
