variables {
  vpc_cidr           = "10.20.0.0/16"
  availability_zones = ["us-east-1a", "us-east-1b", "us-east-1c"]
}

run "prod_has_a_nat_gateway_per_zone" {
  command = plan

  variables {
    environment = "prod"
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
}

run "staging_shares_one_nat_gateway" {
  command = plan

  variables {
    environment = "staging"
  }

  assert {
    condition     = output.nat.single_nat_gateway && !output.nat.one_nat_gateway_per_az
    error_message = "staging must share a single NAT gateway"
  }

  assert {
    condition     = !output.rds_database
    error_message = "staging's database runs in the cluster, not on RDS"
  }
}

run "spot_capacity_is_diversified" {
  command = plan

  variables {
    environment = "prod"
  }

  assert {
    condition     = length(distinct(output.node_groups.spot.instance_types)) >= 4
    error_message = "spot needs at least four instance types so one exhausted pool does not drain the group"
  }
}

run "subnets_do_not_overlap_and_stay_in_the_vpc" {
  command = plan

  variables {
    environment = "staging"
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

run "rejects_an_unknown_environment" {
  command = plan

  variables {
    environment = "dev"
  }

  expect_failures = [var.environment]
}

run "rejects_a_vpc_smaller_than_a_16" {
  command = plan

  variables {
    environment = "prod"
    vpc_cidr    = "10.20.0.0/20"
  }

  expect_failures = [var.vpc_cidr]
}

run "rejects_two_zones" {
  command = plan

  variables {
    environment        = "prod"
    availability_zones = ["us-east-1a", "us-east-1b"]
  }

  expect_failures = [var.availability_zones]
}
