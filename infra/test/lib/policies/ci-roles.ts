import type { TerraformRepository } from '../repository.js';
import { type LocatedResource, moduleCalls, resources, type TerraformDir } from '../terraform-dir.js';
import { blocksOf, followLocal } from './locals.js';
import { type Finding, finding, type TerraformPolicy } from './policy.js';

const TRUST_ID = 'terraform/ci-role-trust';
const PLAN_ID = 'terraform/ci-plan-reads-its-state-only';
const APPLY_ID = 'terraform/ci-apply-scoped';

/**
 * Defects 7 and 8, the trust side. GitHub's OIDC subject is `repo:<o>/<r>:pull_request` for every pull_request job
 * without an environment, whatever the pull request did to the workflow; `environment:<name>` only once the job has
 * passed that environment's protection rules (GitHub docs, "About security hardening with OpenID Connect", example
 * subject claims). So no role trusts `pull_request`, no role gets an AWS managed policy (ReadOnlyAccess reads every
 * bucket, SSM parameter and Lambda environment; AdministratorAccess is everything), and apply roles carry a boundary.
 */
const trustFindings = (dir: TerraformDir): Finding[] =>
  moduleCalls(dir)
    .filter((call) => call.args.roles !== undefined)
    .flatMap((call) => {
      const roles = JSON.stringify(call.args.roles);
      const where = `module.${call.name}.roles`;
      const problems: Finding[] = [];
      if (/pull_request/.test(roles)) {
        problems.push(
          finding(
            TRUST_ID,
            call.file,
            where,
            'a role trusts pull_request tokens: trust a protected environment',
          ),
        );
      }
      for (const [policy] of roles.matchAll(/arn:aws:iam::aws:policy\/[A-Za-z0-9_/-]+/g)) {
        problems.push(finding(TRUST_ID, call.file, where, `${policy}: write the policy for the job instead`));
      }
      // Each role's text runs from its name to the next role's name.
      const applyRoles = roles
        .split(/(?=runway-terraform-)/)
        .filter((text) => text.startsWith('runway-terraform-apply-'));
      if (applyRoles.length === 0 || applyRoles.some((text) => !text.includes('permissions_boundary'))) {
        problems.push(
          finding(
            TRUST_ID,
            call.file,
            where,
            'every runway-terraform-apply-* role needs a permissions_boundary',
          ),
        );
      }
      return problems;
    });

type Statement = Record<string, unknown>;

const statementsOf = (dir: TerraformDir, document: LocatedResource): Statement[] =>
  blocksOf(document.args.statement).map((statement) => ({
    ...statement,
    actions: followLocal(dir, statement.actions),
  }));

const isAllow = (statement: Statement) => statement.effect === undefined || statement.effect === 'Allow';
const actionsOf = (statement: Statement): string[] =>
  Array.isArray(statement.actions) ? statement.actions.map(String) : [String(statement.actions)];
const resourcesOf = (statement: Statement): string[] =>
  Array.isArray(statement.resources) ? statement.resources.map(String) : [];

const documents = (dir: TerraformDir, names: readonly string[]) =>
  resources(dir, 'data').filter((r) => r.type === 'aws_iam_policy_document' && names.includes(r.name));

/** What `terraform plan` does not need and ReadOnlyAccess gave: other state, SSM, Lambda, secret values, wildcards. */
const FORBIDDEN_TO_PLAN =
  /^(\*|[a-z0-9-]+:\*|s3:Get\*|ssm:.*|lambda:.*|secretsmanager:GetSecretValue|secretsmanager:BatchGetSecretValue)$/;

/** The HCL text of a resource under the cluster's own state prefix (each.key is the cluster). */
const OWN_STATE_PREFIX = ['/envs/$', '{each.key}/'].join('');

/** AWS's public parameters (no account in the ARN), e.g. the EKS AMI release the node group module reads. */
const PUBLIC_PARAMETER = /^arn:[^:]+:ssm:[^:]+::parameter\/aws\/service\//;

/** A resource named for this cluster (runway-<cluster>...; each.key is the cluster). */
const OWN_NAME = ['runway-$', '{each.key}'].join('');

const planFindings = (dir: TerraformDir): Finding[] =>
  documents(dir, ['plan', 'state_access']).flatMap((document) =>
    statementsOf(dir, document)
      .filter(isAllow)
      .flatMap((statement) => {
        const where = `data.aws_iam_policy_document.${document.name}: ${String(statement.sid ?? 'statement')}`;
        const actions = actionsOf(statement);
        const publicParametersOnly = resourcesOf(statement).every((resource) =>
          PUBLIC_PARAMETER.test(resource),
        );
        const problems = actions
          .filter((action) => FORBIDDEN_TO_PLAN.test(action))
          .filter((action) => !(action === 'ssm:GetParameter' && publicParametersOnly))
          .map((action) => finding(PLAN_ID, document.file, where, `${action} is more than a plan reads`));
        const readsObjects = actions.some((action) => action.startsWith('s3:') && action !== 's3:ListBucket');
        if (
          readsObjects &&
          !resourcesOf(statement).every((resource) => resource.includes(OWN_STATE_PREFIX))
        ) {
          problems.push(
            finding(PLAN_ID, document.file, where, "S3 objects beyond the cluster's own state prefix"),
          );
        }
        return problems;
      }),
  );

/**
 * Condition keys that scope a broad grant to one cluster's resources, to roles under the workload boundary, or to
 * what a named AWS service does on the role's behalf (aws:CalledVia).
 */
const SCOPING_KEYS = [
  'aws:RequestTag/cluster',
  'aws:ResourceTag/cluster',
  'iam:PermissionsBoundary',
  'iam:AWSServiceName',
  'aws:CalledVia',
];

const applyFindings = (dir: TerraformDir): Finding[] =>
  documents(dir, ['apply']).flatMap((document) =>
    statementsOf(dir, document)
      .filter(isAllow)
      .flatMap((statement) => {
        const where = `data.aws_iam_policy_document.${document.name}: ${String(statement.sid ?? 'statement')}`;
        const actions = actionsOf(statement);
        const writes = actions.some(
          (action) => action === '*' || /:(\*|Create|Put|Delete|Update|Attach|Pass|Tag)/.test(action),
        );
        const ownNames = resourcesOf(statement);
        const scoped =
          blocksOf(statement.condition).some((condition) =>
            SCOPING_KEYS.includes(String(condition.variable)),
          ) ||
          (ownNames.length > 0 && ownNames.every((resource) => resource.includes(OWN_NAME)));
        return writes && !scoped
          ? [
              finding(
                APPLY_ID,
                document.file,
                where,
                'a write not scoped to this cluster (tag, boundary or service condition)',
              ),
            ]
          : [];
      }),
  );

export const ciRolePolicies: readonly TerraformPolicy[] = [
  { id: TRUST_ID, check: (repository: TerraformRepository) => repository.dirs.flatMap(trustFindings) },
  { id: PLAN_ID, check: (repository: TerraformRepository) => repository.dirs.flatMap(planFindings) },
  { id: APPLY_ID, check: (repository: TerraformRepository) => repository.dirs.flatMap(applyFindings) },
];
