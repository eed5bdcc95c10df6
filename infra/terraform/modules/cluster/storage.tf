# Encryption key of the volumes behind the default StorageClass. The StorageClass itself is a Kubernetes object, so
# `runway synth` renders it into the cluster's tree (deploy/clusters/<cluster>/) from the output
# `default_storage_class`. The add-on's own `defaultStorageClass` is not used: its class (ebs-csi-default-sc.yaml of
# the aws-ebs-csi-driver chart) sets no `encrypted` parameter, so its volumes would be encrypted only if the account
# happens to have EBS encryption by default.
resource "aws_kms_key" "volumes" {
  description             = "${local.name}: EBS volumes of persistent volume claims"
  enable_key_rotation     = true
  deletion_window_in_days = 30
  tags                    = var.tags
}

resource "aws_kms_alias" "volumes" {
  name          = "alias/${local.name}-volumes"
  target_key_id = aws_kms_key.volumes.key_id
}

locals {
  default_storage_class = {
    name                 = "gp3-encrypted"
    provisioner          = "ebs.csi.aws.com"
    volumeBindingMode    = "WaitForFirstConsumer"
    allowVolumeExpansion = true
    reclaimPolicy        = "Delete"
    annotations          = { "storageclass.kubernetes.io/is-default-class" = "true" }
    parameters = {
      type      = "gp3"
      encrypted = "true"
      kmsKeyId  = aws_kms_key.volumes.arn
    }
  }
}
