# Credentials come only from the environment: GitHub OIDC in CI (aws-actions/configure-aws-credentials), SSO or a
# profile on a laptop. Nothing here may name a key.
provider "aws" {
  region = var.region

  default_tags {
    tags = local.tags
  }
}
