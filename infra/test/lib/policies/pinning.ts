import { isRecord } from '../hcl-body.js';
import { allInstances, type ModuleInstance } from '../module-tree.js';
import type { TerraformRepository } from '../repository.js';
import {
  isLocalSource,
  moduleCalls,
  resources,
  type TerraformDir,
  terraformBlocks,
} from '../terraform-dir.js';
import { type Finding, finding, type TerraformPolicy } from './policy.js';

const MODULE_ID = 'terraform/module-pinned';
const PROVIDER_ID = 'terraform/provider-pinned';

const REGISTRY_SOURCE = /^[A-Za-z0-9-]+\/[A-Za-z0-9-]+\/[A-Za-z0-9-]+(\/\/.+)?$/;
const EXACT_VERSION = /^\d+\.\d+\.\d+$/;
/** Exact, or `~> X.Y.Z` (patch releases only). */
const PINNED_PROVIDER = /^(~> )?\d+\.\d+\.\d+$/;
const PINNED_GIT_REF = /[?&]ref=[0-9a-f]{40}$/;

/**
 * Providers each pinned registry module requires (from its versions.tf at the pinned version). The root must pin
 * them all, or a module's lower bound would pull whatever is newest. A module missing here is a finding: read its
 * versions.tf and add it.
 */
export const REGISTRY_MODULE_PROVIDERS: Readonly<Record<string, readonly string[]>> = {
  'terraform-aws-modules/vpc/aws': ['aws'],
  'terraform-aws-modules/vpc/aws//modules/vpc-endpoints': ['aws'],
  'terraform-aws-modules/eks/aws': ['aws', 'tls', 'time', 'cloudinit', 'null'],
  'terraform-aws-modules/rds/aws': ['aws', 'random'],
  'terraform-aws-modules/eks-pod-identity/aws': ['aws'],
};

const modulePinning = (dir: TerraformDir): Finding[] =>
  moduleCalls(dir).flatMap((call) => {
    const { source, version } = call.args;
    const path = `module.${call.name}`;
    if (isLocalSource(source)) return [];
    if (typeof source !== 'string')
      return [finding(MODULE_ID, call.file, `${path}.source`, 'source must be a literal')];
    if (REGISTRY_SOURCE.test(source)) {
      return typeof version === 'string' && EXACT_VERSION.test(version)
        ? []
        : [
            finding(
              MODULE_ID,
              call.file,
              `${path}.version`,
              `registry module ${source} needs an exact version X.Y.Z`,
            ),
          ];
    }
    return PINNED_GIT_REF.test(source)
      ? []
      : [finding(MODULE_ID, call.file, `${path}.source`, `${source} must pin a full commit SHA with ?ref=`)];
  });

const requiredProviders = (dir: TerraformDir): { file: string; name: string; spec: unknown }[] =>
  terraformBlocks(dir).flatMap((block) => {
    const lists = Array.isArray(block.args.required_providers) ? block.args.required_providers : [];
    return lists
      .filter(isRecord)
      .flatMap((providers) =>
        Object.entries(providers).map(([name, spec]) => ({ file: block.file, name, spec })),
      );
  });

const providerVersions = (dir: TerraformDir): Finding[] =>
  requiredProviders(dir).flatMap(({ file, name, spec }) => {
    const version = isRecord(spec) ? spec.version : undefined;
    return typeof version === 'string' && PINNED_PROVIDER.test(version)
      ? []
      : [finding(PROVIDER_ID, file, `required_providers.${name}`, 'needs an exact version (or ~> X.Y.Z)')];
  });

const firstFile = (dir: TerraformDir): string => dir.files[0]?.path ?? dir.dir;

const requiredVersion = (dir: TerraformDir): Finding[] =>
  terraformBlocks(dir).some((block) => typeof block.args.required_version === 'string')
    ? []
    : [
        finding(
          PROVIDER_ID,
          firstFile(dir),
          'terraform.required_version',
          'every configuration pins the Terraform CLI',
        ),
      ];

/** Providers this directory's own resources and data sources use (`aws_s3_bucket` → `aws`). */
const usedProviders = (dir: TerraformDir): Set<string> =>
  new Set(
    [...resources(dir), ...resources(dir, 'data')]
      .map((resource) => resource.type.split('_')[0] ?? '')
      .filter((name) => name !== '' && name !== 'terraform'),
  );

const declaredOwnProviders = (dir: TerraformDir): Finding[] => {
  const declared = new Set(requiredProviders(dir).map((provider) => provider.name));
  return [...usedProviders(dir)]
    .filter((name) => !declared.has(name))
    .map((name) =>
      finding(PROVIDER_ID, firstFile(dir), `required_providers.${name}`, 'used but not declared and pinned'),
    );
};

const transitiveProviders = (root: ModuleInstance): Finding[] => {
  const declared = new Set(requiredProviders(root.config).map((provider) => provider.name));
  return allInstances(root).flatMap((instance) =>
    moduleCalls(instance.config)
      .filter((call) => !isLocalSource(call.args.source))
      .flatMap((call) => {
        const source = String(call.args.source);
        const needed = REGISTRY_MODULE_PROVIDERS[source];
        const path = `${instance.address}/module.${call.name}`;
        if (needed === undefined) {
          return [
            finding(PROVIDER_ID, call.file, path, `unknown provider set of ${source}: add it to the table`),
          ];
        }
        return needed
          .filter((name) => !declared.has(name))
          .map((name) =>
            finding(PROVIDER_ID, firstFile(root.config), path, `root ${root.root} must pin ${name}`),
          );
      }),
  );
};

export const modulePinnedPolicy: TerraformPolicy = {
  id: MODULE_ID,
  check: (repository: TerraformRepository) => repository.dirs.flatMap(modulePinning),
};

export const providerPinnedPolicy: TerraformPolicy = {
  id: PROVIDER_ID,
  check: (repository: TerraformRepository) => [
    ...repository.dirs.flatMap((dir) => [
      ...providerVersions(dir),
      ...requiredVersion(dir),
      ...declaredOwnProviders(dir),
    ]),
    ...repository.roots.flatMap(transitiveProviders),
  ],
};
