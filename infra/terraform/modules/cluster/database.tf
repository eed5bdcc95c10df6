# RDS only where env-settings says so (prod); dev and staging run CloudNativePG inside the nonprod cluster.
module "database" {
  source = "../links-database"
  count  = module.settings.rds_database ? 1 : 0

  identifier           = local.name
  vpc_id               = module.vpc.vpc_id
  db_subnet_group_name = module.vpc.database_subnet_group_name
  instance_class       = var.database_instance_class
  deletion_protection  = var.database_deletion_protection

  # Pods run on the nodes' ENIs (VPC CNI without security groups for pods), so the node security group is the
  # pods' security group: only the cluster reaches PostgreSQL.
  allowed_security_group_ids = {
    eks_nodes = module.eks.node_security_group_id
  }

  tags = var.tags
}
