variable "cluster" {
  description = "Which EKS cluster the settings are for: `nonprod` (hosts dev and staging) or `prod` (hosts prod)."
  type        = string

  validation {
    condition     = contains(["nonprod", "prod"], var.cluster)
    error_message = "cluster must be \"nonprod\" or \"prod\" (decision 17)."
  }
}

variable "vpc_cidr" {
  description = "The VPC's IPv4 block. A /16, so that three /20 private subnets leave room for pod IPs (VPC CNI)."
  type        = string

  validation {
    condition     = can(cidrhost(var.vpc_cidr, 0)) && try(split("/", var.vpc_cidr)[1] == "16", false)
    error_message = "vpc_cidr must be a valid IPv4 /16, e.g. 10.20.0.0/16."
  }
}

variable "availability_zones" {
  description = "Exactly three availability zones, so that a zone outage leaves two thirds of the capacity."
  type        = list(string)

  validation {
    condition     = length(var.availability_zones) == 3 && length(distinct(var.availability_zones)) == 3
    error_message = "availability_zones must list three distinct zones."
  }
}
