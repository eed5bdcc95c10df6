output "json" {
  description = "The role's trust policy document."
  value       = jsonencode(local.policy)
}

output "subjects" {
  description = "The full token subjects the trust policy accepts."
  value       = local.subjects
}
