variable "identifier" {
  description = "RDS instance identifier, e.g. `links-prod`."
  type        = string

  validation {
    condition     = can(regex("^[a-z][a-z0-9-]{0,62}$", var.identifier))
    error_message = "identifier must start with a letter and use lowercase letters, digits and hyphens (max 63)."
  }
}

variable "vpc_id" {
  description = "VPC the database and its security group live in."
  type        = string
}

variable "db_subnet_group_name" {
  description = "Subnet group of private database subnets (no route to the internet) across three zones."
  type        = string
}

variable "allowed_security_group_ids" {
  description = <<-EOT
    Security groups allowed to reach PostgreSQL, by a stable name (e.g. `eks_nodes`). The only ingress the database
    has: no CIDR block is ever allowed.
  EOT
  type        = map(string)

  validation {
    condition     = length(var.allowed_security_group_ids) > 0
    error_message = "allowed_security_group_ids must name at least one client security group."
  }
}

variable "engine_version" {
  description = "PostgreSQL major version."
  type        = string
  default     = "17"

  validation {
    condition     = can(regex("^1[6-9]$", var.engine_version))
    error_message = "engine_version must be a supported PostgreSQL major version (16 or later)."
  }
}

variable "instance_class" {
  description = "RDS instance class."
  type        = string
  default     = "db.m7g.large"

  validation {
    condition     = can(regex("^db\\.[a-z0-9]+\\.[a-z0-9]+$", var.instance_class))
    error_message = "instance_class must look like db.m7g.large."
  }
}

variable "allocated_storage_gb" {
  description = "Initial gp3 storage in GiB; storage autoscaling may grow it to max_allocated_storage_gb."
  type        = number
  default     = 50

  validation {
    condition     = var.allocated_storage_gb >= 20
    error_message = "allocated_storage_gb must be at least 20 (the gp3 minimum)."
  }
}

variable "max_allocated_storage_gb" {
  description = "Ceiling for storage autoscaling in GiB."
  type        = number
  default     = 200
}

variable "backup_retention_days" {
  description = "Days of automated backups (point-in-time recovery window)."
  type        = number
  default     = 14

  validation {
    condition     = var.backup_retention_days >= 7 && var.backup_retention_days <= 35
    error_message = "backup_retention_days must be between 7 and 35: a week of point-in-time recovery is the floor."
  }
}

variable "db_name" {
  description = "Name of the application database."
  type        = string
  default     = "links"

  validation {
    condition     = can(regex("^[a-z][a-z0-9_]{0,62}$", var.db_name))
    error_message = "db_name must be a lowercase PostgreSQL identifier."
  }
}

variable "master_username" {
  description = "Master user name; its password is generated and rotated by RDS in Secrets Manager, never seen by Terraform."
  type        = string
  default     = "links_admin"

  validation {
    condition     = can(regex("^[a-z][a-z0-9_]{0,15}$", var.master_username)) && !contains(["admin", "postgres", "rdsadmin", "user"], var.master_username)
    error_message = "master_username must be a short lowercase identifier and not a reserved name."
  }
}

variable "deletion_protection" {
  description = "Refuse to delete the instance. Turned off only for a deliberate teardown (see docs/aws.md)."
  type        = bool
  default     = true
}

variable "tags" {
  description = "Tags for every resource."
  type        = map(string)
  default     = {}
}
