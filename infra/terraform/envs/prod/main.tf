# A thin root: its own state, provider and variable defaults. The resources are modules/cluster, which takes
# prod's facts (a NAT gateway per zone, the larger node groups, RDS) from modules/env-settings.
locals {
  tags = {
    project    = "runway"
    cluster    = "prod"
    managed-by = "terraform"
  }
}

module "cluster" {
  source = "../../modules/cluster"

  cluster  = "prod"
  vpc_cidr = var.vpc_cidr
  tags     = local.tags

  kubernetes_version           = var.kubernetes_version
  public_api_cidrs             = var.public_api_cidrs
  cluster_admin_role_arns      = var.cluster_admin_role_arns
  kms_key_administrator_arns   = var.kms_key_administrator_arns
  enable_ecr_endpoints         = var.enable_ecr_endpoints
  cluster_deletion_protection  = var.cluster_deletion_protection
  database_instance_class      = var.database_instance_class
  database_deletion_protection = var.database_deletion_protection
  secret_recovery_window_days  = var.secret_recovery_window_days
}
