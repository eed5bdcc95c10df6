import { isRecord } from '../hcl-body.js';
import { allInstances } from '../module-tree.js';
import type { TerraformRepository } from '../repository.js';
import { moduleCalls, providerBlocks, resources } from '../terraform-dir.js';
import { blocksOf, followLocal } from './locals.js';
import { type Finding, finding, type TerraformPolicy } from './policy.js';

const ID = 'terraform/roles-under-boundary';

/**
 * Where each pinned module creates an IAM role, and the argument that gives it a permissions boundary (from the
 * modules' variables at their pinned tags: eks 21.19.0 `iam_role_permissions_boundary` and the node groups' own,
 * vpc 6.6.0 `vpc_flow_log_permissions_boundary`, eks-pod-identity 2.8.1 `permissions_boundary_arn`).
 */
const boundaryArguments = (source: unknown, args: Record<string, unknown>): string[] => {
  switch (source) {
    case 'terraform-aws-modules/eks/aws': {
      const groups = isRecord(args.eks_managed_node_groups) ? args.eks_managed_node_groups : {};
      return [
        ...(args.iam_role_permissions_boundary === undefined ? ['iam_role_permissions_boundary'] : []),
        ...Object.entries(groups)
          .filter(([, group]) => !isRecord(group) || group.iam_role_permissions_boundary === undefined)
          .map(([name]) => `eks_managed_node_groups.${name}.iam_role_permissions_boundary`),
      ];
    }
    case 'terraform-aws-modules/vpc/aws':
      return args.create_flow_log_cloudwatch_iam_role === true &&
        args.vpc_flow_log_permissions_boundary === undefined
        ? ['vpc_flow_log_permissions_boundary']
        : [];
    case 'terraform-aws-modules/eks-pod-identity/aws':
      return args.permissions_boundary_arn === undefined ? ['permissions_boundary_arn'] : [];
    default:
      return [];
  }
};

/**
 * The apply roles may create a role only with the workload boundary attached (bootstrap/ci.tf, condition
 * iam:PermissionsBoundary), so a role an environment root creates without one fails at apply time, and without the
 * condition would be a way around the apply role's own limits. The bootstrap (applied by a person) is exempt.
 */
export const rolesUnderBoundaryPolicy: TerraformPolicy = {
  id: ID,
  check: (repository: TerraformRepository): Finding[] =>
    repository.roots
      .filter((root) => root.root !== 'bootstrap')
      .flatMap((root) =>
        allInstances(root).flatMap((instance) => [
          ...moduleCalls(instance.config).flatMap((call) =>
            boundaryArguments(call.args.source, call.args).map((argument) =>
              finding(
                ID,
                call.file,
                `${instance.address}/module.${call.name}.${argument}`,
                'needs the workload boundary',
              ),
            ),
          ),
          ...resources(instance.config)
            .filter(
              (resource) =>
                resource.type === 'aws_iam_role' && resource.args.permissions_boundary === undefined,
            )
            .map((resource) =>
              finding(
                ID,
                resource.file,
                `${instance.address}/aws_iam_role.${resource.name}`,
                'needs the workload boundary',
              ),
            ),
        ]),
      ),
};

const TAG_ID = 'terraform/cluster-tag';

/**
 * The apply role of a cluster may create and change only resources tagged `cluster=<cluster>` (bootstrap/ci.tf), so
 * each envs/<cluster> root must put exactly that tag on everything, through the provider's default_tags.
 */
export const clusterTagPolicy: TerraformPolicy = {
  id: TAG_ID,
  check: (repository: TerraformRepository): Finding[] =>
    repository.dirs
      .filter((dir) => /^envs\/[^/]+$/.test(dir.dir))
      .flatMap((dir) => {
        const cluster = dir.dir.split('/')[1];
        const providers = providerBlocks(dir).filter((provider) => provider.name === 'aws');
        const tagged = providers.some((provider) =>
          blocksOf(provider.args.default_tags).some((defaults) => {
            const tags = followLocal(dir, defaults.tags);
            return isRecord(tags) && tags.cluster === cluster;
          }),
        );
        return tagged
          ? []
          : [
              finding(
                TAG_ID,
                providers[0]?.file ?? dir.dir,
                `provider.aws.default_tags`,
                `must tag everything cluster = "${cluster}"`,
              ),
            ];
      }),
};
