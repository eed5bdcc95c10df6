# Policy lives here, not in each caller: private, Multi-AZ, encrypted with its own key, backed up, protected from
# deletion, password managed by RDS in Secrets Manager, reachable only from the named security groups.

resource "aws_kms_key" "database" {
  description             = "${var.identifier}: RDS storage, Performance Insights and the master user secret"
  enable_key_rotation     = true
  deletion_window_in_days = 30
  tags                    = var.tags
}

resource "aws_kms_alias" "database" {
  name          = "alias/${var.identifier}-database"
  target_key_id = aws_kms_key.database.key_id
}

resource "aws_security_group" "database" {
  name        = "${var.identifier}-database"
  description = "PostgreSQL for ${var.identifier}: ingress only from the named client security groups"
  vpc_id      = var.vpc_id
  tags        = merge(var.tags, { Name = "${var.identifier}-database" })

  lifecycle {
    create_before_destroy = true
  }
}

resource "aws_vpc_security_group_ingress_rule" "postgres_from_clients" {
  for_each = var.allowed_security_group_ids

  security_group_id            = aws_security_group.database.id
  description                  = "PostgreSQL from ${each.key}"
  ip_protocol                  = "tcp"
  from_port                    = 5432
  to_port                      = 5432
  referenced_security_group_id = each.value
}

module "rds" {
  source  = "terraform-aws-modules/rds/aws"
  version = "7.2.0"

  identifier = var.identifier

  engine               = "postgres"
  engine_version       = var.engine_version
  family               = "postgres${var.engine_version}"
  major_engine_version = var.engine_version
  instance_class       = var.instance_class

  storage_type          = "gp3"
  allocated_storage     = var.allocated_storage_gb
  max_allocated_storage = var.max_allocated_storage_gb
  storage_encrypted     = true
  kms_key_id            = aws_kms_key.database.arn

  db_name                       = var.db_name
  username                      = var.master_username
  port                          = 5432
  manage_master_user_password   = true
  master_user_secret_kms_key_id = aws_kms_key.database.arn

  # The authority prod's pods verify the server with (deploy-inputs/rds-ca.pem holds the region's bundle, which
  # has it): pinned, so a change of CA is a reviewed change here and not a surprise on the next maintenance.
  ca_cert_identifier = "rds-ca-rsa2048-g1"

  multi_az               = true
  publicly_accessible    = false
  db_subnet_group_name   = var.db_subnet_group_name
  create_db_subnet_group = false
  vpc_security_group_ids = [aws_security_group.database.id]

  backup_retention_period          = var.backup_retention_days
  backup_window                    = "03:00-04:00"
  maintenance_window               = "Sun:04:30-Sun:05:30"
  copy_tags_to_snapshot            = true
  skip_final_snapshot              = false
  final_snapshot_identifier_prefix = "${var.identifier}-final"
  deletion_protection              = var.deletion_protection
  delete_automated_backups         = false
  auto_minor_version_upgrade       = true

  performance_insights_enabled          = true
  performance_insights_kms_key_id       = aws_kms_key.database.arn
  performance_insights_retention_period = 7
  enabled_cloudwatch_logs_exports       = ["postgresql", "upgrade"]
  create_cloudwatch_log_group           = true

  create_db_option_group = false
  parameters = [
    { name = "rds.force_ssl", value = "1" },
    { name = "log_min_duration_statement", value = "500" },
  ]

  tags = var.tags
}
