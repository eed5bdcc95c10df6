import type { EnvironmentName } from '../release/pointer.js';

/**
 * The clusters Runway runs on (decision 17) and the environments each hosts. A cluster's tree under
 * `deploy/clusters/<name>/` holds only what can work there: its own Argo CD config and root, its add-ons, its
 * platform config and the Applications of the environments it hosts.
 */
export type ClusterName = 'kind' | 'nonprod' | 'prod';

/**
 * What an EKS cluster's tree takes from its Terraform root (infra/terraform/envs/<cluster>, docs/aws.md "the output
 * contract"): nothing secret, only identifiers. Each field names the output it must equal; after an apply that
 * changes one, copy it here, then `npx runway synth` and commit.
 */
export interface EksInputs {
  /** `terraform output region` (also `aws_load_balancer_controller.region`). */
  readonly region: string;
  /** `terraform output vpc_id` (also `aws_load_balancer_controller.vpcId`). */
  readonly vpcId: string;
  /** `terraform output -json default_storage_class` → `parameters.kmsKeyId`: the cluster's volumes key. */
  readonly volumesKmsKeyArn: string;
}

interface ClusterBase {
  readonly name: ClusterName;
  readonly environments: readonly EnvironmentName[];
}
/** The local cluster of `runway up`: no cloud account, so no AWS secret store, a self-signed issuer, a NodePort gateway. */
export interface KindClusterSpec extends ClusterBase {
  readonly provider: 'kind';
}
/**
 * An EKS cluster: External Secrets reads AWS Secrets Manager through EKS Pod Identity, volumes come from the EBS
 * CSI driver, and the AWS Load Balancer Controller gives the Gateway an NLB.
 */
export interface EksClusterSpec extends ClusterBase {
  readonly provider: 'eks';
  readonly aws: EksInputs;
}
export type ClusterSpec = KindClusterSpec | EksClusterSpec;

// The values below are placeholders of the right shape (account 000000000000, like deploy-inputs/prod.json) until
// the first apply of each Terraform root.
export const clusters: readonly ClusterSpec[] = [
  { name: 'kind', provider: 'kind', environments: ['dev'] },
  {
    name: 'nonprod',
    provider: 'eks',
    environments: ['dev', 'staging'],
    aws: {
      region: 'eu-west-1',
      vpcId: 'vpc-0000000000000a001',
      volumesKmsKeyArn: 'arn:aws:kms:eu-west-1:000000000000:key/00000000-0000-4000-8000-00000000a001',
    },
  },
  {
    name: 'prod',
    provider: 'eks',
    environments: ['prod'],
    aws: {
      region: 'eu-west-1',
      vpcId: 'vpc-0000000000000b001',
      volumesKmsKeyArn: 'arn:aws:kms:eu-west-1:000000000000:key/00000000-0000-4000-8000-00000000b001',
    },
  },
];

export const cluster = (name: ClusterName): ClusterSpec => {
  const found = clusters.find((candidate) => candidate.name === name);
  if (!found) throw new Error(`no cluster named ${name}`);
  return found;
};

/** The cluster `runway up` creates and the environment it runs the local build in. */
export const LOCAL_CLUSTER: ClusterName = 'kind';
