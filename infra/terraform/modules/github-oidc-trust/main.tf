locals {
  issuer = "token.actions.githubusercontent.com"

  # StringEquals (never StringLike) on the full subject: a token from another repository, branch or environment
  # cannot match, and no wildcard can widen the set later without failing validation.
  subjects = [for subject in var.subjects : "repo:${var.repository}:${subject}"]

  policy = {
    Version = "2012-10-17"
    Statement = [{
      Effect    = "Allow"
      Action    = "sts:AssumeRoleWithWebIdentity"
      Principal = { Federated = var.oidc_provider_arn }
      Condition = {
        StringEquals = {
          "${local.issuer}:aud" = "sts.amazonaws.com"
          "${local.issuer}:sub" = local.subjects
        }
      }
    }]
  }
}
