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

  # Kubernetes Secrets are envelope-encrypted with a customer-managed KMS key the module creates (rotation on).
  create_kms_key    = true
  encryption_config = { resources = ["secrets"] }

  enabled_log_types                      = ["api", "audit", "authenticator", "controllerManager", "scheduler"]
  cloudwatch_log_group_retention_in_days = module.settings.log_retention_days

  deletion_protection = var.cluster_deletion_protection

  authentication_mode = "API"
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
    vpc-cni                = { before_compute = true }
    eks-pod-identity-agent = { before_compute = true }
    coredns                = {}
    kube-proxy             = {}
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
    }
    spot = {
      ami_type       = "AL2023_x86_64_STANDARD"
      capacity_type  = "SPOT"
      instance_types = module.settings.node_groups.spot.instance_types
      min_size       = module.settings.node_groups.spot.min_size
      desired_size   = module.settings.node_groups.spot.desired_size
      max_size       = module.settings.node_groups.spot.max_size
      labels         = { "runway.dev/capacity" = "spot" }
    }
  }
}
