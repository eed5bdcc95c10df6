import { isRecord } from '../hcl-body.js';
import type { TerraformRepository } from '../repository.js';
import { type Located, moduleCalls, resources, type TerraformDir, variables } from '../terraform-dir.js';
import { type Finding, finding, type TerraformPolicy } from './policy.js';

const ID = 'terraform/no-open-ingress';
const OPEN_CIDRS = ['0.0.0.0/0', '::/0'];
/** Text meant for people, where an open CIDR is a word, not a rule. */
const PROSE_KEYS = new Set(['description', 'error_message', 'condition']);
/** The one place the internet may come in: a load balancer, named as such. */
const LOAD_BALANCER = /(^|[_.-])(lb|alb|nlb|load_balancer|load-balancer)([_.-]|$)/;
const EKS_MODULE = 'terraform-aws-modules/eks/aws';

interface OpenCidr {
  readonly path: readonly string[];
  readonly container: Record<string, unknown>;
}

const mentionsOpenCidr = (value: string): boolean => OPEN_CIDRS.some((cidr) => value.includes(cidr));

const findOpenCidrs = (
  value: unknown,
  path: readonly string[],
  container: Record<string, unknown>,
): OpenCidr[] => {
  if (typeof value === 'string') return mentionsOpenCidr(value) ? [{ path, container }] : [];
  if (Array.isArray(value))
    return value.flatMap((item, index) => findOpenCidrs(item, [...path, String(index)], container));
  if (!isRecord(value)) return [];
  return Object.entries(value)
    .filter(([key]) => !PROSE_KEYS.has(key))
    .flatMap(([key, child]) => findOpenCidrs(child, [...path, key], value));
};

const isEgress = (blockType: string, hit: OpenCidr): boolean =>
  blockType === 'aws_vpc_security_group_egress_rule' ||
  hit.path.includes('egress') ||
  hit.container.type === 'egress';

const check = (
  dir: TerraformDir,
  kind: string,
  blocks: readonly (Located<Record<string, unknown>> & { type?: string })[],
) =>
  blocks.flatMap((block) => {
    const blockType = block.type ?? kind;
    return findOpenCidrs(block.args, [], block.args)
      .filter((hit) => !isEgress(blockType, hit))
      .filter((hit) => ![block.name, ...hit.path].some((segment) => LOAD_BALANCER.test(segment)))
      .map((hit) =>
        finding(
          ID,
          block.file,
          [`${kind === 'resource' ? blockType : kind}.${block.name}`, ...hit.path].join('.'),
          `ingress from the whole internet in ${dir.dir}: only a load balancer may be open to 0.0.0.0/0`,
        ),
      );
  });

/** The EKS module opens its public endpoint to 0.0.0.0/0 by default: a call must never leave that default in place. */
const eksPublicEndpointDefaults = (dir: TerraformDir): Finding[] =>
  moduleCalls(dir)
    .filter((call) => call.args.source === EKS_MODULE)
    .filter(
      (call) => call.args.endpoint_public_access !== false && !('endpoint_public_access_cidrs' in call.args),
    )
    .map((call) =>
      finding(
        ID,
        call.file,
        `module.${call.name}.endpoint_public_access_cidrs`,
        'the public API endpoint may be on but its CIDRs are the module default 0.0.0.0/0: set them explicitly',
      ),
    );

export const openIngressPolicy: TerraformPolicy = {
  id: ID,
  check: (repository: TerraformRepository): Finding[] =>
    repository.dirs.flatMap((dir) => [
      ...check(dir, 'resource', resources(dir)),
      ...check(dir, 'module', moduleCalls(dir)),
      ...check(dir, 'variable', variables(dir)),
      ...eksPublicEndpointDefaults(dir),
    ]),
};
