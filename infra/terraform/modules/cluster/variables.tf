variable "cluster" {
  description = "Which cluster this is: `nonprod` (dev and staging) or `prod` (env-settings derives its facts from it)."
  type        = string
}

variable "vpc_cidr" {
  description = "IPv4 block of the VPC (a /16; distinct per cluster so they could be peered later)."
  type        = string
}

variable "tags" {
  description = "Tags for resources that take them explicitly (the provider's default_tags carry the same set)."
  type        = map(string)
}

variable "kubernetes_version" {
  description = "EKS Kubernetes minor version. Upgrade one minor at a time, staging first."
  type        = string

  validation {
    condition     = can(regex("^1\\.(3[5-9]|[4-9][0-9])$", var.kubernetes_version))
    error_message = "kubernetes_version must be 1.35 or later (a version in EKS standard support)."
  }
}

variable "public_api_cidrs" {
  description = <<-EOT
    CIDR blocks allowed to reach the EKS API over its public endpoint. Empty keeps the endpoint private: reach it
    from inside the VPC (VPN, bastion, SSM). Never the whole internet.
  EOT
  type        = list(string)

  validation {
    condition     = alltrue([for cidr in var.public_api_cidrs : can(cidrhost(cidr, 0)) && !endswith(cidr, "/0")])
    error_message = "public_api_cidrs must be valid CIDR blocks narrower than /0."
  }
}

variable "cluster_admin_role_arns" {
  description = <<-EOT
    IAM roles granted cluster-admin through EKS access entries (the platform operators, who bootstrap Argo CD). The
    module's cluster-creator access is off and authentication is API-only, so this list is the only way in: it is
    committed in the root, never passed with -var (the next CI apply would revert a laptop's -var).
  EOT
  type        = list(string)

  validation {
    condition     = length(var.cluster_admin_role_arns) > 0
    error_message = "cluster_admin_role_arns must name at least one role: with none, nobody can reach the cluster."
  }

  validation {
    condition     = alltrue([for arn in var.cluster_admin_role_arns : can(regex("^arn:aws[a-z-]*:iam::[0-9]{12}:role/.+$", arn))])
    error_message = "cluster_admin_role_arns must be IAM role ARNs."
  }
}

variable "kms_key_administrator_arns" {
  description = <<-EOT
    IAM principals that administer the EKS secrets key (key policy). Explicit and committed: the module's default,
    whoever runs Terraform, makes laptop and CI applies rewrite the key policy back and forth.
  EOT
  type        = list(string)

  validation {
    condition     = length(var.kms_key_administrator_arns) > 0 && alltrue([for arn in var.kms_key_administrator_arns : can(regex("^arn:aws[a-z-]*:iam::[0-9]{12}:role/.+$", arn))])
    error_message = "kms_key_administrator_arns must name at least one IAM role ARN."
  }
}

variable "workload_permissions_boundary_name" {
  description = <<-EOT
    Name of the permissions boundary (created by infra/terraform/bootstrap) every IAM role of this cluster carries.
    The apply role may create roles only with it attached, so no role it creates can grant more than the boundary.
  EOT
  type        = string
  default     = "runway-workload-boundary"
}

variable "enable_ecr_endpoints" {
  description = <<-EOT
    Interface endpoints for ECR (api + dkr) in each zone. The add-on images EKS pulls from ECR then never cross the
    NAT gateways, so nodes can join while a NAT gateway is down. Image layers use the free S3 gateway endpoint
    either way.
  EOT
  type        = bool
}

variable "cluster_deletion_protection" {
  description = "Refuse to delete the EKS cluster. Turned off only for a deliberate teardown (see docs/aws.md)."
  type        = bool
}

variable "secret_recovery_window_days" {
  description = <<-EOT
    Days a deleted Secrets Manager entry can be restored, during which its name cannot be reused: 0 deletes at once,
    so a torn-down cluster can be rebuilt the same day; 7 to 30 keeps the value restorable (prod).
  EOT
  type        = number

  validation {
    condition     = var.secret_recovery_window_days == 0 || (var.secret_recovery_window_days >= 7 && var.secret_recovery_window_days <= 30)
    error_message = "secret_recovery_window_days must be 0 or 7 to 30 (Secrets Manager's DeleteSecret RecoveryWindowInDays)."
  }
}

variable "database_instance_class" {
  description = "RDS instance class, where env-settings asks for an RDS database."
  type        = string
  default     = "db.m7g.large"
}

variable "database_deletion_protection" {
  description = "Refuse to delete the RDS instance, where there is one. Turned off only for a deliberate teardown."
  type        = bool
  default     = true
}
