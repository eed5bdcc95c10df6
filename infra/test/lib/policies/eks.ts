import type { HclBlock } from '../hcl-body.js';
import { isExpression, isRecord } from '../hcl-body.js';
import { allInstances, type ModuleInstance, resolve } from '../module-tree.js';
import type { TerraformRepository } from '../repository.js';
import { type Located, moduleCalls } from '../terraform-dir.js';
import { followLocal } from './locals.js';
import { type Finding, finding, type TerraformPolicy } from './policy.js';

const ACCESS_ID = 'terraform/eks-access-committed';
const ADDONS_ID = 'terraform/eks-addons';
const POD_IDENTITY_ID = 'terraform/pod-identity-least-privilege';

const EKS = 'terraform-aws-modules/eks/aws';
const POD_IDENTITY = 'terraform-aws-modules/eks-pod-identity/aws';
const ROLE_ARN = /^arn:aws[a-z-]*:iam::\d{12}:role\/.+$/;

interface Call {
  readonly instance: ModuleInstance;
  readonly call: Located<HclBlock>;
}

const callsOf = (repository: TerraformRepository, source: string): Call[] =>
  repository.roots.flatMap((root) =>
    allInstances(root).flatMap((instance) =>
      moduleCalls(instance.config)
        .filter((call) => call.args.source === source)
        .map((call) => ({ instance, call })),
    ),
  );

const at = ({ instance, call }: Call, argument: string) =>
  `${instance.address}/module.${call.name}.${argument}`;

/**
 * A list of role ARNs the argument provably holds: every `var.x` it reads resolves, through the callers, to a
 * committed non-empty list of role ARNs. A -var on a laptop is not committed, and the next CI apply reverts it.
 */
const committedRoles = (instance: ModuleInstance, value: unknown): string | undefined => {
  if (value === undefined) return 'not set';
  const names = isExpression(value) ? [...value.matchAll(/\bvar\.([A-Za-z0-9_]+)/g)].map((m) => m[1]) : [];
  const values = isExpression(value)
    ? names.map((name) => resolve(instance, `\${var.${name}}`))
    : [{ known: true as const, value }];
  if (values.length === 0) return `unprovable ${String(value)}`;
  for (const resolved of values) {
    if (!resolved.known) return `unprovable ${resolved.expression}`;
    const list = resolved.value;
    if (!Array.isArray(list) || list.length === 0) return 'empty: nobody is named';
    const bad = list.find((arn) => typeof arn !== 'string' || !ROLE_ARN.test(arn));
    if (bad !== undefined) return `${JSON.stringify(bad)} is not an IAM role ARN`;
  }
  return undefined;
};

/**
 * Defects 2 and 10: with API-only authentication and no creator access, the committed access entries are the only
 * way into the cluster; the EKS key's administrators default to the caller (eks 21.19.0 main.tf, `key_administrators
 * = coalescelist(var.kms_key_administrators, [<session issuer>])`), so they must be named.
 */
const accessFindings = (repository: TerraformRepository): Finding[] =>
  callsOf(repository, EKS).flatMap((eks) => {
    const { args, file } = eks.call;
    const problems: Finding[] = [];
    if (args.enable_cluster_creator_admin_permissions !== false) {
      problems.push(
        finding(
          ACCESS_ID,
          file,
          at(eks, 'enable_cluster_creator_admin_permissions'),
          'must be stated false: access comes from committed entries only',
        ),
      );
    }
    for (const argument of ['access_entries', 'kms_key_administrators']) {
      const problem = committedRoles(eks.instance, args[argument]);
      if (problem !== undefined) {
        problems.push(finding(ACCESS_ID, file, at(eks, argument), `needs committed role ARNs (${problem})`));
      }
    }
    return problems;
  });

/**
 * Defects 1 and 4: PVCs stay Pending without the EBS CSI driver, and the VPC CNI enforces NetworkPolicies only with
 * its network policy agent (enableNetworkPolicy, EKS user guide "Restrict Pod network traffic").
 */
