variables {
  vpc_cidr           = "10.20.0.0/16"
  availability_zones = ["us-east-1a", "us-east-1b", "us-east-1c"]
}

run "prod_has_a_nat_gateway_per_zone" {
  command = plan

  variables {
    cluster = "prod"
  }

  assert {
    condition     = output.nat.one_nat_gateway_per_az && !output.nat.single_nat_gateway
    error_message = "prod must run one NAT gateway per availability zone"
  }

  assert {
    condition     = output.node_groups.on_demand.min_size >= 3
    error_message = "prod needs an on-demand node per zone as its floor"
  }

  assert {
    condition     = output.rds_database
    error_message = "prod's database must be RDS"
  }

  assert {
    condition     = output.environments == ["prod"]
    error_message = "the prod cluster hosts prod alone"
  }

  assert {
    condition     = output.secret_prefixes == tolist(["prod"])
    error_message = "External Secrets on prod reads runway/prod/ only"
  }

  assert {
    condition     = keys(output.secrets) == ["runway/prod/alertmanager-slack", "runway/prod/database", "runway/prod/session-secret"]
    error_message = "prod's secrets are its session secret, its Slack webhooks and the app's database login"
  }
}

run "nonprod_shares_one_nat_gateway" {
  command = plan

  variables {
    cluster = "nonprod"
  }

  assert {
    condition     = output.nat.single_nat_gateway && !output.nat.one_nat_gateway_per_az
    error_message = "nonprod must share a single NAT gateway"
  }

  assert {
    condition     = !output.rds_database
    error_message = "nonprod's databases run in the cluster, not on RDS"
  }

  assert {
    condition     = output.environments == ["dev", "staging"]
    error_message = "the nonprod cluster hosts dev and staging"
  }

  assert {
    condition     = output.secret_prefixes == tolist(["dev", "staging", "nonprod"])
    error_message = "External Secrets on nonprod reads runway/dev/, runway/staging/ and runway/nonprod/ only"
  }

  assert {
    condition     = keys(output.secrets) == ["runway/nonprod/alertmanager-slack", "runway/staging/session-secret"]
    error_message = "nonprod's secrets are staging's session secret and its Slack webhooks (dev generates its own)"
  }
}

run "spot_capacity_is_diversified" {
  command = plan

  variables {
    cluster = "prod"
  }

  assert {
    condition     = length(distinct(output.node_groups.spot.instance_types)) >= 4
    error_message = "spot needs at least four instance types so one exhausted pool does not drain the group"
  }
}

run "subnets_do_not_overlap_and_stay_in_the_vpc" {
  command = plan

  variables {
    cluster = "nonprod"
  }

  assert {
    condition     = output.private_subnets == ["10.20.0.0/20", "10.20.16.0/20", "10.20.32.0/20"]
    error_message = "private subnets must be the first three /20s"
  }

  assert {
    condition     = output.public_subnets == ["10.20.48.0/24", "10.20.49.0/24", "10.20.50.0/24"]
    error_message = "public subnets must follow the private ones"
  }

  assert {
    condition     = output.database_subnets == ["10.20.52.0/24", "10.20.53.0/24", "10.20.54.0/24"]
    error_message = "database subnets must follow the public ones"
  }
}

run "rejects_an_environment_name_as_cluster" {
  command = plan

  variables {
    cluster = "staging"
  }

  expect_failures = [var.cluster]
}

run "rejects_a_vpc_smaller_than_a_16" {
  command = plan

  variables {
    cluster  = "prod"
    vpc_cidr = "10.20.0.0/20"
  }

  expect_failures = [var.vpc_cidr]
}

run "rejects_two_zones" {
  command = plan

  variables {
    cluster            = "prod"
    availability_zones = ["us-east-1a", "us-east-1b"]
  }

  expect_failures = [var.availability_zones]
}
