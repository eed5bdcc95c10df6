data "aws_iam_openid_connect_provider" "github" {
  count = var.create_provider ? 0 : 1

  url = "https://token.actions.githubusercontent.com"
}

# AWS validates GitHub's certificate chain itself, so no thumbprint is pinned here.
resource "aws_iam_openid_connect_provider" "github" {
  count = var.create_provider ? 1 : 0

  url            = "https://token.actions.githubusercontent.com"
  client_id_list = ["sts.amazonaws.com"]
  tags           = var.tags
}

locals {
  provider_arn = var.create_provider ? aws_iam_openid_connect_provider.github[0].arn : data.aws_iam_openid_connect_provider.github[0].arn

  managed_attachments = merge([
    for role_name, role in var.roles : {
      for policy_arn in role.managed_policy_arns : "${role_name}|${policy_arn}" => { role = role_name, policy_arn = policy_arn }
    }
  ]...)
}

module "trust" {
  source   = "../github-oidc-trust"
  for_each = var.roles

  oidc_provider_arn = local.provider_arn
  repository        = var.repository
  subjects          = each.value.subjects
}

resource "aws_iam_role" "ci" {
  for_each = var.roles

  name                 = each.key
  description          = each.value.description
  assume_role_policy   = module.trust[each.key].json
  max_session_duration = each.value.max_session_duration
  permissions_boundary = each.value.permissions_boundary
  tags                 = var.tags
}

resource "aws_iam_role_policy_attachment" "managed" {
  for_each = local.managed_attachments

  role       = aws_iam_role.ci[each.value.role].name
  policy_arn = each.value.policy_arn
}

resource "aws_iam_role_policy" "inline" {
  for_each = var.inline_policies

  name   = "${each.key}-inline"
  role   = aws_iam_role.ci[each.key].id
  policy = each.value
}
