terraform {
  required_version = "~> 1.11"

  # The roots pin every provider (the registry modules' ones too); this only declares what the module's own
  # resources use, at the same version.
  required_providers {
    aws = {
      source  = "hashicorp/aws"
      version = "6.67.0"
    }
  }
}
