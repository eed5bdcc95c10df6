variable "region" {
  description = "AWS region of the cluster."
  type        = string
  default     = "eu-west-1"

  validation {
    condition     = can(regex("^[a-z]{2}(-gov)?-[a-z]+-[0-9]$", var.region))
    error_message = "region must be an AWS region name such as eu-west-1."
  }
}

variable "vpc_cidr" {
  description = "IPv4 block of the VPC (a /16; distinct per cluster so they could be peered later)."
  type        = string
  default     = "10.20.0.0/16"
}

variable "kubernetes_version" {
  description = "EKS Kubernetes minor version. Upgrade one minor at a time, nonprod first."
  type        = string
  default     = "1.35"
}

variable "public_api_cidrs" {
  description = <<-EOT
    CIDR blocks allowed to reach the EKS API over its public endpoint. Empty (the default) keeps the endpoint
    private: reach it from inside the VPC (VPN, bastion, SSM). Never the whole internet.
  EOT
  type        = list(string)
  default     = []
}

# Committed, not passed with -var: CI applies these defaults, so a laptop -var would be reverted by the next merge.
# Replace the example account 111122223333 with the account that holds this cluster (docs/aws.md, step 1).
variable "cluster_admin_role_arns" {
  description = "IAM roles granted cluster-admin through EKS access entries (the platform operators, who bootstrap Argo CD)."
  type        = list(string)
  default     = ["arn:aws:iam::111122223333:role/runway-platform-admin"]
}

variable "kms_key_administrator_arns" {
  description = "IAM roles that administer the EKS secrets key: the operators and this cluster's CI apply role."
  type        = list(string)
  default = [
    "arn:aws:iam::111122223333:role/runway-platform-admin",
    "arn:aws:iam::111122223333:role/runway-terraform-apply-nonprod",
  ]
}

variable "enable_ecr_endpoints" {
  description = <<-EOT
    Interface endpoints for ECR (api + dkr) in each zone. The add-on images EKS pulls from ECR then never cross the
    NAT gateways, so nodes can join while a NAT gateway is down. Image layers use the free S3 gateway endpoint
    either way. Off in nonprod: at about $48 a month they cost more than the NAT traffic they would save.
  EOT
  type        = bool
  default     = false
}

variable "secret_recovery_window_days" {
  description = "Days a deleted Secrets Manager entry stays restorable. Nonprod is torn down and rebuilt: its secrets are deleted at once so the rebuild can reuse their names."
  type        = number
  default     = 0
}

variable "cluster_deletion_protection" {
  description = "Refuse to delete the EKS cluster. Off in nonprod, which may be torn down and rebuilt."
  type        = bool
  default     = false
}
