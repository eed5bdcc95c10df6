locals {
  environment = "staging"
  name        = "runway-${local.environment}"
  azs         = slice(data.aws_availability_zones.available.names, 0, 3)

  tags = {
    project     = "runway"
    environment = local.environment
    managed-by  = "terraform"
  }
}

data "aws_availability_zones" "available" {
  state = "available"

  filter {
    name   = "opt-in-status"
    values = ["opt-in-not-required"]
  }
}

module "settings" {
  source = "../../modules/env-settings"

  environment        = local.environment
  vpc_cidr           = var.vpc_cidr
  availability_zones = local.azs
}
