import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { formatFinding } from '../../packages/platform/src/policy/finding.js';
import { fsSource } from './lib/fs-source.js';
import { memorySource } from './lib/memory-source.js';
import { allInstances } from './lib/module-tree.js';
import { checkTerraform, terraformPolicies } from './lib/policies/index.js';
import { loadRepository } from './lib/repository.js';

const TERRAFORM_ROOT = fileURLToPath(new URL('../terraform/', import.meta.url));

/** The repository's own .tf files, in memory, so a test can change one thing in the real configuration. */
const repositoryFiles = async (): Promise<Record<string, string>> => {
  const source = fsSource(TERRAFORM_ROOT);
  const files = (await Promise.all((await source.dirs()).map((dir) => source.tfFiles(dir)))).flat();
  return Object.fromEntries(files.map((file) => [file.path, file.text]));
};

const findingsOf = async (files: Record<string, string>) =>
  checkTerraform(await loadRepository(memorySource(files)));
const policiesHit = async (files: Record<string, string>) => [
  ...new Set((await findingsOf(files)).map((f) => f.policy)),
];

/** A root that passes every policy; each fixture below changes one thing in it. */
const VERSIONS = `terraform {
  required_version = "~> 1.11"
  required_providers {
    aws    = { source = "hashicorp/aws", version = "6.67.0" }
    random = { source = "hashicorp/random", version = "3.9.1" }
  }
  backend "s3" {
    key          = "envs/prod/terraform.tfstate"
    encrypt      = true
    use_lockfile = true
    kms_key_id   = "alias/runway-terraform-state"
  }
}
`;

const database = (overrides: string): string => `module "db" {
  source  = "terraform-aws-modules/rds/aws"
  version = "7.2.0"
  publicly_accessible = false
  storage_encrypted   = true
  multi_az            = true
  deletion_protection = true
  ${overrides}
}
`;

/** Every envs/<cluster> root tags what it creates with its cluster (terraform/cluster-tag). */
const providerOf = (cluster: string): string =>
  `provider "aws" {\n  default_tags {\n    tags = { cluster = "${cluster}" }\n  }\n}\n`;

const prodWith = (main: string, versions = VERSIONS): Record<string, string> => ({
  'envs/prod/versions.tf': versions,
  'envs/prod/providers.tf': providerOf('prod'),
  'envs/prod/main.tf': main,
});

describe('the repository Terraform', () => {
  it('passes every policy', async () => {
    const findings = checkTerraform(await loadRepository(fsSource(TERRAFORM_ROOT)));
    expect(findings.map(formatFinding)).toEqual([]);
  });

  it('has the roots and the modules the docs describe', async () => {
    const repository = await loadRepository(fsSource(TERRAFORM_ROOT));
    expect(repository.roots.map((root) => root.root)).toEqual(['bootstrap', 'envs/nonprod', 'envs/prod']);
    for (const cluster of ['nonprod', 'prod']) {
      const root = repository.roots.find((candidate) => candidate.root === `envs/${cluster}`);
      expect(root && allInstances(root).map((instance) => instance.address)).toEqual([
        `envs/${cluster}`,
        `envs/${cluster}/module.cluster`,
        `envs/${cluster}/module.cluster/module.database`,
        `envs/${cluster}/module.cluster/module.settings`,
      ]);
    }
  });

  it("proves prod's deletion protection from the root variable, through modules/cluster", async () => {
    const files = await repositoryFiles();
    const variables = files['envs/prod/variables.tf'] ?? '';
    const unprotected = variables.replace(
      /(variable "database_deletion_protection" \{[^}]*default\s*=\s*)true/,
      '$1false',
    );
    expect(unprotected).not.toBe(variables);
    const findings = await findingsOf({ ...files, 'envs/prod/variables.tf': unprotected });
    expect(findings.map((f) => [f.policy, f.path])).toEqual([
      [
        'terraform/rds-deletion-protection-in-prod',
        'envs/prod/module.cluster/module.database/module.rds.deletion_protection',
      ],
    ]);
  });
});

