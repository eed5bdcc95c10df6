variable "region" {
  description = "AWS region of the state bucket (and of the environments)."
  type        = string
  default     = "eu-west-1"

  validation {
    condition     = can(regex("^[a-z]{2}(-gov)?-[a-z]+-[0-9]$", var.region))
    error_message = "region must be an AWS region name such as eu-west-1."
  }
}

variable "state_bucket_name" {
  description = "Globally unique name of the S3 bucket holding every environment's Terraform state."
  type        = string

  validation {
    condition     = can(regex("^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$", var.state_bucket_name))
    error_message = "state_bucket_name must be a valid S3 bucket name (3-63 lowercase letters, digits, dots, hyphens)."
  }
}

variable "github_repository" {
  description = "The repository (`owner/name`) whose workflows run Terraform through GitHub OIDC."
  type        = string

  validation {
    condition     = can(regex("^[A-Za-z0-9][A-Za-z0-9-]{0,38}/[A-Za-z0-9._-]{1,100}$", var.github_repository))
    error_message = "github_repository must be `owner/name`."
  }
}

variable "create_github_oidc_provider" {
  description = "Create the account's GitHub Actions OIDC provider; false when the account already has one."
  type        = bool
  default     = true
}

variable "noncurrent_state_retention_days" {
  description = "Days an overwritten state version is kept, so a bad apply can be rolled back from S3 versioning."
  type        = number
  default     = 90

  validation {
    condition     = var.noncurrent_state_retention_days >= 30
    error_message = "noncurrent_state_retention_days must be at least 30."
  }
}

variable "clusters" {
  description = <<-EOT
    The clusters whose CI roles this account holds (decision 17: nonprod, prod). With the recommended layout, one
    account per cluster (docs/aws.md), each account's bootstrap names its own cluster only.
  EOT
  type        = list(string)
  default     = ["nonprod", "prod"]

  validation {
    condition     = length(var.clusters) > 0 && alltrue([for cluster in var.clusters : contains(["nonprod", "prod"], cluster)])
    error_message = "clusters must list nonprod and/or prod."
  }
}
