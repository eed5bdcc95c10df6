# Everything below moved from this root into modules/environment: these carry the state of resources already created
# to their new addresses, so the refactor plans as moves, not as a destroy and re-create. Once every copy of this
# root's state has been applied with them they do nothing, and may go.
moved {
  from = module.vpc
  to   = module.environment.module.vpc
}

moved {
  from = module.vpc_endpoints
  to   = module.environment.module.vpc_endpoints
}

moved {
  from = module.eks
  to   = module.environment.module.eks
}

moved {
  from = aws_kms_key.app_secrets
  to   = module.environment.aws_kms_key.app_secrets
}

moved {
  from = aws_secretsmanager_secret.session
  to   = module.environment.aws_secretsmanager_secret.session
}

moved {
  from = module.external_secrets_pod_identity
  to   = module.environment.module.external_secrets_pod_identity
}

moved {
  from = module.aws_lb_controller_pod_identity
  to   = module.environment.module.aws_lb_controller_pod_identity
}
