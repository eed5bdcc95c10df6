output "environments" {
  description = "The environments this cluster hosts (decision 17); each reads only secrets under runway/<env>/."
  value       = local.environments
}

output "private_subnets" {
  description = "Three private subnet blocks (nodes, pods, interface endpoints), one per zone."
  value       = local.private_subnets
}

output "public_subnets" {
  description = "Three public subnet blocks (NAT gateways, internet-facing load balancers), one per zone."
  value       = local.public_subnets
}

output "database_subnets" {
  description = "Three database subnet blocks with no route to the internet, one per zone."
  value       = local.database_subnets
}

output "nat" {
  description = "NAT strategy for terraform-aws-modules/vpc: one shared gateway (nonprod) or one per zone (prod)."
  value       = local.nat
}

output "node_groups" {
  description = "Instance types and sizes of the on-demand and spot managed node groups."
  value       = local.node_groups
}

output "log_retention_days" {
  description = "Retention of the control-plane log group in CloudWatch."
  value       = local.log_retention_days
}

output "rds_database" {
  description = "Whether the environment's database is RDS (prod) rather than CloudNativePG in the cluster (nonprod)."
  value       = local.rds_database
}

output "secret_prefixes" {
  description = "Secrets Manager name prefixes (runway/<prefix>/) this cluster's External Secrets identity may read."
  value       = local.secret_prefixes
}

output "secrets" {
  description = "Secrets Manager entries the platform reads on this cluster, name => description; Terraform creates them."
  value       = local.secrets
}
