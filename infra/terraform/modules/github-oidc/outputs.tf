output "provider_arn" {
  description = "ARN of the GitHub Actions OIDC provider."
  value       = local.provider_arn
}

output "role_arns" {
  description = "ARN of each CI role by name: the `role-to-assume` of aws-actions/configure-aws-credentials."
  value       = { for name, role in aws_iam_role.ci : name => role.arn }
}
