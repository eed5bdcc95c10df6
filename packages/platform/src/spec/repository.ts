/** Where Argo CD reads this repository from, and the file synth writes to. */
export const repository = {
  url: 'https://github.com/runway-dev/runway.git',
  /** GitHub owner/name, for the release signals' repository_dispatch (Argo Rollouts' notifications). */
  slug: 'runway-dev/runway',
  /**
   * The GitOps source follows `main` on purpose: a merge to main *is* the promotion. Everything else (images,
   * charts) is pinned by digest or exact version.
   */
  revision: 'main',
  deployDir: 'deploy',
} as const;

/** The cluster-level names the environments rely on. */
export const platform = {
  argocdNamespace: 'argocd',
  monitoringNamespace: 'monitoring',
  gatewayNamespace: 'gateway',
  gatewayName: 'runway',
  /** Envoy Gateway runs its proxies in its controller namespace. */
  gatewayProxyNamespace: 'envoy-gateway-system',
  prometheusUrl: 'http://kube-prometheus-stack-prometheus.monitoring.svc:9090',
  secretStore: 'runway-aws-secrets-manager',
  awsRegion: 'eu-west-1',
  /** Grafana's dashboard sidecar picks up ConfigMaps with this label. */
  dashboardLabel: 'grafana_dashboard',
  /** Kubernetes version the schemas target (kubernetes-models 5.1). */
  kubernetesVersion: '1.33',
} as const;
