# One environment: VPC, EKS, the Pod Identity / IRSA roles, the session secret and, where env-settings asks for it,
# RDS. Everything that differs between environments comes from env-settings or from the caller's variables.
locals {
  name = "runway-${var.environment}"
  azs  = slice(data.aws_availability_zones.available.names, 0, 3)
}

data "aws_availability_zones" "available" {
  state = "available"

  filter {
    name   = "opt-in-status"
    values = ["opt-in-not-required"]
  }
}

module "settings" {
  source = "../env-settings"

  environment        = var.environment
  vpc_cidr           = var.vpc_cidr
  availability_zones = local.azs
}