/** HCL text in a test: `#{x}` stands for Terraform's `${x}`, which a JavaScript string would read as a placeholder. */
const hcl = (text: string): string => text.replaceAll('#{', '${');

/** [policy or policies, file, what the repository has, the defect put back] */
type Regression = readonly [string | readonly string[], string, string | RegExp, string];

describe('each rule of issue 14 fails on the repository with its defect put back', () => {
  const cases: readonly (readonly [string, Regression])[] = [
    [
      'state without the bootstrap KMS key (defect 9)',
      [
        'terraform/backend-locked-and-encrypted',
        'envs/prod/versions.tf',
        /\n\s*kms_key_id = "alias\/runway-terraform-state"/,
        '',
      ],
    ],
    [
      'no committed cluster admins (defect 2)',
      [
        'terraform/eks-access-committed',
        'envs/prod/variables.tf',
        'default     = ["arn:aws:iam::111122223333:role/runway-platform-admin"]',
        'default     = []',
      ],
    ],
    [
      'the cluster creator left implicit (defect 2)',
      [
        'terraform/eks-access-committed',
        'modules/cluster/cluster.tf',
        /\n\s*enable_cluster_creator_admin_permissions = false/,
        '',
      ],
    ],
    [
      'KMS key administrators defaulting to the caller (defect 10)',
      [
        'terraform/eks-access-committed',
        'modules/cluster/cluster.tf',
        /\n\s*kms_key_administrators = var\.kms_key_administrator_arns/,
        '',
      ],
    ],
    [
      'no EBS CSI driver (defect 1)',
      [
        'terraform/eks-addons',
        'modules/cluster/cluster.tf',
        'aws-ebs-csi-driver = {',
        'aws-efs-csi-driver = {',
      ],
    ],
    [
      'NetworkPolicies not enforced (defect 4)',
      [
        'terraform/eks-addons',
        'modules/cluster/cluster.tf',
        /\n\s*configuration_values = jsonencode\(\{ enableNetworkPolicy = "true" \}\)/,
        '',
      ],
    ],
    [
      'External Secrets through IRSA (defect 3)',
      [
        'terraform/pod-identity-least-privilege',
        'modules/cluster/pod-identity.tf',
        'external_secrets_create_permission    = false',
        'external_secrets_create_permission    = false\n  trust_policy_statements = [{ actions = ["sts:AssumeRoleWithWebIdentity"] }]',
      ],
    ],
    [
      'External Secrets reading every secret',
      [
        'terraform/pod-identity-least-privilege',
        'modules/cluster/pod-identity.tf',
        'external_secrets_secrets_manager_arns = local.external_secrets_readable_arns',
        'external_secrets_secrets_manager_arns = ["*"]',
      ],
    ],
    [
      'no load balancer controller role (defect 4)',
      [
        'terraform/pod-identity-least-privilege',
        'modules/cluster/pod-identity.tf',
        'attach_aws_lb_controller_policy = true',
        'attach_aws_lb_controller_policy = false',
      ],
    ],
    [
      'a Pod Identity role without the workload boundary',
      [
        'terraform/roles-under-boundary',
        'modules/cluster/pod-identity.tf',
        /\n\s*permissions_boundary_arn = local\.workload_permissions_boundary_arn/,
        '',
      ],
    ],
    [
      'a node group role without the workload boundary',
      [
        'terraform/roles-under-boundary',
        'modules/cluster/cluster.tf',
        /\n\s*labels {9}= \{ "runway\.dev\/capacity" = "spot" \}\n\n\s*iam_role_permissions_boundary = local\.workload_permissions_boundary_arn/,
        '\n      labels         = { "runway.dev/capacity" = "spot" }',
      ],
    ],
    [
      'flow logs whose role has no boundary',
      [
        'terraform/roles-under-boundary',
        'modules/cluster/network.tf',
        /\n\s*vpc_flow_log_permissions_boundary\s*= local\.workload_permissions_boundary_arn/,
        '',
      ],
    ],
    [
      'a root whose resources the apply role cannot touch (no cluster tag)',
      ['terraform/cluster-tag', 'envs/nonprod/main.tf', 'cluster    = "nonprod"', 'cluster    = "staging"'],
    ],
    [
      'a plan role any pull request can assume (defect 8)',
      [
        'terraform/ci-role-trust',
        'bootstrap/ci.tf',
        hcl('subjects    = ["environment:#{local.plan_environment}"]'),
        'subjects    = ["pull_request"]',
      ],
    ],
    [
      'ReadOnlyAccess on the plan role (defect 8)',
      [
        'terraform/ci-role-trust',
        'bootstrap/ci.tf',
        hcl('subjects    = ["environment:#{local.plan_environment}"]'),
        hcl(
          'subjects    = ["environment:#{local.plan_environment}"]\n        managed_policy_arns = ["arn:aws:iam::aws:policy/ReadOnlyAccess"]',
        ),
      ],
    ],
    [
      'an apply role without a permissions boundary (defect 7)',
      [
        'terraform/ci-role-trust',
        'bootstrap/ci.tf',
        /\n\s*permissions_boundary = aws_iam_policy\.ci_apply_boundary\.arn/,
        '',
      ],
    ],
    [
      'a plan that reads SSM parameters (defect 8)',
      [
        'terraform/ci-plan-reads-its-state-only',
        'bootstrap/ci.tf',
        '"sts:GetCallerIdentity",',
        '"sts:GetCallerIdentity",\n    "ssm:GetParameter",',
      ],
    ],
    [
      "a plan that reads the account's own SSM parameters (defect 8)",
      [
        'terraform/ci-plan-reads-its-state-only',
        'bootstrap/ci.tf',
        hcl('ssm:#{var.region}::parameter/aws/service/eks/optimized-ami/*'),
        hcl('ssm:#{var.region}:#{local.account_id}:parameter/*'),
      ],
    ],
    [
      "a plan that reads every cluster's state (defect 8)",
      [
        'terraform/ci-plan-reads-its-state-only',
        'bootstrap/ci.tf',
        hcl('resources = ["#{local.state_bucket_arn}/envs/#{each.key}/*"]'),
        hcl('resources = ["#{local.state_bucket_arn}/*"]'),
      ],
    ],
    [
      'an apply that may create what another cluster owns (defect 7)',
      [
        // iam-decisions too: the apply role can no longer tag what it creates.
        ['terraform/ci-apply-scoped', 'terraform/iam-decisions'],
        'bootstrap/ci.tf',
        'variable = "aws:RequestTag/cluster"',
        'variable = "aws:RequestTag/owner"',
      ],
    ],
    [
      'an apply that may repoint any key alias (defect 7)',
      [
        'terraform/ci-apply-scoped',
        'bootstrap/ci.tf',
        hcl('"arn:#{local.partition}:kms:#{var.region}:#{local.account_id}:alias/runway-#{each.key}-*",'),
        '"*",',
      ],
    ],
    [
      'an argument the pinned module does not declare',
      [
        'terraform/module-interface',
        'modules/cluster/network.tf',
        'enable_dns_hostnames    = true',
        'enable_dns_hostname = true',
      ],
    ],
    [
      'an argument of the wrong type',
      [
        'terraform/module-interface',
        'modules/cluster/cluster.tf',
        'eks-pod-identity-agent = { before_compute = true }',
        'eks-pod-identity-agent = { before_compute = "yes" }',
      ],
    ],
    [
      'an output the pinned module does not declare',
      [
        'terraform/module-interface',
        'modules/cluster/outputs.tf',
        'module.eks.cluster_endpoint',
        'module.eks.cluster_endpoint_url',
      ],
    ],
  ];

  it.each(cases)('%s', async (_name, [policy, file, present, broken]) => {
    const files = await repositoryFiles();
    const original = files[file] ?? '';
    const changed = original.replace(present, broken);
    expect(changed).not.toBe(original);
    expect(await policiesHit({ ...files, [file]: changed })).toEqual(
      typeof policy === 'string' ? [policy] : policy,
    );
  });
});

