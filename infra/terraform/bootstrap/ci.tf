# CI roles by job and by cluster (docs/aws.md, "CI roles"): a plan role and an apply role per cluster this account
# holds. Each role trusts one protected GitHub environment only (never `pull_request`), reads and writes only its own
# cluster's state prefix, and the apply roles are capped by a permissions boundary.
locals {
  # The GitHub environments whose tokens the roles trust, all protected with required reviewers (docs/aws.md). The
  # workflow's jobs must run in exactly these: infra/test checks infra.yml against this map.
  plan_environment   = "infra-plan"
  apply_environments = { nonprod = "infra-nonprod", prod = "infra-prod" }

  state_bucket_arn = "arn:${data.aws_partition.current.partition}:s3:::${var.state_bucket_name}"
  account_id       = data.aws_caller_identity.current.account_id
  partition        = data.aws_partition.current.partition

  # Services whose reads `terraform plan` refreshes for an envs/<cluster> root: what modules/cluster declares.
  # Nothing of SSM, Lambda or S3 beyond the state prefix; no secret value (Describe, not GetSecretValue).
  plan_read_actions = [
    "ec2:Describe*",
    "ec2:GetLaunchTemplateData",
    "eks:Describe*",
    "eks:List*",
    "iam:GetOpenIDConnectProvider",
    "iam:GetPolicy",
    "iam:GetPolicyVersion",
    "iam:GetRole",
    "iam:GetRolePolicy",
    "iam:ListAttachedRolePolicies",
    "iam:ListInstanceProfilesForRole",
    "iam:ListPolicyVersions",
    "iam:ListRolePolicies",
    "kms:DescribeKey",
    "kms:GetKeyPolicy",
    "kms:GetKeyRotationStatus",
    "kms:ListAliases",
    "kms:ListResourceTags",
    "logs:DescribeLogGroups",
    "logs:ListTagsForResource",
    "rds:Describe*",
    "rds:ListTagsForResource",
    "secretsmanager:DescribeSecret",
    "secretsmanager:GetResourcePolicy",
    "sts:GetCallerIdentity",
  ]

  # Tag writes, by service, of what the apply roles change (their tag is their scope).
  tag_actions = [
    "ec2:CreateTags",
    "eks:TagResource",
    "iam:Tag*",
    "kms:TagResource",
    "logs:TagLogGroup",
    "logs:TagResource",
    "rds:AddTagsToResource",
    "secretsmanager:TagResource",
  ]
  untag_actions = [
    "ec2:DeleteTags",
    "eks:UntagResource",
    "iam:Untag*",
    "kms:UntagResource",
    "logs:UntagLogGroup",
    "logs:UntagResource",
    "rds:RemoveTagsFromResource",
    "secretsmanager:UntagResource",
  ]
}

data "aws_partition" "current" {}
data "aws_caller_identity" "current" {}

# State access of one cluster's roles: its own prefix of the bucket, and the state key only through S3.
data "aws_iam_policy_document" "state_access" {
  for_each = toset(var.clusters)

  # Listing shows names only, and without it S3 answers a missing object with 403 instead of 404 (S3 API reference,
  # GetObject and HeadObject permissions): the first init and plan of a cluster read a state that does not exist yet.
  # That request carries no s3:prefix, so the listing cannot be narrowed to a prefix.
  statement {
    sid       = "ListTheStateBucket"
    actions   = ["s3:ListBucket"]
    resources = [local.state_bucket_arn]
  }

  statement {
    sid       = "ReadWriteOwnStateAndLock"
    actions   = ["s3:GetObject", "s3:PutObject", "s3:DeleteObject"]
    resources = ["${local.state_bucket_arn}/envs/${each.key}/*"]
  }

  statement {
    sid       = "UseTheStateKeyThroughS3"
    actions   = ["kms:Decrypt", "kms:Encrypt", "kms:GenerateDataKey"]
    resources = [aws_kms_key.state.arn]
    condition {
      test     = "StringEquals"
      variable = "kms:ViaService"
      values   = ["s3.${var.region}.amazonaws.com"]
    }
  }
}

