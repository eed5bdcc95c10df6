import type { ClusterSpec } from './clusters.js';

/**
 * Platform add-ons: upstream Helm charts at exact versions, installed by Argo CD in sync waves (operators and
 * their CRDs first, then what uses them). Bumping a version is a reviewed change to this file.
 */
export interface AddonSpec {
  readonly name: string;
  readonly namespace: string;
  /** A Helm repository URL, or `oci://…/<chart>` for charts published only to an OCI registry. */
  readonly repoURL: string;
  /** Absent for OCI sources, where the chart is the last path segment of repoURL. */
  readonly chart?: string;
  readonly version: string;
  readonly wave: number;
  readonly values: Readonly<Record<string, unknown>>;
}

export const addons: readonly AddonSpec[] = [
  {
    name: 'cert-manager',
    namespace: 'cert-manager',
    repoURL: 'https://charts.jetstack.io',
    chart: 'cert-manager',
    version: 'v1.19.4',
    // After envoy-gateway: with Gateway API support on, the controller exits at start-up until the Gateway API
    // CRDs (which envoy-gateway's chart installs) exist, and a crash-looping wave would hold back every later one.
    wave: -20,
    values: {
      crds: { enabled: true },
      // The chart's controller configuration file (values `config`, v1.19's documented way): Gateway API support
      // lets a `cert-manager.io/cluster-issuer` annotation on the Gateway issue its listeners' certificates, and
      // lets the ACME HTTP-01 solver answer through an HTTPRoute.
      config: {
        apiVersion: 'controller.config.cert-manager.io/v1alpha1',
        kind: 'ControllerConfiguration',
        enableGatewayAPI: true,
      },
    },
  },
  {
    name: 'metrics-server',
    namespace: 'kube-system',
    repoURL: 'https://kubernetes-sigs.github.io/metrics-server/',
    chart: 'metrics-server',
    version: '3.13.0',
    wave: -30,
    values: {},
  },
  {
    name: 'kube-prometheus-stack',
    namespace: 'monitoring',
    repoURL: 'https://prometheus-community.github.io/helm-charts',
    chart: 'kube-prometheus-stack',
    version: '82.6.0',
    wave: -20,
    values: {
      fullnameOverride: 'kube-prometheus-stack',
      prometheus: {
        prometheusSpec: {
          // Select every ServiceMonitor/PrometheusRule, not only those labelled with the Helm release.
          serviceMonitorSelectorNilUsesHelmValues: false,
          ruleSelectorNilUsesHelmValues: false,
          podMonitorSelectorNilUsesHelmValues: false,
        },
      },
      grafana: {
        sidecar: { dashboards: { enabled: true, label: 'grafana_dashboard', searchNamespace: 'ALL' } },
      },
      // kube_* series describe other namespaces' objects: keep their `namespace` label, not the scrape target's.
      'kube-state-metrics': { prometheus: { monitor: { honorLabels: true } } },
    },
  },
  {
    name: 'external-secrets',
    namespace: 'external-secrets',
    repoURL: 'https://charts.external-secrets.io',
    chart: 'external-secrets',
    version: '2.10.0',
    wave: -20,
    values: { installCRDs: true },
  },
  {
    name: 'cloudnative-pg',
    namespace: 'cnpg-system',
    repoURL: 'https://cloudnative-pg.github.io/charts',
    chart: 'cloudnative-pg',
    version: '0.28.3',
    wave: -20,
    values: {},
  },
  {
    name: 'argo-rollouts',
    namespace: 'argo-rollouts',
    repoURL: 'https://argoproj.github.io/argo-helm',
    chart: 'argo-rollouts',
    version: '2.40.2',
    wave: -20,
    // The metrics Service only: the chart's ServiceMonitor cannot set honorLabels, so synth renders its own.
    // The notification ConfigMap is rendered by synth (rollout-notifications.ts), so the chart must not own one too.
    values: {
      installCRDs: true,
      controller: { metrics: { enabled: true } },
      notifications: { configmap: { create: false } },
    },
  },
  {
    name: 'envoy-gateway',
    namespace: 'envoy-gateway-system',
    // Envoy Gateway publishes its chart (with the Gateway API CRDs) only to an OCI registry.
    repoURL: 'oci://docker.io/envoyproxy/gateway-helm',
    version: 'v1.7.1',
    // First: its chart brings the Gateway API CRDs that cert-manager needs at start-up.
    wave: -30,
    values: {},
  },
];

/**
 * The AWS Load Balancer Controller, on EKS clusters only (kind has no AWS account; cluster.ts adds it there). Its
 * own wave, before every other add-on: the chart's Service mutating webhook matches every Service and fails its
 * creation while the controller is not serving (eks-charts 3.5.0 `templates/webhook.yaml` mservice.elbv2.k8s.aws,
 * `values.yaml` `serviceMutatorWebhookConfig.failurePolicy: Fail`), and the Gateway's proxy Service must be created after it to
 * get an NLB rather than the in-tree controller's Classic load balancer. Its credentials come through EKS Pod
 * Identity (infra/terraform/modules/cluster/pod-identity.tf), so the service account takes no role annotation;
 * cluster.ts adds the cluster's own values (clusterName, region, vpcId).
 */
export const awsLoadBalancerController: AddonSpec = {
  name: 'aws-load-balancer-controller',
  // The namespace and service account of the Pod Identity association `aws_lb_controller` in pod-identity.tf.
  namespace: 'kube-system',
  repoURL: 'https://aws.github.io/eks-charts',
  chart: 'aws-load-balancer-controller',
  // aws/eks-charts `stable/aws-load-balancer-controller/Chart.yaml` 3.5.0 (appVersion v3.5.0), in the repository's
  // published index.yaml.
  version: '3.5.0',
  wave: -35,
  values: {},
};

/** The add-ons of a cluster: every cluster's, plus the Load Balancer Controller on EKS. */
export const addonsOf = (cluster: ClusterSpec): readonly AddonSpec[] =>
  cluster.provider === 'eks' ? [awsLoadBalancerController, ...addons] : addons;

/** Wave of Argo CD's own config and the projects: plain config, Healthy once applied, before any add-on. */
export const CONFIG_WAVE = -40;
/**
 * The root's last wave: the cluster config and the environments' app-of-apps, after every operator and CRD they
 * use. Nothing comes after it and its Applications are ungated, so the add-ons are all the waves wait on.
 */
export const UNGATED_WAVE = 0;
