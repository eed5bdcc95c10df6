terraform {
  required_version = "~> 1.11"

  required_providers {
    aws = {
      source  = "hashicorp/aws"
      version = "6.67.0"
    }
  }

  # The bucket that holds every other state cannot hold its own before it exists: the first apply keeps this state
  # locally; docs/aws.md shows how to move it into the bucket afterwards with `terraform init -migrate-state`.
}

provider "aws" {
  region = var.region

  default_tags {
    tags = {
      project    = "runway"
      managed-by = "terraform"
      stack      = "bootstrap"
    }
  }
}