/**
 * [file, what the repository has, the defect put back, the paths of the iam-decisions findings it must produce,
 * the other policies it also hits]
 */
type ReviewRegression = readonly [string, string | RegExp, string, readonly string[], (readonly string[])?];

const OWN_TAG_WRITES = [
  'an apply cannot re-tag what another cluster owns (ec2:CreateTags)',
  'an apply cannot re-tag what another cluster owns (secretsmanager:TagResource)',
  'an apply cannot re-tag what another cluster owns (kms:TagResource)',
  'an apply cannot re-tag what another cluster owns (logs:TagResource)',
  'an apply cannot re-tag what another cluster owns (rds:AddTagsToResource)',
  'an apply cannot re-tag what another cluster owns (eks:TagResource)',
  'an apply cannot re-tag what another cluster owns (iam:TagRole)',
  'an apply cannot remove the cluster tag (ec2:DeleteTags)',
  'an apply cannot remove the cluster tag (secretsmanager:UntagResource)',
  'an apply cannot remove the cluster tag (iam:UntagRole)',
  'an apply cannot hand what it owns to another cluster',
];

describe('terraform/iam-decisions: each finding of the review against the upstream sources, with its defect put back', () => {
  const cases: readonly (readonly [string, ReviewRegression])[] = [
    [
      'the apply boundary denying iam:* on the bootstrap roles, reads included (blocker)',
      [
        'bootstrap/boundaries.tf',
        /actions = \[\n\s*"iam:Add\*",[\s\S]*?"iam:Upload\*",\n\s*\]/,
        'actions = ["iam:*"]',
        [
          'the apply boundary lets the apply role read itself (iam:GetRole)',
          'the apply boundary lets the apply role read its tags (iam:ListRoleTags)',
        ],
      ],
    ],
    [
      'the apply boundary denying too few writes on the bootstrap',
      [
        'bootstrap/boundaries.tf',
        /actions = \[\n\s*"iam:Add\*",[\s\S]*?"iam:Upload\*",\n\s*\]/,
        'actions = ["iam:Delete*"]',
        [
          "the apply boundary denies iam:UpdateAssumeRolePolicy on the bootstrap's role/runway-terraform-apply-prod",
          "the apply boundary denies iam:PutRolePolicy on the bootstrap's role/runway-terraform-plan-prod",
          "the apply boundary denies iam:AttachRolePolicy on the bootstrap's role/runway-terraform-apply-nonprod",
          "the apply boundary denies iam:TagRole on the bootstrap's role/runway-terraform-apply-prod",
          "the apply boundary denies iam:PassRole on the bootstrap's role/runway-terraform-apply-prod",
          "the apply boundary denies iam:CreatePolicyVersion on the bootstrap's policy/runway-ci-apply-boundary",
        ],
      ],
    ],
    [
      "the workload boundary denying ELB's service-linked role",
      [
        'bootstrap/boundaries.tf',
        /\n\s*condition \{\n\s*test\s*= "StringNotEquals"\n\s*variable = "iam:AWSServiceName"[^}]*\}/,
        '',
        ["the workload boundary lets the load balancer controller create ELB's service-linked role"],
      ],
    ],
    [
      'the workload boundary with its exception inverted',
      [
        'bootstrap/boundaries.tf',
        'test     = "StringNotEquals"\n      variable = "iam:AWSServiceName"',
        'test     = "StringEquals"\n      variable = "iam:AWSServiceName"',
        [
          "the workload boundary lets the load balancer controller create ELB's service-linked role",
          "the workload boundary denies any other service's linked role",
          'the workload boundary denies iam:CreateRole',
          'the workload boundary denies iam:AttachRolePolicy',
          'the workload boundary denies iam:PutRolePolicy',
          'the workload boundary denies iam:UpdateAssumeRolePolicy',
        ],
      ],
    ],
    [
      'apply roles scoped by the request tag alone (any resource re-tagged to this cluster)',
      [
        'bootstrap/ci.tf',
        /\n {2}# The cluster tag is the scope[\s\S]*?(?=\n {2}# links-database keeps)/,
        '',
        OWN_TAG_WRITES,
      ],
    ],
    [
      "a tag guard that also refuses untagged resources (the VPC's defaults)",
      [
        'bootstrap/ci.tf',
        /condition \{\n\s*test\s*= "Null"\n\s*variable = "aws:ResourceTag\/cluster"\n\s*values\s*= \["false"\]\n\s*\}/,
        '',
        [
          'an apply tags an untagged default resource with its cluster (security-group)',
          'an apply tags an untagged default resource with its cluster (route-table)',
          'an apply tags an untagged default resource with its cluster (network-acl)',
          'an apply tags what it creates (EC2 create-time tags)',
          'an apply lets RDS secretsmanager:TagResource its master user secret',
        ],
      ],
    ],
    [
      "no grant for RDS's master user secret",
      [
        'bootstrap/ci.tf',
        /\n {2}statement \{\n\s*sid\s*= "RdsManagesItsMasterUserSecret"[\s\S]*?\n {2}\}\n/,
        '\n',
        [
          'an apply lets RDS secretsmanager:CreateSecret its master user secret',
          'an apply lets RDS secretsmanager:TagResource its master user secret',
        ],
      ],
    ],
    [
      'the rds! grant without aws:CalledVia',
      [
        'bootstrap/ci.tf',
        /(secret:rds!\*"\])\n\s*condition \{[^}]*\}/,
        '$1',
        ['an apply itself cannot create an untagged rds! secret'],
        ['terraform/ci-apply-scoped'],
      ],
    ],
    [
      'listing the state bucket only under a prefix (403 for a missing state)',
      [
        'bootstrap/ci.tf',
        hcl('resources = [local.state_bucket_arn]\n  }'),
        hcl(
          'resources = [local.state_bucket_arn]\n    condition {\n      test     = "StringLike"\n      variable = "s3:prefix"\n      values   = ["envs/#{each.key}/*", "env:/*"]\n    }\n  }',
        ),
        [
          'the plan role may list the state bucket without a prefix (404 for a missing state)',
          'the apply role may list the state bucket without a prefix (404 for a missing state)',
        ],
      ],
    ],
    [
      'iam:UpdateRole* alone (no iam:UpdateAssumeRolePolicy)',
      [
        'bootstrap/ci.tf',
        /\n\s*"iam:UpdateAssumeRolePolicy",/,
        '',
        ["an apply updates the trust policy of its cluster's roles"],
      ],
    ],
  ];

  it.each(cases)('%s', async (_name, [file, present, broken, paths, alsoHit = []]) => {
    const files = await repositoryFiles();
    const original = files[file] ?? '';
    const changed = original.replace(present, broken);
    expect(changed).not.toBe(original);
    const findings = await findingsOf({ ...files, [file]: changed });
    expect([...new Set(findings.map((f) => f.policy))].sort()).toEqual(
      ['terraform/iam-decisions', ...alsoHit].sort(),
    );
    const decisions = findings.filter((f) => f.policy === 'terraform/iam-decisions');
    expect([...new Set(decisions.map((f) => f.path))].sort()).toEqual([...paths].sort());
  });
});

