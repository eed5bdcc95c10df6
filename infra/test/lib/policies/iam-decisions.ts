import { documentStatements, FAKE_ACCOUNT, FAKE_REGION, policyResourceDocument } from '../iam/documents.js';
import { type Decision, decide, decideWithBoundary, type IamRequest } from '../iam/evaluate.js';
import type { TerraformRepository } from '../repository.js';
import { resources, type TerraformDir } from '../terraform-dir.js';
import { type Finding, finding, type TerraformPolicy } from './policy.js';

const ID = 'terraform/iam-decisions';

/** Whose rights a request is asked of: a CI role (its policy and, for apply, its boundary) or a boundary alone. */
type Principal = 'plan' | 'apply' | 'apply-boundary' | 'workload-boundary';

interface Expectation {
  /** What must hold, as the finding's path names it. */
  readonly name: string;
  readonly principal: Principal;
  readonly request: (cluster: string, other: string) => IamRequest;
  readonly allowed: boolean;
}

const role = (name: string) => `arn:aws:iam::${FAKE_ACCOUNT}:role/${name}`;
const ec2 = (resource: string) => `arn:aws:ec2:${FAKE_REGION}:${FAKE_ACCOUNT}:${resource}`;
const secret = (name: string) =>
  `arn:aws:secretsmanager:${FAKE_REGION}:${FAKE_ACCOUNT}:secret:${name}-AbCdEf`;
const STATE_BUCKET = 'arn:aws:s3:::runway-terraform-state';

/** Tagging a resource with its cluster, as an apply does for a resource it creates or adopts. */
const tagging = (cluster: string) => ({ 'aws:RequestTag/cluster': cluster, 'aws:TagKeys': ['cluster'] });

