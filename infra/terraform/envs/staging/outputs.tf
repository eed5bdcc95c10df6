# The deploy-inputs contract (docs/aws.md): `terraform output -json` of this directory is what the platform reads,
# so nothing is hand-copied. Rename or remove a key only together with its reader. Staging has no rds_* / db_* keys:
# its database is CloudNativePG inside the cluster.

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
