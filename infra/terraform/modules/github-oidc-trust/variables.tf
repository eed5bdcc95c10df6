variable "oidc_provider_arn" {
  description = "ARN of the account's IAM OIDC provider for token.actions.githubusercontent.com."
  type        = string

  validation {
    condition     = can(regex("^arn:aws[a-z-]*:iam::[0-9]{12}:oidc-provider/token\\.actions\\.githubusercontent\\.com$", var.oidc_provider_arn))
    error_message = "oidc_provider_arn must be the IAM OIDC provider of token.actions.githubusercontent.com."
  }
}

variable "repository" {
  description = "The only GitHub repository allowed to assume the role, as `owner/name`."
  type        = string

  validation {
    condition     = can(regex("^[A-Za-z0-9][A-Za-z0-9-]{0,38}/[A-Za-z0-9._-]{1,100}$", var.repository))
    error_message = "repository must be `owner/name` with no wildcard."
  }
}

variable "subjects" {
  description = <<-EOT
    Exact token subjects (after `repo:<owner>/<name>:`) that may assume the role: `environment:<name>` for a protected
    GitHub environment or `ref:refs/heads/<branch>` for a protected branch. Never `pull_request`: GitHub gives that
    subject to every pull_request job without an environment, including one whose workflow the pull request edits
    (GitHub docs, "About security hardening with OpenID Connect", example subject claims).
  EOT
  type        = list(string)

  validation {
    condition     = length(var.subjects) > 0
    error_message = "subjects must name at least one protected environment or branch."
  }

  validation {
    condition = alltrue([
      for subject in var.subjects :
      can(regex("^(environment:[A-Za-z0-9_.-]+|ref:refs/heads/[A-Za-z0-9_./-]+)$", subject))
    ])
    error_message = "each subject must be environment:<name> or ref:refs/heads/<branch>: no pull_request, no wildcards."
  }
}
