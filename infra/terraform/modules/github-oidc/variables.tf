variable "repository" {
  description = "The GitHub repository (`owner/name`) whose workflows may assume the roles."
  type        = string
}

variable "create_provider" {
  description = "Create the account's IAM OIDC provider for GitHub Actions. An account has at most one; set false if it exists."
  type        = bool
  default     = true
}

variable "roles" {
  description = <<-EOT
    Roles CI may assume, by name. `subjects` are exact token subjects (see modules/github-oidc-trust);
    `managed_policy_arns` say what the role may do (with `inline_policies`); `permissions_boundary` caps it.
  EOT
  type = map(object({
    description          = string
    subjects             = list(string)
    managed_policy_arns  = optional(list(string), [])
    max_session_duration = optional(number, 3600)
    permissions_boundary = optional(string)
  }))

  validation {
    condition     = alltrue([for role in values(var.roles) : role.max_session_duration >= 900 && role.max_session_duration <= 7200])
    error_message = "max_session_duration must be between 900 and 7200 seconds: CI credentials stay short-lived."
  }
}

variable "inline_policies" {
  description = "Inline policy JSON by role name. A separate map so that a policy naming not-yet-created ARNs still plans."
  type        = map(string)
  default     = {}

  validation {
    condition     = alltrue([for name in keys(var.inline_policies) : contains(keys(var.roles), name)])
    error_message = "every key of inline_policies must be a role in roles."
  }
}

variable "tags" {
  description = "Tags for every resource."
  type        = map(string)
  default     = {}
}