const addonFindings = (repository: TerraformRepository): Finding[] =>
  callsOf(repository, EKS).flatMap((eks) => {
    const addons = isRecord(eks.call.args.addons) ? eks.call.args.addons : {};
    const ebs = isRecord(addons['aws-ebs-csi-driver']) ? addons['aws-ebs-csi-driver'] : undefined;
    const associations = Array.isArray(ebs?.pod_identity_association) ? ebs.pod_identity_association : [];
    const cni = isRecord(addons['vpc-cni']) ? addons['vpc-cni'] : {};
    const problems: Finding[] = [];
    if (!associations.some((a) => isRecord(a) && a.service_account === 'ebs-csi-controller-sa')) {
      problems.push(
        finding(
          ADDONS_ID,
          eks.call.file,
          at(eks, 'addons.aws-ebs-csi-driver'),
          'needs the add-on with a Pod Identity association for ebs-csi-controller-sa',
        ),
      );
    }
    if (!/\benableNetworkPolicy\s*=\s*"true"/.test(String(cni.configuration_values ?? ''))) {
      problems.push(
        finding(
          ADDONS_ID,
          eks.call.file,
          at(eks, 'addons.vpc-cni.configuration_values'),
          'needs enableNetworkPolicy = "true", or NetworkPolicies are not enforced',
        ),
      );
    }
    return problems;
  });

const associationsOf = (call: Located<HclBlock>) =>
  Object.values(isRecord(call.args.associations) ? call.args.associations : {}).filter(isRecord);

/**
 * Defects 3 and 4, and the prefix rule: External Secrets gets its role through Pod Identity alone (no IRSA trust
 * statement), for its own service account, reading whole runway/<prefix>/ names and creating nothing; the load
 * balancer controller has its role.
 */
const podIdentityFindings = (repository: TerraformRepository): Finding[] => {
  const calls = callsOf(repository, POD_IDENTITY);
  const problems: Finding[] = [];
  for (const c of calls.filter(({ call }) => call.args.attach_external_secrets_policy === true)) {
    const { args, file } = c.call;
    if (
      !associationsOf(c.call).every(
        (a) => a.namespace === 'external-secrets' && a.service_account === 'external-secrets',
      ) ||
      associationsOf(c.call).length === 0
    ) {
      problems.push(
        finding(
          POD_IDENTITY_ID,
          file,
          at(c, 'associations'),
          'only external-secrets/external-secrets may take the role',
        ),
      );
    }
    if (/AssumeRoleWithWebIdentity/.test(JSON.stringify(args.trust_policy_statements ?? ''))) {
      problems.push(
        finding(
          POD_IDENTITY_ID,
          file,
          at(c, 'trust_policy_statements'),
          'no IRSA trust: the store authenticates through Pod Identity',
        ),
      );
    }
    if (args.external_secrets_create_permission !== false) {
      problems.push(
        finding(
          POD_IDENTITY_ID,
          file,
          at(c, 'external_secrets_create_permission'),
          'must be stated false: External Secrets only reads',
        ),
      );
    }
    const readable = JSON.stringify(
      followLocal(c.instance.config, args.external_secrets_secrets_manager_arns) ?? '',
    );
    if (
      !/:secret:runway\/\$\{[A-Za-z0-9_.]+\}\/\*/.test(readable) ||
      /master_user_secret|rds!/.test(readable)
    ) {
      problems.push(
        finding(
          POD_IDENTITY_ID,
          file,
          at(c, 'external_secrets_secrets_manager_arns'),
          `must be the runway/<prefix>/* names of this cluster only (got ${readable.slice(0, 120)})`,
        ),
      );
    }
  }
  const rootsWithEks = new Set(callsOf(repository, EKS).map(({ instance }) => instance.root));
  for (const root of rootsWithEks) {
    const controller = calls.some(
      (c) =>
        c.instance.root === root &&
        c.call.args.attach_aws_lb_controller_policy === true &&
        associationsOf(c.call).some((a) => a.service_account === 'aws-load-balancer-controller'),
    );
    if (!controller) {
      problems.push(
        finding(
          POD_IDENTITY_ID,
          root,
          `${root}: aws-load-balancer-controller`,
          'the load balancer controller needs its Pod Identity role',
        ),
      );
    }
  }
  return problems;
};

export const eksPolicies: readonly TerraformPolicy[] = [
  { id: ACCESS_ID, check: accessFindings },
  { id: ADDONS_ID, check: addonFindings },
  { id: POD_IDENTITY_ID, check: podIdentityFindings },
];
