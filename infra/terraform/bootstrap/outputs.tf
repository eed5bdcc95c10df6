output "state_bucket" {
  description = "Name of the state bucket: the `bucket` given to `terraform init -backend-config` in envs/*."
  value       = aws_s3_bucket.state.bucket
}

output "state_kms_key_arn" {
  description = "KMS key encrypting the state objects."
  value       = aws_kms_key.state.arn
}

output "ci_role_arns" {
  description = "Role ARN per CI job and cluster (plan, apply): store them as GitHub environment secrets (docs/aws.md)."
  value       = module.github_oidc.role_arns
}

output "workload_permissions_boundary_arn" {
  description = "The boundary every role of the clusters carries (modules/cluster finds it by name)."
  value       = aws_iam_policy.workload_boundary.arn
}
