output "address" {
  description = "Host name of the instance (the Multi-AZ endpoint follows a failover)."
  value       = module.rds.db_instance_address
}

output "port" {
  description = "PostgreSQL port."
  value       = module.rds.db_instance_port
}

output "db_name" {
  description = "Name of the application database."
  value       = module.rds.db_instance_name
}

output "master_user_secret_arn" {
  description = "Secrets Manager ARN of the RDS-managed master credentials (JSON with `username` and `password`)."
  value       = module.rds.db_instance_master_user_secret_arn
}

output "kms_key_arn" {
  description = "KMS key encrypting storage and the master user secret; readers of the secret need kms:Decrypt on it."
  value       = aws_kms_key.database.arn
}

output "security_group_id" {
  description = "The database's security group."
  value       = aws_security_group.database.id
}