const EXPECTATIONS: readonly Expectation[] = [
  // eks 21.19.0 main.tf reads `data "aws_iam_session_context" "current"` on every plan and apply; the AWS provider
  // (6.x, internal/service/iam/session_context_data_source.go) resolves an assumed-role caller with iam:GetRole, and
  // a role's tags are read with iam:ListRoleTags. The apply role's boundary must leave reads of itself alone.
  {
    name: 'the apply boundary lets the apply role read itself (iam:GetRole)',
    principal: 'apply-boundary',
    request: (cluster) => ({
      action: 'iam:GetRole',
      resource: role(`runway-terraform-apply-${cluster}`),
      context: {},
    }),
    allowed: true,
  },
  {
    name: 'the apply boundary lets the apply role read its tags (iam:ListRoleTags)',
    principal: 'apply-boundary',
    request: (cluster) => ({
      action: 'iam:ListRoleTags',
      resource: role(`runway-terraform-apply-${cluster}`),
      context: {},
    }),
    allowed: true,
  },
  ...(
    [
      ['iam:UpdateAssumeRolePolicy', 'role/runway-terraform-apply-prod'],
      ['iam:PutRolePolicy', 'role/runway-terraform-plan-prod'],
      ['iam:AttachRolePolicy', 'role/runway-terraform-apply-nonprod'],
      ['iam:TagRole', 'role/runway-terraform-apply-prod'],
      ['iam:PassRole', 'role/runway-terraform-apply-prod'],
      ['iam:CreatePolicyVersion', 'policy/runway-ci-apply-boundary'],
      ['iam:DeleteOpenIDConnectProvider', 'oidc-provider/token.actions.githubusercontent.com'],
    ] as const
  ).map(
    ([action, resource]): Expectation => ({
      name: `the apply boundary denies ${action} on the bootstrap's ${resource}`,
      principal: 'apply-boundary',
      request: (cluster) => ({
        action,
        resource: `arn:aws:iam::${FAKE_ACCOUNT}:${resource}`,
        context: tagging(cluster),
      }),
      allowed: false,
    }),
  ),

  // eks-pod-identity 2.8.1 aws_lb_controller.tf grants the controller iam:CreateServiceLinkedRole with
  // iam:AWSServiceName = elasticloadbalancing.amazonaws.com: the first load balancer in an account creates ELB's
  // service-linked role. The workload boundary allows exactly that and no other IAM write.
  {
    name: "the workload boundary lets the load balancer controller create ELB's service-linked role",
    principal: 'workload-boundary',
    request: () => ({
      action: 'iam:CreateServiceLinkedRole',
      resource: role(
        'aws-service-role/elasticloadbalancing.amazonaws.com/AWSServiceRoleForElasticLoadBalancing',
      ),
      context: { 'iam:AWSServiceName': 'elasticloadbalancing.amazonaws.com' },
    }),
    allowed: true,
  },
  {
    name: "the workload boundary denies any other service's linked role",
    principal: 'workload-boundary',
    request: () => ({
      action: 'iam:CreateServiceLinkedRole',
      resource: role('aws-service-role/ssm.amazonaws.com/AWSServiceRoleForAmazonSSM'),
      context: { 'iam:AWSServiceName': 'ssm.amazonaws.com' },
    }),
    allowed: false,
  },
  ...(
    ['iam:CreateRole', 'iam:AttachRolePolicy', 'iam:PutRolePolicy', 'iam:UpdateAssumeRolePolicy'] as const
  ).map(
    (action): Expectation => ({
      name: `the workload boundary denies ${action}`,
      principal: 'workload-boundary',
      request: (cluster) => ({ action, resource: role(`runway-${cluster}-anything`), context: {} }),
      allowed: false,
    }),
  ),

  // Tags are the apply roles' scope, so tags on what another cluster owns must stay out of reach: an apply that could
  // re-tag prod's resources cluster=nonprod would then own them (ChangeOnlyWhatThisClusterOwns).
  ...(
    [
      ['ec2:CreateTags', ec2('security-group/sg-0other')],
      ['secretsmanager:TagResource', secret('runway/other/session')],
      ['kms:TagResource', `arn:aws:kms:${FAKE_REGION}:${FAKE_ACCOUNT}:key/other`],
      ['logs:TagResource', `arn:aws:logs:${FAKE_REGION}:${FAKE_ACCOUNT}:log-group:/aws/eks/other/cluster`],
      ['rds:AddTagsToResource', `arn:aws:rds:${FAKE_REGION}:${FAKE_ACCOUNT}:db:other`],
      ['eks:TagResource', `arn:aws:eks:${FAKE_REGION}:${FAKE_ACCOUNT}:cluster/other`],
      ['iam:TagRole', role('runway-other-ebs-csi')],
    ] as const
  ).map(
    ([action, resource]): Expectation => ({
      name: `an apply cannot re-tag what another cluster owns (${action})`,
      principal: 'apply',
      request: (cluster, other) => ({
        action,
        resource,
        context: { ...tagging(cluster), 'aws:ResourceTag/cluster': other },
      }),
      allowed: false,
    }),
  ),
  ...(
    [
      ['ec2:DeleteTags', ec2('security-group/sg-0own')],
      ['secretsmanager:UntagResource', secret('runway/own/session')],
      ['iam:UntagRole', role('runway-own-ebs-csi')],
    ] as const
  ).map(
    ([action, resource]): Expectation => ({
      name: `an apply cannot remove the cluster tag (${action})`,
      principal: 'apply',
      request: (cluster) => ({
        action,
        resource,
        context: { 'aws:ResourceTag/cluster': cluster, 'aws:TagKeys': ['cluster'] },
      }),
      allowed: false,
    }),
  ),
  {
    name: 'an apply cannot hand what it owns to another cluster',
    principal: 'apply',
    request: (cluster, other) => ({
      action: 'ec2:CreateTags',
      resource: ec2('security-group/sg-0own'),
      context: { ...tagging(other), 'aws:ResourceTag/cluster': cluster },
    }),
    allowed: false,
  },
  // The vpc module (6.6.0) adopts the VPC's default security group, route table and network ACL, which AWS creates
  // untagged: the apply tags them with its cluster.
  ...(['security-group/sg-0default', 'route-table/rtb-0default', 'network-acl/acl-0default'] as const).map(
    (resource): Expectation => ({
      name: `an apply tags an untagged default resource with its cluster (${resource.split('/')[0]})`,
      principal: 'apply',
      request: (cluster) => ({
        action: 'ec2:CreateTags',
        resource: ec2(resource),
        context: tagging(cluster),
      }),
      allowed: true,
    }),
  ),
  {
    name: 'an apply tags what it creates (EC2 create-time tags)',
    principal: 'apply',
    request: (cluster) => ({
      action: 'ec2:CreateTags',
      resource: ec2('security-group/*'),
      context: { ...tagging(cluster), 'ec2:CreateAction': 'CreateSecurityGroup' },
    }),
    allowed: true,
  },
  {
    name: 'an apply changes other tags of what it owns',
    principal: 'apply',
    request: (cluster) => ({
      action: 'ec2:CreateTags',
      resource: ec2('security-group/sg-0own'),
      context: { 'aws:ResourceTag/cluster': cluster, 'aws:RequestTag/Name': 'own', 'aws:TagKeys': ['Name'] },
    }),
    allowed: true,
  },

  // links-database (manage_master_user_password with a customer key): RDS creates and tags the `rds!db-...` secret
  // with the caller's permissions, in a forward access session (aws:CalledVia rds.amazonaws.com), without the
  // cluster tag (RDS User Guide, "Password management with Amazon RDS and AWS Secrets Manager", permissions).
  ...(['secretsmanager:CreateSecret', 'secretsmanager:TagResource'] as const).map(
    (action): Expectation => ({
      name: `an apply lets RDS ${action} its master user secret`,
      principal: 'apply',
      request: () => ({
        action,
        resource: secret('rds!db-0123abcd-4567-89ef-0123-456789abcdef'),
        context: { 'aws:CalledVia': ['rds.amazonaws.com'] },
      }),
      allowed: true,
    }),
  ),
  {
    name: 'an apply itself cannot create an untagged rds! secret',
    principal: 'apply',
    request: () => ({
      action: 'secretsmanager:CreateSecret',
      resource: secret('rds!db-made-up'),
      context: {},
    }),
    allowed: false,
  },

  // S3 answers a GET or HEAD of a missing object with 404 only to a caller allowed s3:ListBucket on the bucket, and
  // with 403 otherwise (S3 API reference, GetObject/HeadObject "Permissions"); that request carries no s3:prefix.
  // The backend's first init and plan of a cluster read a state object that does not exist yet.
  ...(['plan', 'apply'] as const).map(
    (principal): Expectation => ({
      name: `the ${principal} role may list the state bucket without a prefix (404 for a missing state)`,
      principal,
      request: () => ({ action: 's3:ListBucket', resource: STATE_BUCKET, context: {} }),
      allowed: true,
    }),
  ),

  // aws provider 6.x aws_iam_role updates assume_role_policy with iam:UpdateAssumeRolePolicy, which `iam:UpdateRole*`
  // does not match.
  {
    name: "an apply updates the trust policy of its cluster's roles",
    principal: 'apply',
    request: (cluster) => ({
      action: 'iam:UpdateAssumeRolePolicy',
      resource: role(`runway-${cluster}-ebs-csi`),
      context: { 'aws:ResourceTag/cluster': cluster },
    }),
    allowed: true,
  },
  {
    name: "an apply cannot update the trust policy of another cluster's roles",
    principal: 'apply',
    request: (_cluster, other) => ({
      action: 'iam:UpdateAssumeRolePolicy',
      resource: role(`runway-${other}-ebs-csi`),
      context: { 'aws:ResourceTag/cluster': other },
    }),
    allowed: false,
  },
];

