# The service's own secrets (e.g. SESSION_SECRET). Terraform creates the container, never the value: an operator
# writes it once (docs/aws.md), so no secret ever enters state or git.
resource "aws_kms_key" "app_secrets" {
  description             = "${local.name}: application secrets in Secrets Manager"
  enable_key_rotation     = true
  deletion_window_in_days = 30
}

resource "aws_secretsmanager_secret" "app" {
  name                    = "runway/${local.environment}/links"
  description             = "Secrets of the links service in ${local.environment}, read by External Secrets"
  kms_key_id              = aws_kms_key.app_secrets.arn
  recovery_window_in_days = 30
}

# EKS Pod Identity: External Secrets may only read this environment's secrets, and decrypt with their keys.
# Staging's database is CloudNativePG inside the cluster, so there is no RDS secret here.
module "external_secrets_pod_identity" {
  source  = "terraform-aws-modules/eks-pod-identity/aws"
  version = "2.8.1"

  name = "${local.name}-external-secrets"

  attach_external_secrets_policy        = true
  external_secrets_create_permission    = false
  external_secrets_secrets_manager_arns = [aws_secretsmanager_secret.app.arn]
  external_secrets_kms_key_arns         = [aws_kms_key.app_secrets.arn]

  associations = {
    external_secrets = {
      cluster_name    = module.eks.cluster_name
      namespace       = "external-secrets"
      service_account = "external-secrets"
    }
  }
}

# The AWS Load Balancer Controller provisions the one internet-facing load balancer (for the Gateway's Service).
module "aws_lb_controller_pod_identity" {
  source  = "terraform-aws-modules/eks-pod-identity/aws"
  version = "2.8.1"

  name = "${local.name}-aws-lb-controller"

  attach_aws_lb_controller_policy = true

  associations = {
    aws_lb_controller = {
      cluster_name    = module.eks.cluster_name
      namespace       = "kube-system"
      service_account = "aws-load-balancer-controller"
    }
  }
}
