# The deploy-inputs contract (docs/aws.md): `terraform output -json` of this directory is what the platform reads,
# so the prod database connection is never hand-copied. Rename or remove a key only together with its reader.

output "region" {
  description = "AWS region of the environment."
  value       = var.region
}

output "cluster_name" {
  description = "EKS cluster name (`aws eks update-kubeconfig --name <this>`)."
  value       = module.environment.cluster_name
}

output "cluster_endpoint" {
  description = "EKS API server endpoint (private unless public_api_cidrs is set)."
  value       = module.environment.cluster_endpoint
}

output "rds_endpoint" {
  description = "Host name of the prod PostgreSQL instance."
  value       = module.environment.database.address
}

output "rds_port" {
  description = "Port of the prod PostgreSQL instance."
  value       = module.environment.database.port
}

output "db_name" {
  description = "Name of the application database."
  value       = module.environment.database.db_name
}

output "db_secret_arn" {
  description = "Secrets Manager ARN of the RDS-managed database credentials (JSON keys `username`, `password`)."
  value       = module.environment.database.master_user_secret_arn
}

output "session_secret_arn" {
  description = "Secrets Manager ARN of the service's SESSION_SECRET (runway/<env>/session-secret, a plain string)."
  value       = module.environment.session_secret_arn
}

output "external_secrets_role_arn" {
  description = <<-EOT
    IAM role of External Secrets (namespace external-secrets, service account external-secrets): annotate the service
    account with it (`eks.amazonaws.com/role-arn`) for IRSA; the Pod Identity association needs nothing more.
  EOT
  value       = module.environment.external_secrets_role_arn
}

output "aws_lb_controller_role_arn" {
  description = "IAM role the AWS Load Balancer Controller receives through EKS Pod Identity."
  value       = module.environment.aws_lb_controller_role_arn
}

output "vpc_id" {
  description = "VPC of the environment."
  value       = module.environment.vpc_id
}

output "deploy_inputs" {
  description = <<-EOT
    Exactly the committed deploy-inputs/prod.json that `runway synth` reads (schema ProdDatabaseInputs in
    packages/platform/src/spec/prod-database.ts): `terraform output -json deploy_inputs > deploy-inputs/prod.json`.
  EOT
  value = {
    address             = module.environment.database.address
    port                = module.environment.database.port
    dbName              = module.environment.database.db_name
    masterUserSecretArn = module.environment.database.master_user_secret_arn
    subnetCidrs         = module.environment.database_subnets
  }
}
