terraform {
  # Pure logic: no providers, so `terraform test` runs this module without any download.
  required_version = "~> 1.11"
}
