module "eks" {
  source  = "terraform-aws-modules/eks/aws"
  version = "21.19.0"

  name               = local.name
  kubernetes_version = var.kubernetes_version

  vpc_id     = module.vpc.vpc_id
  subnet_ids = module.vpc.private_subnets

  endpoint_private_access      = true
  endpoint_public_access       = length(var.public_api_cidrs) > 0
  endpoint_public_access_cidrs = length(var.public_api_cidrs) > 0 ? var.public_api_cidrs : null

  # Kubernetes Secrets are envelope-encrypted with a customer-managed KMS key the module creates (rotation on). Its
  # administrators are named: the module's default is the caller (main.tf of eks 21.19.0:
  # `coalescelist(var.kms_key_administrators, [<session issuer>])`), so a laptop apply and a CI apply would each
  # rewrite the key policy to themselves.
  create_kms_key         = true
  encryption_config      = { resources = ["secrets"] }
  kms_key_administrators = var.kms_key_administrator_arns

  # The module's roles (the cluster's here, each node group's below) carry the workload boundary like every role
  # the apply role creates.
  iam_role_permissions_boundary = local.workload_permissions_boundary_arn

  enabled_log_types                      = ["api", "audit", "authenticator", "controllerManager", "scheduler"]
  cloudwatch_log_group_retention_in_days = module.settings.log_retention_days

  deletion_protection = var.cluster_deletion_protection

  # API-only authentication with no creator access (the module's default, stated so a change shows in review): the
  # committed cluster_admin_role_arns are the only way in.
  authentication_mode                      = "API"
  enable_cluster_creator_admin_permissions = false
  access_entries = {
    for index, arn in var.cluster_admin_role_arns : "admin-${index}" => {
      principal_arn = arn
      policy_associations = {
        cluster_admin = {
          policy_arn   = "arn:aws:eks::aws:cluster-access-policy/AmazonEKSClusterAdminPolicy"
          access_scope = { type = "cluster" }
        }
      }
    }
  }

  addons = {
    # enableNetworkPolicy starts the VPC CNI's network policy agent: without it EKS accepts NetworkPolicies and
    # enforces none (https://docs.aws.amazon.com/eks/latest/userguide/cni-network-policy-configure.html).
    vpc-cni = {
      before_compute       = true
      configuration_values = jsonencode({ enableNetworkPolicy = "true" })
    }
    eks-pod-identity-agent = { before_compute = true }
    coredns                = {}
    kube-proxy             = {}
    # Volumes for CloudNativePG (dev, staging) and anything else with a PVC; credentials through Pod Identity. The
    # default StorageClass is not the add-on's (see storage.tf).
    aws-ebs-csi-driver = {
      pod_identity_association = [{
        role_arn        = module.ebs_csi_pod_identity.iam_role_arn
        service_account = "ebs-csi-controller-sa"
      }]
    }
  }

  eks_managed_node_groups = {
    on_demand = {
      ami_type       = "AL2023_x86_64_STANDARD"
      capacity_type  = "ON_DEMAND"
      instance_types = module.settings.node_groups.on_demand.instance_types
      min_size       = module.settings.node_groups.on_demand.min_size
      desired_size   = module.settings.node_groups.on_demand.desired_size
      max_size       = module.settings.node_groups.on_demand.max_size
      labels         = { "runway.dev/capacity" = "on-demand" }

      iam_role_permissions_boundary = local.workload_permissions_boundary_arn
    }
    spot = {
      ami_type       = "AL2023_x86_64_STANDARD"
      capacity_type  = "SPOT"
      instance_types = module.settings.node_groups.spot.instance_types
      min_size       = module.settings.node_groups.spot.min_size
      desired_size   = module.settings.node_groups.spot.desired_size
      max_size       = module.settings.node_groups.spot.max_size
      labels         = { "runway.dev/capacity" = "spot" }

      iam_role_permissions_boundary = local.workload_permissions_boundary_arn
    }
  }
}
