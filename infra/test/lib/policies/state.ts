import { isRecord } from '../hcl-body.js';
import type { TerraformRepository } from '../repository.js';
import { type LocatedResource, resources, type TerraformDir, terraformBlocks } from '../terraform-dir.js';
import { type Finding, finding, type TerraformPolicy } from './policy.js';

const BACKEND_ID = 'terraform/backend-locked-and-encrypted';
const BUCKET_ID = 'terraform/state-bucket-hardened';

const isEnvironmentRoot = (dir: string): boolean => /^envs\/[^/]+$/.test(dir);

const s3Backends = (dir: TerraformDir): { file: string; args: Record<string, unknown> }[] =>
  terraformBlocks(dir).flatMap((block) => {
    const backend = block.args.backend;
    const s3 = isRecord(backend) && Array.isArray(backend.s3) ? backend.s3 : [];
    return s3.filter(isRecord).map((args) => ({ file: block.file, args }));
  });

const backendFindings = (dir: TerraformDir): Finding[] => {
  const backends = s3Backends(dir);
  if (backends.length === 0) {
    const file = dir.files[0]?.path ?? dir.dir;
    return [
      finding(
        BACKEND_ID,
        file,
        'terraform.backend',
        `${dir.dir} keeps state locally: it needs the S3 backend`,
      ),
    ];
  }
  return backends.flatMap(({ file, args }) => [
    ...(args.use_lockfile === true
      ? []
      : [finding(BACKEND_ID, file, 'backend.s3.use_lockfile', 'must be true (S3 native locking)')]),
    ...(args.encrypt === true ? [] : [finding(BACKEND_ID, file, 'backend.s3.encrypt', 'must be true')]),
    // Without kms_key_id the S3 backend requests SSE-S3 (AES256) for state and lock files, so the bucket's KMS
    // default never applies (defect 9).
    ...(typeof args.kms_key_id === 'string' && args.kms_key_id !== ''
      ? []
      : [finding(BACKEND_ID, file, 'backend.s3.kms_key_id', "must name the bootstrap's state key")]),
    ...('dynamodb_table' in args
      ? [
          finding(
            BACKEND_ID,
            file,
            'backend.s3.dynamodb_table',
            'DynamoDB locking is deprecated: use use_lockfile',
          ),
        ]
      : []),
  ]);
};

/** Companion resources point at their bucket by `aws_s3_bucket.<name>.id` or `.bucket`. */
const targets = (resource: LocatedResource, bucket: string): boolean =>
  typeof resource.args.bucket === 'string' &&
  new RegExp(`^\\$\\{aws_s3_bucket\\.${bucket}\\.(id|bucket)\\}$`).test(resource.args.bucket);

const firstBlock = (value: unknown): Record<string, unknown> => {
  const list = Array.isArray(value) ? value : [value];
  const [first] = list;
  return isRecord(first) ? first : {};
};

const PUBLIC_ACCESS_FLAGS = [
  'block_public_acls',
  'block_public_policy',
  'ignore_public_acls',
  'restrict_public_buckets',
];

const bucketFindings = (dir: TerraformDir): Finding[] => {
  const all = resources(dir);
  const companion = (type: string, bucket: string) =>
    all.filter((r) => r.type === type && targets(r, bucket));
  return all
    .filter((resource) => resource.type === 'aws_s3_bucket')
    .flatMap((bucket) => {
      const where = (what: string) => `aws_s3_bucket.${bucket.name}: ${what}`;
      const versioned = companion('aws_s3_bucket_versioning', bucket.name).some(
        (r) => firstBlock(r.args.versioning_configuration).status === 'Enabled',
      );
      const encrypted =
        companion('aws_s3_bucket_server_side_encryption_configuration', bucket.name).length > 0;
      const blocked = companion('aws_s3_bucket_public_access_block', bucket.name).some((r) =>
        PUBLIC_ACCESS_FLAGS.every((flag) => r.args[flag] === true),
      );
      return [
        ...(versioned
          ? []
          : [finding(BUCKET_ID, bucket.file, where('versioning'), 'needs versioning Enabled')]),
        ...(encrypted
          ? []
          : [finding(BUCKET_ID, bucket.file, where('encryption'), 'needs server-side encryption')]),
        ...(blocked
          ? []
          : [finding(BUCKET_ID, bucket.file, where('public access'), 'needs all four public access blocks')]),
      ];
    });
};

export const backendPolicy: TerraformPolicy = {
  id: BACKEND_ID,
  check: (repository: TerraformRepository) =>
    repository.dirs.filter((dir) => isEnvironmentRoot(dir.dir)).flatMap(backendFindings),
};

export const stateBucketPolicy: TerraformPolicy = {
  id: BUCKET_ID,
  check: (repository: TerraformRepository) => repository.dirs.flatMap(bucketFindings),
};
