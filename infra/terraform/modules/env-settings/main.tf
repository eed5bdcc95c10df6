locals {
  is_prod = var.cluster == "prod"

  # Decision 17 (docs/aws.md): which environments each cluster hosts. Its External Secrets identity reads only
  # these environments' secrets, and `runway synth` renders only these environments into deploy/clusters/<cluster>/.
  environments = {
    nonprod = ["dev", "staging"]
    prod    = ["prod"]
  }[var.cluster]

  # Private subnets are /20s (4,091 usable addresses each) because every pod takes a VPC address under the VPC CNI;
  # public and database subnets only hold load balancers and RDS, so /24s are plenty.
  private_subnets  = [for index in range(3) : cidrsubnet(var.vpc_cidr, 4, index)]
  public_subnets   = [for index in range(3) : cidrsubnet(var.vpc_cidr, 8, 48 + index)]
  database_subnets = [for index in range(3) : cidrsubnet(var.vpc_cidr, 8, 52 + index)]

  # Prod pays for a NAT gateway per zone so a zone outage cannot cut the other zones' egress; nonprod shares one.
  nat = {
    single_nat_gateway     = !local.is_prod
    one_nat_gateway_per_az = local.is_prod
  }

  # On-demand capacity carries the floor (system add-ons, the minimum replicas); spot absorbs the rest at a
  # fraction of the price. Several instance families of one size let spot pick the deepest pools.
  node_groups = {
    on_demand = {
      instance_types = ["m7i.large"]
      min_size       = local.is_prod ? 3 : 1
      desired_size   = local.is_prod ? 3 : 1
      max_size       = local.is_prod ? 6 : 3
    }
    spot = {
      instance_types = ["m7i.large", "m6i.large", "m6a.large", "m5.large", "m7a.large"]
      min_size       = local.is_prod ? 3 : 2
      desired_size   = local.is_prod ? 3 : 2
      max_size       = local.is_prod ? 12 : 6
    }
  }

  log_retention_days = local.is_prod ? 90 : 30

  # Prod's database is RDS (Multi-AZ, managed backups); dev and staging run CloudNativePG inside nonprod instead.
  rds_database = local.is_prod

  # Secrets Manager: runway/<env>/<name> for an environment's secrets, runway/<cluster>/<name> for the cluster's own,
  # so the External Secrets role is granted whole prefixes and nothing else. Dev generates its session secret in the
  # cluster (packages/platform/src/spec/environments.ts, `sessionSecret`), so it has none here.
  secret_prefixes = distinct(concat(local.environments, [var.cluster]))
  secrets = merge(
    {
      for env in local.environments : "runway/${env}/session-secret" => "SESSION_SECRET of the links service in ${env} (a plain string)"
      if env != "dev"
    },
    {
      "runway/${var.cluster}/alertmanager-slack" = "Alertmanager's Slack webhooks (JSON: paging-webhook-url, alerts-webhook-url)"
    },
    local.rds_database ? {
      "runway/prod/database" = "The links service's own RDS login (JSON: username, password); never the master user"
    } : {},
  )
}
