# Permissions boundaries: the most an apply role, and any role an apply creates, can ever do, whatever policy gets
# attached to it later (effective rights = identity policy ∩ boundary). Both leave the bootstrap alone: the CI roles,
# the boundaries, the state bucket's settings, the bootstrap's own state and the state key outside S3.
locals {
  bootstrap_iam = [
    "arn:${local.partition}:iam::${local.account_id}:role/runway-terraform-*",
    "arn:${local.partition}:iam::${local.account_id}:policy/runway-*-boundary",
    "arn:${local.partition}:iam::${local.account_id}:oidc-provider/token.actions.githubusercontent.com",
  ]
}

data "aws_iam_policy_document" "boundary_common" {
  statement {
    sid       = "WithinTheIdentityPolicy"
    actions   = ["*"]
    resources = ["*"]
  }

  # Writes only: every plan and apply reads its own role (eks 21.19.0 main.tf, data "aws_iam_session_context", which
  # the AWS provider answers with iam:GetRole), so a deny of iam:* here would fail every CI run at plan.
  statement {
    sid    = "NoChangeToTheBootstrapIam"
    effect = "Deny"
    actions = [
      "iam:Add*",
      "iam:Attach*",
      "iam:Create*",
      "iam:Delete*",
      "iam:Detach*",
      "iam:PassRole",
      "iam:Put*",
      "iam:Remove*",
      "iam:Set*",
      "iam:Tag*",
      "iam:Untag*",
      "iam:Update*",
      "iam:Upload*",
    ]
    resources = local.bootstrap_iam
  }

  statement {
    sid       = "NoRemovingABoundary"
    effect    = "Deny"
    actions   = ["iam:DeleteRolePermissionsBoundary", "iam:DeleteUserPermissionsBoundary"]
    resources = ["*"]
  }

  statement {
    sid       = "NoBootstrapState"
    effect    = "Deny"
    actions   = ["s3:*"]
    resources = ["${local.state_bucket_arn}/bootstrap/*"]
  }

  statement {
    sid       = "StateBucketSettingsAreTheBootstrap"
    effect    = "Deny"
    actions   = ["s3:PutBucket*", "s3:DeleteBucket*", "s3:PutEncryptionConfiguration", "s3:PutLifecycleConfiguration"]
    resources = [local.state_bucket_arn]
  }

  statement {
    sid       = "StateKeyOnlyThroughS3"
    effect    = "Deny"
    actions   = ["kms:*"]
    resources = [aws_kms_key.state.arn]
    condition {
      test     = "StringNotEquals"
      variable = "kms:ViaService"
      values   = ["s3.${var.region}.amazonaws.com"]
    }
  }
}

# The apply roles' boundary.
resource "aws_iam_policy" "ci_apply_boundary" {
  name        = "runway-ci-apply-boundary"
  description = "Permissions boundary of the runway-terraform-apply-* roles: never the bootstrap's IAM, state or key"
  policy      = data.aws_iam_policy_document.boundary_common.json
}

data "aws_iam_policy_document" "workload_boundary" {
  source_policy_documents = [data.aws_iam_policy_document.boundary_common.json]

  # Roles the apply creates serve pods and nodes (EBS CSI, load balancer controller, External Secrets, nodes, flow
  # logs): none of them has any business with IAM, so a role given too much still cannot mint itself more. The one
  # exception is ELB's service-linked role, which the load balancer controller creates with the first load balancer
  # of an account (eks-pod-identity 2.8.1 aws_lb_controller.tf grants it, conditioned on this service name). A
  # missing iam:AWSServiceName (every other IAM action) satisfies StringNotEquals, so everything else stays denied.
  statement {
    sid       = "WorkloadsNeverChangeIam"
    effect    = "Deny"
    actions   = ["iam:*"]
    resources = ["*"]
    condition {
      test     = "StringNotEquals"
      variable = "iam:AWSServiceName"
      values   = ["elasticloadbalancing.amazonaws.com"]
    }
  }
}

# Every role an apply creates must carry this one (the apply policy's condition on iam:PermissionsBoundary).
resource "aws_iam_policy" "workload_boundary" {
  name        = "runway-workload-boundary"
  description = "Permissions boundary of every role the runway clusters create: no IAM, never the bootstrap"
  policy      = data.aws_iam_policy_document.workload_boundary.json
}
