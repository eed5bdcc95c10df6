output "cluster_name" {
  description = "EKS cluster name."
  value       = module.eks.cluster_name
}

output "cluster_endpoint" {
  description = "EKS API server endpoint (private unless public_api_cidrs is set)."
  value       = module.eks.cluster_endpoint
}

output "session_secret_arn" {
  description = "Secrets Manager ARN of the service's SESSION_SECRET (runway/<env>/session-secret, a plain string)."
  value       = aws_secretsmanager_secret.session.arn
}

output "external_secrets_role_arn" {
  description = "IAM role of External Secrets, reachable through Pod Identity and IRSA."
  value       = module.external_secrets_pod_identity.iam_role_arn
}

output "aws_lb_controller_role_arn" {
  description = "IAM role the AWS Load Balancer Controller receives through EKS Pod Identity."
  value       = module.aws_lb_controller_pod_identity.iam_role_arn
}

output "vpc_id" {
  description = "VPC of the environment."
  value       = module.vpc.vpc_id
}

output "database_subnets" {
  description = "CIDR blocks of the database subnets, one per zone."
  value       = module.settings.database_subnets
}

output "database" {
  description = <<-EOT
    The RDS database (the outputs of modules/links-database: address, port, db_name, master_user_secret_arn, ...),
    or null where env-settings runs the database inside the cluster.
  EOT
  value       = one(module.database[*])
}