describe('terraform/secret-recovery-window', () => {
  it.each([
    ['nonprod keeping deleted secrets for 30 days (no rebuild within them)', 'nonprod', '0', '30', '0'],
    ['prod deleting its secrets at once', 'prod', '30', '0', '7 to 30'],
  ])('%s', async (_name, cluster, present, broken, wanted) => {
    const files = await repositoryFiles();
    const file = `envs/${cluster}/variables.tf`;
    const original = files[file] ?? '';
    const changed = original.replace(
      new RegExp(`(variable "secret_recovery_window_days" \\{[^}]*default\\s*=\\s*)${present}`),
      `$1${broken}`,
    );
    expect(changed).not.toBe(original);
    const findings = await findingsOf({ ...files, [file]: changed });
    expect(findings.map((f) => [f.policy, f.path, f.message])).toEqual([
      [
        'terraform/secret-recovery-window',
        `envs/${cluster}/module.cluster/aws_secretsmanager_secret.platform.recovery_window_in_days`,
        `must be ${wanted} in ${cluster} (got ${broken})`,
      ],
    ]);
  });
});

describe('each policy catches a violation', () => {
  it('the baseline fixture is clean, so every hit below comes from its one change', async () => {
    expect(await findingsOf(prodWith(database('')))).toEqual([]);
  });

  it.each([
    [
      'terraform/rds-not-public',
      database('').replace('publicly_accessible = false', 'publicly_accessible = true'),
    ],
    ['terraform/rds-not-public', database('').replace('publicly_accessible = false', '')],
    [
      'terraform/rds-storage-encrypted',
      database('').replace('storage_encrypted   = true', 'storage_encrypted = false'),
    ],
    [
      'terraform/rds-multi-az-in-prod',
      database('').replace('multi_az            = true', 'multi_az = false'),
    ],
    ['terraform/rds-deletion-protection-in-prod', database('').replace('deletion_protection = true', '')],
  ])('%s', async (policy, main) => {
    expect(await policiesHit(prodWith(main))).toEqual([policy]);
  });

  it('follows var references through local modules to prove deletion protection', async () => {
    const files = {
      'envs/prod/versions.tf': VERSIONS,
      'envs/prod/providers.tf': providerOf('prod'),
      'envs/prod/main.tf': `variable "protect" {
  description = "protect the database"
  type        = bool
  default     = false
}
module "database" {
  source     = "../../modules/db"
  protection = var.protect
}
`,
      'modules/db/main.tf': `terraform {
  required_version = "~> 1.11"
}
variable "protection" {
  description = "protect the database"
  type        = bool
  default     = true
}
${database('').replace('deletion_protection = true', 'deletion_protection = var.protection')}`,
    };
    const findings = await findingsOf(files);
    expect(findings.map((f) => [f.policy, f.path])).toEqual([
      [
        'terraform/rds-deletion-protection-in-prod',
        'envs/prod/module.database/module.db.deletion_protection',
      ],
    ]);
    const fixed = {
      ...files,
      'envs/prod/main.tf': files['envs/prod/main.tf'].replace('default     = false', 'default     = true'),
    };
    expect(await findingsOf(fixed)).toEqual([]);
  });

  it('multi-AZ and deletion protection are required in prod only', async () => {
    const nonprod = {
      'envs/nonprod/versions.tf': VERSIONS,
      'envs/nonprod/providers.tf': providerOf('nonprod'),
      'envs/nonprod/main.tf': database('').replace('multi_az            = true', 'multi_az = false'),
    };
    expect(await findingsOf(nonprod)).toEqual([]);
  });

  it.each([
    [
      'a security group rule open to the internet',
      `resource "aws_security_group_rule" "ssh" {
  type        = "ingress"
  from_port   = 22
  to_port     = 22
  protocol    = "tcp"
  cidr_blocks = ["0.0.0.0/0"]
}`,
    ],
    [
      'an inline ingress block open over IPv6',
      `resource "aws_security_group" "web" {
  ingress {
    from_port        = 443
    to_port          = 443
    protocol         = "tcp"
    ipv6_cidr_blocks = ["::/0"]
  }
}`,
    ],
    [
      'a VPC ingress rule',
      `resource "aws_vpc_security_group_ingress_rule" "db" {
  cidr_ipv4   = "0.0.0.0/0"
  from_port   = 5432
  to_port     = 5432
  ip_protocol = "tcp"
}`,
    ],
    [
      'a variable whose default opens the internet',
      `variable "allowed" {
  description = "who may connect"
  type        = list(string)
  default     = ["0.0.0.0/0"]
}`,
    ],
    [
      'the EKS module left with its public endpoint default',
      `variable "admins" {
  description = "cluster admins"
  type        = list(string)
  default     = ["arn:aws:iam::111122223333:role/admin"]
}
module "eks" {
  source  = "terraform-aws-modules/eks/aws"
  version = "21.19.0"
  endpoint_public_access = true
  enable_cluster_creator_admin_permissions = false
  iam_role_permissions_boundary            = "arn:aws:iam::111122223333:policy/boundary"
  access_entries         = { for arn in var.admins : arn => { principal_arn = arn } }
  kms_key_administrators = var.admins
  addons = {
    vpc-cni            = { configuration_values = jsonencode({ enableNetworkPolicy = "true" }) }
    aws-ebs-csi-driver = { pod_identity_association = [{ role_arn = "x", service_account = "ebs-csi-controller-sa" }] }
  }
}
module "lb" {
  source  = "terraform-aws-modules/eks-pod-identity/aws"
  version = "2.8.1"
  permissions_boundary_arn        = "arn:aws:iam::111122223333:policy/boundary"
  attach_aws_lb_controller_policy = true
  associations = { lb = { cluster_name = "c", namespace = "kube-system", service_account = "aws-load-balancer-controller" } }
}`,
    ],
  ])('terraform/no-open-ingress: %s', async (_name, main) => {
    const versions = VERSIONS.replace(
      'random = { source = "hashicorp/random", version = "3.9.1" }',
      [
        'random = { source = "hashicorp/random", version = "3.9.1" }',
        'tls = { source = "hashicorp/tls", version = "4.4.1" }',
        'time = { source = "hashicorp/time", version = "0.14.2" }',
        'cloudinit = { source = "hashicorp/cloudinit", version = "2.4.1" }',
        'null = { source = "hashicorp/null", version = "3.3.2" }',
      ].join('\n    '),
    );
    expect(await policiesHit(prodWith(main, versions))).toEqual(['terraform/no-open-ingress']);
  });

  it('terraform/no-open-ingress allows egress and a load balancer', async () => {
    const main = `resource "aws_security_group" "public_alb" {
  ingress {
    from_port   = 443
    to_port     = 443
    protocol    = "tcp"
    cidr_blocks = ["0.0.0.0/0"]
  }
  egress {
    from_port   = 0
    to_port     = 0
    protocol    = "-1"
    cidr_blocks = ["0.0.0.0/0"]
  }
}
resource "aws_security_group_rule" "nodes_out" {
  type        = "egress"
  from_port   = 0
  to_port     = 0
  protocol    = "-1"
  cidr_blocks = ["0.0.0.0/0"]
}`;
    expect(await findingsOf(prodWith(main))).toEqual([]);
  });

  it.each([
    ['a key pair in the provider', 'provider "aws" {\n  access_key = "x"\n  secret_key = "y"\n}'],
    ['an access key id in the text', `locals {\n  key = "${'AKIA'}${'IOSFODNN7EXAMPLE'}"\n}`],
    ['a long-lived IAM user key', 'resource "aws_iam_access_key" "ci" {\n  user = "ci"\n}'],
  ])('terraform/no-static-credentials: %s', async (_name, main) => {
    expect(await policiesHit(prodWith(main))).toEqual(['terraform/no-static-credentials']);
  });

  it.each([
    ['a registry module without a version', database('').replace('version = "7.2.0"', '')],
    ['a registry module with a range', database('').replace('version = "7.2.0"', 'version = "~> 7.2"')],
  ])('terraform/module-pinned: %s', async (_name, main) => {
    expect(await policiesHit(prodWith(main))).toEqual(['terraform/module-pinned']);
  });

  it('terraform/module-pinned: a git module on a branch (whose providers are also unchecked)', async () => {
    const main = `module "x" {\n  source = "git::https://example.com/org/mod.git?ref=main"\n}\n${database('')}`;
    expect(await policiesHit(prodWith(main))).toEqual([
      'terraform/module-pinned',
      'terraform/provider-pinned',
    ]);
  });

  it.each([
    ['a provider with a range', VERSIONS.replace('version = "6.67.0"', 'version = ">= 6.0"')],
    ['no required_version', VERSIONS.replace('required_version = "~> 1.11"', '')],
    ['a registry module provider left unpinned', VERSIONS.replace(/\n\s*random = .*\n/, '\n')],
  ])('terraform/provider-pinned: %s', async (_name, versions) => {
    expect(await policiesHit(prodWith(database(''), versions))).toEqual(['terraform/provider-pinned']);
  });

  it('terraform/provider-pinned: a registry module whose providers nobody has checked', async () => {
    const main = `${database('')}module "new" {\n  source  = "someone/thing/aws"\n  version = "1.0.0"\n}\n`;
    const findings = await findingsOf(prodWith(main));
    expect(findings.map((f) => f.message)).toEqual([
      'unknown provider set of someone/thing/aws: add it to the table',
    ]);
  });

  it.each([
    ['no lock file', VERSIONS.replace('use_lockfile = true', '')],
    ['no encryption', VERSIONS.replace('encrypt      = true', 'encrypt = false')],
    [
      'DynamoDB locking',
      VERSIONS.replace('use_lockfile = true', 'use_lockfile = true\n    dynamodb_table = "locks"'),
    ],
    ['local state', VERSIONS.replace(/backend "s3" \{[^}]*\}/, '')],
  ])('terraform/backend-locked-and-encrypted: %s', async (_name, versions) => {
    expect(await policiesHit(prodWith(database(''), versions))).toEqual([
      'terraform/backend-locked-and-encrypted',
    ]);
  });

  it('terraform/state-bucket-hardened: a bucket without versioning, encryption or public access block', async () => {
    const bootstrap = {
      'bootstrap/versions.tf':
        'terraform {\n  required_version = "~> 1.11"\n  required_providers {\n    aws = { source = "hashicorp/aws", version = "6.67.0" }\n  }\n}\n',
      'bootstrap/main.tf': `resource "aws_s3_bucket" "state" {
  bucket = "state"
}
resource "aws_s3_bucket_public_access_block" "state" {
  bucket                  = aws_s3_bucket.state.id
  block_public_acls       = true
  block_public_policy     = false
  ignore_public_acls      = true
  restrict_public_buckets = true
}`,
    };
    const findings = await findingsOf(bootstrap);
    expect(findings.map((f) => [f.policy, f.path])).toEqual([
      ['terraform/state-bucket-hardened', 'aws_s3_bucket.state: versioning'],
      ['terraform/state-bucket-hardened', 'aws_s3_bucket.state: encryption'],
      ['terraform/state-bucket-hardened', 'aws_s3_bucket.state: public access'],
    ]);
  });

  it('terraform/documented-interface: an undocumented variable, an untyped one, an undocumented output', async () => {
    const main = `${database('')}variable "a" {\n  type = string\n}\nvariable "b" {\n  description = "b"\n}\noutput "c" {\n  value = 1\n}\n`;
    const findings = await findingsOf(prodWith(main));
    expect(findings.map((f) => [f.policy, f.path, f.message])).toEqual([
      ['terraform/documented-interface', 'variable.a', 'needs a description'],
      ['terraform/documented-interface', 'variable.b', 'needs a type'],
      ['terraform/documented-interface', 'output.c', 'needs a description'],
    ]);
  });

  it('every policy has a fixture above', () => {
    expect(terraformPolicies.map((policy) => policy.id).sort()).toEqual([
      'terraform/backend-locked-and-encrypted',
      'terraform/ci-apply-scoped',
      'terraform/ci-plan-reads-its-state-only',
      'terraform/ci-role-trust',
      'terraform/cluster-tag',
      'terraform/documented-interface',
      'terraform/eks-access-committed',
      'terraform/eks-addons',
      'terraform/iam-decisions',
      'terraform/module-interface',
      'terraform/module-pinned',
      'terraform/no-open-ingress',
      'terraform/no-static-credentials',
      'terraform/pod-identity-least-privilege',
      'terraform/provider-pinned',
      'terraform/rds-deletion-protection-in-prod',
      'terraform/rds-multi-az-in-prod',
      'terraform/rds-not-public',
      'terraform/rds-storage-encrypted',
      'terraform/roles-under-boundary',
      'terraform/secret-recovery-window',
      'terraform/state-bucket-hardened',
    ]);
  });
});
