# A thin root: its own state, provider and variable defaults. The resources are modules/cluster, which takes
# nonprod's facts (dev and staging, one shared NAT gateway, the smaller node groups, no RDS) from modules/env-settings.
locals {
  tags = {
    project    = "runway"
    cluster    = "nonprod"
    managed-by = "terraform"
  }
}

module "cluster" {
  source = "../../modules/cluster"

  cluster  = "nonprod"
  vpc_cidr = var.vpc_cidr
  tags     = local.tags

  kubernetes_version          = var.kubernetes_version
  public_api_cidrs            = var.public_api_cidrs
  cluster_admin_role_arns     = var.cluster_admin_role_arns
  kms_key_administrator_arns  = var.kms_key_administrator_arns
  enable_ecr_endpoints        = var.enable_ecr_endpoints
  cluster_deletion_protection = var.cluster_deletion_protection
  secret_recovery_window_days = var.secret_recovery_window_days
}
