# The Secrets Manager entries the platform reads on this cluster. Terraform creates each container, never its value:
# a person writes the value once (docs/secrets.md), so no secret enters state or git. The names and the prefix rule
# come from env-settings, where `terraform test` pins them.
resource "aws_kms_key" "app_secrets" {
  description             = "${local.name}: application secrets in Secrets Manager"
  enable_key_rotation     = true
  deletion_window_in_days = 30
  tags                    = var.tags
}

resource "aws_kms_alias" "app_secrets" {
  name          = "alias/${local.name}-app-secrets"
  target_key_id = aws_kms_key.app_secrets.key_id
}

resource "aws_secretsmanager_secret" "platform" {
  for_each = module.settings.secrets

  name                    = each.key
  description             = each.value
  kms_key_id              = aws_kms_key.app_secrets.arn
  recovery_window_in_days = var.secret_recovery_window_days
  tags                    = var.tags
}
