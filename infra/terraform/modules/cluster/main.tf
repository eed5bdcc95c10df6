# One EKS cluster and what it hosts (decision 17): VPC, EKS with its add-ons, the Pod Identity roles, the Secrets
# Manager entries its environments read and, where env-settings asks for it, RDS. Everything that differs between
# the clusters comes from env-settings or from the caller's variables.
locals {
  name = "runway-${var.cluster}"
  azs  = slice(data.aws_availability_zones.available.names, 0, 3)

  partition  = data.aws_partition.current.partition
  account_id = data.aws_caller_identity.current.account_id
  region     = data.aws_region.current.region

  # Every role this cluster creates carries the bootstrap's boundary; the apply role cannot create one without it.
  workload_permissions_boundary_arn = "arn:${local.partition}:iam::${local.account_id}:policy/${var.workload_permissions_boundary_name}"
}

data "aws_availability_zones" "available" {
  state = "available"

  filter {
    name   = "opt-in-status"
    values = ["opt-in-not-required"]
  }
}

data "aws_partition" "current" {}
data "aws_caller_identity" "current" {}
data "aws_region" "current" {}

module "settings" {
  source = "../env-settings"

  cluster            = var.cluster
  vpc_cidr           = var.vpc_cidr
  availability_zones = local.azs
}