# A plan writes only its lock file; it reads the state and refreshes what the configuration declares.
data "aws_iam_policy_document" "plan" {
  for_each = toset(var.clusters)

  source_policy_documents = [data.aws_iam_policy_document.state_access[each.key].json]

  statement {
    sid       = "RefreshDeclaredResources"
    actions   = local.plan_read_actions
    resources = ["*"]
  }

  # AWS's public parameter of the EKS AMI release: eks 21.19.0 modules/eks-managed-node-group/main.tf reads it on every
  # plan (data "aws_ssm_parameter" "ami"; use_latest_ami_release_version defaults to true). Public parameters have no
  # account in their ARN, so none of the account's own parameters is readable.
  statement {
    sid       = "PublicEksAmiParameters"
    actions   = ["ssm:GetParameter"]
    resources = ["arn:${local.partition}:ssm:${var.region}::parameter/aws/service/eks/optimized-ami/*"]
  }

  statement {
    sid       = "NoStateOutsideTheLockFile"
    effect    = "Deny"
    actions   = ["s3:PutObject", "s3:DeleteObject"]
    resources = ["${local.state_bucket_arn}/envs/${each.key}/terraform.tfstate"]
  }
}

# An apply changes what its cluster owns: resources tagged cluster=<cluster> (every root sets that tag through the
# provider's default_tags), and creates new ones only with that tag. IAM roles it creates must carry the workload
# boundary, so no role it makes can do more than that boundary allows.
data "aws_iam_policy_document" "apply" {
  for_each = toset(var.clusters)

  source_policy_documents = [data.aws_iam_policy_document.plan[each.key].json]

  statement {
    sid       = "CreateOnlyTaggedForThisCluster"
    actions   = ["ec2:*", "eks:*", "rds:*", "kms:*", "secretsmanager:*", "logs:*", "iam:Tag*"]
    resources = ["*"]
    condition {
      test     = "StringEquals"
      variable = "aws:RequestTag/cluster"
      values   = [each.key]
    }
  }

  statement {
    sid       = "ChangeOnlyWhatThisClusterOwns"
    actions   = ["ec2:*", "eks:*", "rds:*", "kms:*", "secretsmanager:*", "logs:*"]
    resources = ["*"]
    condition {
      test     = "StringEquals"
      variable = "aws:ResourceTag/cluster"
      values   = [each.key]
    }
  }

  statement {
    sid = "RolesOnlyWithTheWorkloadBoundary"
    actions = [
      "iam:CreateRole",
      "iam:PutRolePermissionsBoundary",
      "iam:AttachRolePolicy",
      "iam:DetachRolePolicy",
      "iam:PutRolePolicy",
      "iam:DeleteRolePolicy",
    ]
    resources = ["arn:${local.partition}:iam::${local.account_id}:role/*"]
    condition {
      test     = "StringEquals"
      variable = "iam:PermissionsBoundary"
      values   = [aws_iam_policy.workload_boundary.arn]
    }
  }

  statement {
    sid       = "CreateIamTaggedForThisCluster"
    actions   = ["iam:CreatePolicy", "iam:CreateOpenIDConnectProvider"]
    resources = ["*"]
    condition {
      test     = "StringEquals"
      variable = "aws:RequestTag/cluster"
      values   = [each.key]
    }
  }

  statement {
    sid = "ManageOwnIam"
    actions = [
      "iam:DeleteRole",
      "iam:UpdateRole*",
      "iam:UpdateAssumeRolePolicy",
      "iam:CreatePolicyVersion",
      "iam:DeletePolicy",
      "iam:DeletePolicyVersion",
      "iam:DeleteOpenIDConnectProvider",
      "iam:UpdateOpenIDConnectProviderThumbprint",
      "iam:Untag*",
    ]
    resources = ["*"]
    condition {
      test     = "StringEquals"
      variable = "aws:ResourceTag/cluster"
      values   = [each.key]
    }
  }

  # Aliases carry no tags: they are scoped by name (the cluster's own keys: runway-<cluster>-*, and eks/runway-<cluster>
  # from the EKS module).
  statement {
    sid     = "OwnKeyAliases"
    actions = ["kms:CreateAlias", "kms:DeleteAlias", "kms:UpdateAlias"]
    resources = [
      "arn:${local.partition}:kms:${var.region}:${local.account_id}:alias/runway-${each.key}-*",
      "arn:${local.partition}:kms:${var.region}:${local.account_id}:alias/eks/runway-${each.key}",
    ]
  }

  statement {
    sid       = "PassOwnRolesToEksAndEc2"
    actions   = ["iam:PassRole"]
    resources = ["arn:${local.partition}:iam::${local.account_id}:role/*"]
    condition {
      test     = "StringEquals"
      variable = "iam:PassedToService"
      values   = ["eks.amazonaws.com", "ec2.amazonaws.com", "pods.eks.amazonaws.com", "vpc-flow-logs.amazonaws.com"]
    }
    condition {
      test     = "StringEquals"
      variable = "aws:ResourceTag/cluster"
      values   = [each.key]
    }
  }

  # The cluster tag is the scope of everything above, so it must not move: an apply that could tag another cluster's
  # resource with its own name (CreateOnlyTaggedForThisCluster allows the tag write) would own it next. Tags on an
  # untagged resource (the VPC's default security group, route table and network ACL, which the vpc module adopts)
  # and on this cluster's own resources stay writable; the cluster key is set at create and never changed.
  statement {
    sid       = "NoTagsOnWhatAnotherClusterOwns"
    effect    = "Deny"
    actions   = concat(local.tag_actions, local.untag_actions)
    resources = ["*"]
    condition {
      test     = "Null"
      variable = "aws:ResourceTag/cluster"
      values   = ["false"]
    }
    condition {
      test     = "StringNotEquals"
      variable = "aws:ResourceTag/cluster"
      values   = [each.key]
    }
  }

  statement {
    sid       = "TheClusterTagNamesThisClusterOnly"
    effect    = "Deny"
    actions   = local.tag_actions
    resources = ["*"]
    condition {
      test     = "Null"
      variable = "aws:RequestTag/cluster"
      values   = ["false"]
    }
    condition {
      test     = "StringNotEquals"
      variable = "aws:RequestTag/cluster"
      values   = [each.key]
    }
  }

  statement {
    sid       = "TheClusterTagStays"
    effect    = "Deny"
    actions   = local.untag_actions
    resources = ["*"]
    condition {
      test     = "ForAnyValue:StringEquals"
      variable = "aws:TagKeys"
      values   = ["cluster"]
    }
  }

  # links-database keeps the master password in Secrets Manager under a customer key: RDS creates and tags that
  # `rds!...` secret with the caller's permissions, through a forward access session (aws:CalledVia), and without the
  # cluster tag (RDS User Guide, "Password management with Amazon RDS and AWS Secrets Manager").
  statement {
    sid       = "RdsManagesItsMasterUserSecret"
    actions   = ["secretsmanager:CreateSecret", "secretsmanager:TagResource"]
    resources = ["arn:${local.partition}:secretsmanager:${var.region}:${local.account_id}:secret:rds!*"]
    condition {
      test     = "ForAnyValue:StringEquals"
      variable = "aws:CalledVia"
      values   = ["rds.amazonaws.com"]
    }
  }

  statement {
    sid       = "ServiceLinkedRolesOfTheServicesUsed"
    actions   = ["iam:CreateServiceLinkedRole"]
    resources = ["*"]
    condition {
      test     = "StringEquals"
      variable = "iam:AWSServiceName"
      values   = ["eks.amazonaws.com", "eks-nodegroup.amazonaws.com", "rds.amazonaws.com", "autoscaling.amazonaws.com", "spot.amazonaws.com"]
    }
  }
}

module "github_oidc" {
  source = "../modules/github-oidc"

  repository      = var.github_repository
  create_provider = var.create_github_oidc_provider

  # Plans run in the protected environment infra-plan (required reviewers), so a pull request's job, whatever its
  # workflow says, gets a plan token only after a maintainer approves that run.
  roles = merge(
    {
      for cluster in var.clusters : "runway-terraform-plan-${cluster}" => {
        description = "terraform plan of envs/${cluster} from the protected GitHub environment ${local.plan_environment}"
        subjects    = ["environment:${local.plan_environment}"]
      }
    },
    {
      for cluster in var.clusters : "runway-terraform-apply-${cluster}" => {
        description          = "terraform apply of envs/${cluster} from the protected GitHub environment ${local.apply_environments[cluster]}"
        subjects             = ["environment:${local.apply_environments[cluster]}"]
        permissions_boundary = aws_iam_policy.ci_apply_boundary.arn
      }
    },
  )

  inline_policies = merge(
    { for cluster in var.clusters : "runway-terraform-plan-${cluster}" => data.aws_iam_policy_document.plan[cluster].json },
    { for cluster in var.clusters : "runway-terraform-apply-${cluster}" => data.aws_iam_policy_document.apply[cluster].json },
  )
}
