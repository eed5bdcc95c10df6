terraform {
  required_version = "~> 1.11"

  # Every provider the pinned registry modules need is pinned here too, so a plan on CI and on a laptop resolve the
  # same builds (the modules themselves only set lower bounds).
  required_providers {
    aws = {
      source  = "hashicorp/aws"
      version = "6.67.0"
    }
    cloudinit = {
      source  = "hashicorp/cloudinit"
      version = "2.4.1"
    }
    null = {
      source  = "hashicorp/null"
      version = "3.3.2"
    }
    random = {
      source  = "hashicorp/random"
      version = "3.9.1"
    }
    time = {
      source  = "hashicorp/time"
      version = "0.14.2"
    }
    tls = {
      source  = "hashicorp/tls"
      version = "4.4.1"
    }
  }

  # Partial configuration: the bucket name comes from `terraform init -backend-config="bucket=..."` (the output of
  # infra/terraform/bootstrap), so no account-specific name is committed. Locking uses S3 itself (no DynamoDB).
  backend "s3" {
    key          = "envs/nonprod/terraform.tfstate"
    region       = "eu-west-1"
    encrypt      = true
    use_lockfile = true
    # Without kms_key_id the backend asks S3 for SSE-S3 (AES256) and the bucket's KMS default never applies to state
    # or lock files. The alias is the bootstrap's key (accepted by Terraform 1.11's backend validation: infra/test).
    kms_key_id = "alias/runway-terraform-state"
  }
}
