output "cluster_name" {
  description = "EKS cluster name."
  value       = module.eks.cluster_name
}

output "cluster_endpoint" {
  description = "EKS API server endpoint (private unless public_api_cidrs is set)."
  value       = module.eks.cluster_endpoint
}

output "environments" {
  description = "The environments this cluster hosts (decision 17)."
  value       = module.settings.environments
}

output "argocd_bootstrap_path" {
  description = "The tree `runway synth` renders for this cluster: its Argo CD bootstrap and root (decision 17)."
  value       = "deploy/clusters/${var.cluster}"
}

output "secret_names" {
  description = "The Secrets Manager entries Terraform created for this cluster (values are written by a person)."
  value       = sort([for secret in aws_secretsmanager_secret.platform : secret.name])
}

output "external_secrets_role_arn" {
  description = "IAM role External Secrets receives through the Pod Identity association (external-secrets/external-secrets)."
  value       = module.external_secrets_pod_identity.iam_role_arn
}

output "aws_load_balancer_controller" {
  description = <<-EOT
    Helm values the AWS Load Balancer Controller needs on this cluster (its credentials come through Pod Identity,
    so the service account takes no role annotation): the cluster name, the VPC and the region.
  EOT
  value = {
    clusterName    = module.eks.cluster_name
    vpcId          = module.vpc.vpc_id
    region         = local.region
    serviceAccount = "aws-load-balancer-controller"
    roleArn        = module.aws_lb_controller_pod_identity.iam_role_arn
  }
}

output "gateway_service_annotations" {
  description = <<-EOT
    Annotations for the Gateway's proxy Service (type LoadBalancer) so that the AWS Load Balancer Controller, not the
    in-tree controller, gives it an internet-facing NLB sending to the pod IPs (the controller's NLB guide).
  EOT
  value = {
    "service.beta.kubernetes.io/aws-load-balancer-type"            = "external"
    "service.beta.kubernetes.io/aws-load-balancer-nlb-target-type" = "ip"
    "service.beta.kubernetes.io/aws-load-balancer-scheme"          = "internet-facing"
  }
}

output "default_storage_class" {
  description = "The default StorageClass `runway synth` renders for this cluster: gp3, encrypted with the volumes key."
  value       = local.default_storage_class
}

output "vpc_id" {
  description = "VPC of the cluster."
  value       = module.vpc.vpc_id
}

output "database_subnets" {
  description = "CIDR blocks of the database subnets, one per zone."
  value       = module.settings.database_subnets
}

output "database" {
  description = <<-EOT
    The RDS database (the outputs of modules/links-database: address, port, db_name, master_user_secret_arn, ...),
    or null where env-settings runs the databases inside the cluster.
  EOT
  value       = one(module.database[*])
}

output "app_database_secret_arn" {
  description = "Secrets Manager ARN of the service's own database login (runway/prod/database), or null without RDS."
  value       = try(aws_secretsmanager_secret.platform["runway/prod/database"].arn, null)
}
