import type { HclBlock } from '../hcl-body.js';
import { allInstances, type ModuleInstance, resolve } from '../module-tree.js';
import type { TerraformRepository } from '../repository.js';
import { moduleCalls, resources } from '../terraform-dir.js';
import { type Finding, finding, type TerraformPolicy } from './policy.js';

const RDS_MODULE = 'terraform-aws-modules/rds/aws';

interface DatabaseInstance {
  readonly instance: ModuleInstance;
  readonly file: string;
  readonly address: string;
  readonly args: HclBlock;
}

/** Every RDS instance a root would create: `aws_db_instance` resources and calls of the community RDS module. */
const databases = (root: ModuleInstance): DatabaseInstance[] =>
  allInstances(root).flatMap((instance) => [
    ...resources(instance.config)
      .filter((resource) => resource.type === 'aws_db_instance')
      .map((resource) => ({
        instance,
        file: resource.file,
        address: `aws_db_instance.${resource.name}`,
        args: resource.args,
      })),
    ...moduleCalls(instance.config)
      .filter((call) => call.args.source === RDS_MODULE)
      .map((call) => ({ instance, file: call.file, address: `module.${call.name}`, args: call.args })),
  ]);

const isProd = (root: ModuleInstance): boolean => root.root.split('/').at(-1) === 'prod';

/** A rule that an RDS argument must provably have one value in the roots it applies to. */
const rdsRule = (
  id: string,
  argument: string,
  expected: boolean,
  appliesTo: (root: ModuleInstance) => boolean,
): TerraformPolicy => ({
  id,
  check: (repository: TerraformRepository): Finding[] =>
    repository.roots.filter(appliesTo).flatMap((root) =>
      databases(root).flatMap((database) => {
        const resolved = resolve(database.instance, database.args[argument]);
        if (resolved.known && resolved.value === expected) return [];
        const actual = resolved.known
          ? JSON.stringify(resolved.value ?? null)
          : `unprovable ${resolved.expression}`;
        return [
          finding(
            id,
            database.file,
            `${database.instance.address}/${database.address}.${argument}`,
            `must be ${expected} (got ${actual})`,
          ),
        ];
      }),
    ),
});

const everyRoot = (): boolean => true;

export const rdsPolicies: readonly TerraformPolicy[] = [
  rdsRule('terraform/rds-not-public', 'publicly_accessible', false, everyRoot),
  rdsRule('terraform/rds-storage-encrypted', 'storage_encrypted', true, everyRoot),
  rdsRule('terraform/rds-multi-az-in-prod', 'multi_az', true, isProd),
  rdsRule('terraform/rds-deletion-protection-in-prod', 'deletion_protection', true, isProd),
];
