import type { IStorageClass } from 'kubernetes-models/storage.k8s.io/v1/StorageClass';
import { awsLoadBalancerController } from '../spec/addons.js';
import type { EksClusterSpec } from '../spec/clusters.js';
import { platform } from '../spec/repository.js';
import { type KubeObject, meta, typed } from './object.js';

/**
 * What only the EKS clusters have, rendered into their own trees (decision 17): the default StorageClass of the
 * EBS CSI driver, the AWS Load Balancer Controller's values, and the EnvoyProxy that gives the Gateway an NLB.
 * Each value equals a Terraform output of infra/terraform/modules/cluster (outputs.tf), named beside it.
 */

/** The class Terraform's `default_storage_class.name` names (modules/cluster/storage.tf). */
export const DEFAULT_STORAGE_CLASS = 'gp3-encrypted';
/** The annotation that makes a StorageClass the one a PVC without `storageClassName` gets. */
export const IS_DEFAULT_CLASS = 'storageclass.kubernetes.io/is-default-class';
export const EBS_CSI_PROVISIONER = 'ebs.csi.aws.com';

/**
 * Terraform's `default_storage_class`: gp3 volumes encrypted with the cluster's volumes key, created only once a
 * pod is scheduled (so in that pod's zone), the default for CloudNativePG's PVCs, which name no class.
 */
export const defaultStorageClass = (cluster: EksClusterSpec): KubeObject =>
  typed<IStorageClass & KubeObject>({
    apiVersion: 'storage.k8s.io/v1',
    kind: 'StorageClass',
    metadata: meta(DEFAULT_STORAGE_CLASS, undefined, {}, { [IS_DEFAULT_CLASS]: 'true' }),
    provisioner: EBS_CSI_PROVISIONER,
    volumeBindingMode: 'WaitForFirstConsumer',
    allowVolumeExpansion: true,
    reclaimPolicy: 'Delete',
    parameters: { type: 'gp3', encrypted: 'true', kmsKeyId: cluster.aws.volumesKmsKeyArn },
  });

/** `aws_load_balancer_controller.serviceAccount`: the service account of the Pod Identity association. */
export const LOAD_BALANCER_CONTROLLER_SERVICE_ACCOUNT = 'aws-load-balancer-controller';

/** Terraform's `aws_load_balancer_controller` output, as the chart's values. */
export const loadBalancerControllerValues = (cluster: EksClusterSpec): Readonly<Record<string, unknown>> => ({
  ...awsLoadBalancerController.values,
  serviceAccount: { create: true, name: LOAD_BALANCER_CONTROLLER_SERVICE_ACCOUNT },
  // `module.eks.cluster_name`: "runway-${var.cluster}" (modules/cluster/main.tf local.name).
  clusterName: `runway-${cluster.name}`,
  // Set, not discovered: with Pod Identity and IMDSv2's hop limit the pods may not reach the instance metadata.
  region: cluster.aws.region,
  vpcId: cluster.aws.vpcId,
});

/** Terraform's `gateway_service_annotations`: an internet-facing NLB sending to the Envoy pods' IPs. */
export const GATEWAY_SERVICE_ANNOTATIONS = {
  'service.beta.kubernetes.io/aws-load-balancer-type': 'external',
  'service.beta.kubernetes.io/aws-load-balancer-nlb-target-type': 'ip',
  'service.beta.kubernetes.io/aws-load-balancer-scheme': 'internet-facing',
} as const;

/** The EnvoyProxy the `envoy` GatewayClass names; beside Envoy Gateway's controller, where its proxies run. */
export const ENVOY_PROXY = { name: 'runway-proxy', namespace: platform.gatewayProxyNamespace } as const;
export const ENVOY_PROXY_GROUP = 'gateway.envoyproxy.io';

/**
 * Envoy Gateway v1.7.1 `api/v1alpha1/envoyproxy_types.go`: `spec.provider` (type `Kubernetes`) →
 * `kubernetes.envoyService` (a KubernetesServiceSpec, `shared_types.go`) → `annotations`, appended to the proxy
 * Service it creates for each Gateway of the class.
 */
export const envoyProxy = (): KubeObject => ({
  apiVersion: `${ENVOY_PROXY_GROUP}/v1alpha1`,
  kind: 'EnvoyProxy',
  metadata: meta(ENVOY_PROXY.name, ENVOY_PROXY.namespace),
  spec: {
    provider: {
      type: 'Kubernetes',
      kubernetes: { envoyService: { annotations: { ...GATEWAY_SERVICE_ANNOTATIONS } } },
    },
  },
});
