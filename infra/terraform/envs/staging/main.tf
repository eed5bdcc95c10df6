# A thin root: its own state, provider and variable defaults. The resources are modules/environment, which takes
# staging's facts (one shared NAT gateway, the smaller node groups, no RDS) from modules/env-settings.
locals {
  tags = {
    project     = "runway"
    environment = "staging"
    managed-by  = "terraform"
  }
}

module "environment" {
  source = "../../modules/environment"

  environment = "staging"
  vpc_cidr    = var.vpc_cidr
  tags        = local.tags

  kubernetes_version          = var.kubernetes_version
  public_api_cidrs            = var.public_api_cidrs
  cluster_admin_role_arns     = var.cluster_admin_role_arns
  enable_ecr_endpoints        = var.enable_ecr_endpoints
  cluster_deletion_protection = var.cluster_deletion_protection
}
