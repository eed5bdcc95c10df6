# What the platform and the operators read from this cluster (docs/aws.md, "the output contract"). Rename or remove
# a key only together with its reader. Nonprod has no rds_* keys: dev and staging run CloudNativePG in the cluster.

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
