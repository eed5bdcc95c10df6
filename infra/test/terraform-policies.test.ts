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

const prodWith = (main: string, versions = VERSIONS): Record<string, string> => ({
  'envs/prod/versions.tf': versions,
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
      `module "eks" {
  source  = "terraform-aws-modules/eks/aws"
  version = "21.19.0"
  endpoint_public_access = true
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
      'terraform/documented-interface',
      'terraform/module-pinned',
      'terraform/no-open-ingress',
      'terraform/no-static-credentials',
      'terraform/provider-pinned',
      'terraform/rds-deletion-protection-in-prod',
      'terraform/rds-multi-az-in-prod',
      'terraform/rds-not-public',
      'terraform/rds-storage-encrypted',
      'terraform/state-bucket-hardened',
    ]);
  });
});
