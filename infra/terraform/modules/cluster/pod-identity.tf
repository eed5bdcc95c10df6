# Roles that add-ons receive through EKS Pod Identity (the eks-pod-identity-agent add-on): the association names one
# namespace and service account, so no other pod can take the role, and no OIDC trust (IRSA) is set up alongside.

locals {
  # External Secrets reads whole prefixes (env-settings: runway/<env>/ per hosted environment, runway/<cluster>/),
  # never the RDS master secret. Secrets Manager ARNs end in a random suffix, hence the `*`.
  external_secrets_readable_arns = [
    for prefix in module.settings.secret_prefixes :
    "arn:${local.partition}:secretsmanager:${local.region}:${local.account_id}:secret:runway/${prefix}/*"
  ]
}

module "external_secrets_pod_identity" {
  source  = "terraform-aws-modules/eks-pod-identity/aws"
  version = "2.8.1"

  name                     = "${local.name}-external-secrets"
  permissions_boundary_arn = local.workload_permissions_boundary_arn

  attach_external_secrets_policy        = true
  external_secrets_create_permission    = false
  external_secrets_secrets_manager_arns = local.external_secrets_readable_arns
  external_secrets_kms_key_arns         = [aws_kms_key.app_secrets.arn]

  associations = {
    external_secrets = {
      cluster_name    = module.eks.cluster_name
      namespace       = "external-secrets"
      service_account = "external-secrets"
    }
  }

  tags = var.tags
}

# The AWS Load Balancer Controller (installed by Argo CD from its chart) provisions the one internet-facing load
# balancer: the NLB in front of the Gateway's proxy Service (outputs `aws_load_balancer_controller` and
# `gateway_service_annotations`).
module "aws_lb_controller_pod_identity" {
  source  = "terraform-aws-modules/eks-pod-identity/aws"
  version = "2.8.1"

  name                     = "${local.name}-aws-lb-controller"
  permissions_boundary_arn = local.workload_permissions_boundary_arn

  attach_aws_lb_controller_policy = true

  associations = {
    aws_lb_controller = {
      cluster_name    = module.eks.cluster_name
      namespace       = "kube-system"
      service_account = "aws-load-balancer-controller"
    }
  }

  tags = var.tags
}

# The EBS CSI controller creates, attaches and encrypts the volumes (with the volumes key of storage.tf). The
# association is made by the add-on itself (cluster.tf, `pod_identity_association`), so none is declared here.
module "ebs_csi_pod_identity" {
  source  = "terraform-aws-modules/eks-pod-identity/aws"
  version = "2.8.1"

  name                     = "${local.name}-ebs-csi"
  permissions_boundary_arn = local.workload_permissions_boundary_arn

  attach_aws_ebs_csi_policy = true
  aws_ebs_csi_kms_arns      = [aws_kms_key.volumes.arn]

  tags = var.tags
}
