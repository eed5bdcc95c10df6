# The deploy-inputs contract (docs/aws.md): `terraform output -json` of this directory is what the platform reads,
# so the prod database connection is never hand-copied. Rename or remove a key only together with its reader.

output "region" {
  description = "AWS region of the cluster."
  value       = var.region
}

output "cluster_name" {
  description = "EKS cluster name (`aws eks update-kubeconfig --name <this>`)."
  value       = module.cluster.cluster_name
}

output "cluster_endpoint" {
  description = "EKS API server endpoint (private unless public_api_cidrs is set)."
  value       = module.cluster.cluster_endpoint
}

output "environments" {
  description = "The environments this cluster hosts (decision 17)."
  value       = module.cluster.environments
}

output "argocd_bootstrap_path" {
  description = "What to apply to bootstrap Argo CD on this cluster: the tree `runway synth` renders for it."
  value       = module.cluster.argocd_bootstrap_path
}

output "secret_names" {
  description = "Secrets Manager entries whose values a person writes once (docs/secrets.md)."
  value       = module.cluster.secret_names
}

output "external_secrets_role_arn" {
  description = <<-EOT
    IAM role of External Secrets. It reaches the pods only through the EKS Pod Identity association for the service
    account external-secrets/external-secrets: the service account needs no annotation, the store no `auth`.
  EOT
  value       = module.cluster.external_secrets_role_arn
}

output "aws_load_balancer_controller" {
  description = "Helm values of the AWS Load Balancer Controller on this cluster (clusterName, vpcId, region)."
  value       = module.cluster.aws_load_balancer_controller
}

output "gateway_service_annotations" {
  description = "Annotations of the Gateway's proxy Service that give it an internet-facing NLB (IP targets)."
  value       = module.cluster.gateway_service_annotations
}

output "default_storage_class" {
  description = "The default StorageClass `runway synth` renders for this cluster (gp3, KMS-encrypted)."
  value       = module.cluster.default_storage_class
}

output "vpc_id" {
  description = "VPC of the cluster."
  value       = module.cluster.vpc_id
}

output "rds_endpoint" {
  description = "Host name of the prod PostgreSQL instance."
  value       = module.cluster.database.address
}

output "rds_port" {
  description = "Port of the prod PostgreSQL instance."
  value       = module.cluster.database.port
}

output "db_name" {
  description = "Name of the application database."
  value       = module.cluster.database.db_name
}

output "db_master_secret_arn" {
  description = <<-EOT
    RDS-managed master credentials (rotated by RDS). Only for the one-time bootstrap of the application's login
    (docs/aws.md, step 6); nothing in the cluster can read it.
  EOT
  value       = module.cluster.database.master_user_secret_arn
}

output "app_database_secret_arn" {
  description = "runway/prod/database: the service's own login (JSON `username`, `password`), what DATABASE_URL is built from."
  value       = module.cluster.app_database_secret_arn
}

output "deploy_inputs" {
  description = <<-EOT
    Exactly the committed deploy-inputs/prod.json that `runway synth` reads (schema ProdDatabaseInputs in
    packages/platform/src/spec/prod-database.ts): `terraform output -json deploy_inputs > deploy-inputs/prod.json`.
  EOT
  value = {
    address          = module.cluster.database.address
    port             = module.cluster.database.port
    dbName           = module.cluster.database.db_name
    appUserSecretArn = module.cluster.app_database_secret_arn
    subnetCidrs      = module.cluster.database_subnets
  }
}
