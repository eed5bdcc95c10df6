locals {
  state_bucket_arn = "arn:aws:s3:::${var.state_bucket_name}"

  # Plans read every environment's state and take the S3 lock (a `.tflock` object next to the state), nothing more.
  plan_state_access = jsonencode({
    Version = "2012-10-17"
    Statement = [
      {
        Sid      = "ListStateBucket"
        Effect   = "Allow"
        Action   = ["s3:ListBucket"]
        Resource = local.state_bucket_arn
      },
      {
        Sid      = "ReadState"
        Effect   = "Allow"
        Action   = ["s3:GetObject"]
        Resource = "${local.state_bucket_arn}/envs/*"
      },
      {
        Sid      = "TakeTheLock"
        Effect   = "Allow"
        Action   = ["s3:PutObject", "s3:DeleteObject"]
        Resource = "${local.state_bucket_arn}/envs/*.tflock"
      },
      {
        Sid      = "UseTheStateKeyThroughS3"
        Effect   = "Allow"
        Action   = ["kms:Decrypt", "kms:GenerateDataKey"]
        Resource = aws_kms_key.state.arn
        Condition = {
          StringEquals = { "kms:ViaService" = "s3.${var.region}.amazonaws.com" }
        }
      },
    ]
  })
}

module "github_oidc" {
  source = "../modules/github-oidc"

  repository      = var.github_repository
  create_provider = var.create_github_oidc_provider

  roles = {
    runway-terraform-plan = {
      description         = "terraform plan from pull requests of ${var.github_repository}: read-only"
      subjects            = ["pull_request"]
      managed_policy_arns = ["arn:aws:iam::aws:policy/ReadOnlyAccess"]
    }
    # Apply creates IAM roles, KMS keys, EKS and RDS, which together need administrator rights; the guard is who may
    # assume the role: only a job in the protected GitHub environment, which only main can deploy to and which
    # needs a reviewer's approval.
    runway-terraform-apply-staging = {
      description         = "terraform apply of envs/staging from the protected GitHub environment infra-staging"
      subjects            = ["environment:infra-staging"]
      managed_policy_arns = ["arn:aws:iam::aws:policy/AdministratorAccess"]
    }
    runway-terraform-apply-prod = {
      description         = "terraform apply of envs/prod from the protected GitHub environment infra-prod"
      subjects            = ["environment:infra-prod"]
      managed_policy_arns = ["arn:aws:iam::aws:policy/AdministratorAccess"]
    }
  }

  inline_policies = {
    runway-terraform-plan = local.plan_state_access
  }
}