/** The clusters asked about: decision 17's two, each against the other. */
const CLUSTERS = [
  ['nonprod', 'prod'],
  ['prod', 'nonprod'],
] as const;

/** The bootstrap's documents: the CI roles' policies and the two boundaries, by the resources that publish them. */
interface BootstrapDocuments {
  readonly plan: string;
  readonly apply: string;
  readonly applyBoundary: string;
  readonly workloadBoundary: string;
}

const decisionOf = (
  dir: TerraformDir,
  documents: BootstrapDocuments,
  expectation: Expectation,
  cluster: string,
  other: string,
): Decision => {
  const request = expectation.request(cluster, other);
  const statements = (name: string) => documentStatements(dir, name, cluster);
  switch (expectation.principal) {
    case 'plan':
      return decide(statements(documents.plan), request);
    case 'apply':
      return decideWithBoundary(statements(documents.apply), statements(documents.applyBoundary), request);
    case 'apply-boundary':
      return decide(statements(documents.applyBoundary), request);
    case 'workload-boundary':
      return decide(statements(documents.workloadBoundary), request);
  }
};

const hasDocument = (dir: TerraformDir, name: string): boolean =>
  resources(dir, 'data').some(
    (resource) => resource.type === 'aws_iam_policy_document' && resource.name === name,
  );

/**
 * What the bootstrap's IAM must allow and deny, asked of its policy documents as AWS would evaluate them (iam/
 * evaluate.ts). Each expectation names the upstream behaviour it comes from.
 */
export const iamDecisionsPolicy: TerraformPolicy = {
  id: ID,
  check: (repository: TerraformRepository): Finding[] => {
    const bootstrap = repository.dirs.find((dir) => dir.dir === 'bootstrap');
    // A bootstrap without CI roles (a fixture of the state bucket alone) has nothing to ask.
    if (!bootstrap || !hasDocument(bootstrap, 'apply')) return [];
    const applyBoundary = policyResourceDocument(bootstrap, 'ci_apply_boundary');
    const workloadBoundary = policyResourceDocument(bootstrap, 'workload_boundary');
    if (applyBoundary === undefined || workloadBoundary === undefined) {
      return [
        finding(
          ID,
          'bootstrap/boundaries.tf',
          'aws_iam_policy.ci_apply_boundary, aws_iam_policy.workload_boundary',
          'each boundary must be written from an aws_iam_policy_document of the bootstrap',
        ),
      ];
    }
    const documents = { plan: 'plan', apply: 'apply', applyBoundary, workloadBoundary };
    return CLUSTERS.flatMap(([cluster, other]) =>
      EXPECTATIONS.flatMap((expectation) => {
        const decision = decisionOf(bootstrap, documents, expectation, cluster, other);
        if (decision.allowed === expectation.allowed) return [];
        const file = expectation.principal.endsWith('boundary')
          ? 'bootstrap/boundaries.tf'
          : 'bootstrap/ci.tf';
        const got = decision.allowed ? 'allowed' : `not allowed (${decision.reason})`;
        return [finding(ID, file, expectation.name, `${cluster}: ${got}`)];
      }),
    );
  },
};
