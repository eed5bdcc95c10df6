# The service's session secret, read by the ExternalSecret `runway synth` renders (key runway/<env>/session-secret, a
# plain string). Terraform creates the container, never the value: an operator writes it once (docs/aws.md), so no
# secret ever enters state or git.
resource "aws_kms_key" "app_secrets" {
  description             = "${local.name}: application secrets in Secrets Manager"
  enable_key_rotation     = true
  deletion_window_in_days = 30
}

resource "aws_secretsmanager_secret" "session" {
  name                    = "runway/${var.environment}/session-secret"
  description             = "SESSION_SECRET of the links service in ${var.environment}, read by External Secrets"
  kms_key_id              = aws_kms_key.app_secrets.arn
  recovery_window_in_days = 30
}

# External Secrets may only read this environment's secrets, and decrypt with their keys. The role is reachable two
# ways, both only from the external-secrets service account: the Pod Identity association (the controller's default
# credentials) and IRSA, which the ClusterSecretStore's `auth.jwt.serviceAccountRef` uses. Where the database runs in
# the cluster (CloudNativePG, staging) there is no RDS secret, so the lists hold the session secret alone.
module "external_secrets_pod_identity" {
  source  = "terraform-aws-modules/eks-pod-identity/aws"
  version = "2.8.1"

  name = "${local.name}-external-secrets"

  attach_external_secrets_policy        = true
  external_secrets_create_permission    = false
  external_secrets_secrets_manager_arns = concat([aws_secretsmanager_secret.session.arn], module.database[*].master_user_secret_arn)
  external_secrets_kms_key_arns         = concat([aws_kms_key.app_secrets.arn], module.database[*].kms_key_arn)

  trust_policy_statements = [{
    sid        = "ExternalSecretsServiceAccountIrsa"
    effect     = "Allow"
    actions    = ["sts:AssumeRoleWithWebIdentity"]
    principals = [{ type = "Federated", identifiers = [module.eks.oidc_provider_arn] }]
    condition = [
      { test = "StringEquals", variable = "${module.eks.oidc_provider}:sub", values = ["system:serviceaccount:external-secrets:external-secrets"] },
      { test = "StringEquals", variable = "${module.eks.oidc_provider}:aud", values = ["sts.amazonaws.com"] },
    ]
  }]

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
