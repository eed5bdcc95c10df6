import { isRecord } from '../hcl-body.js';
import { blocksOf, followLocal } from '../policies/locals.js';
import { resources, type TerraformDir } from '../terraform-dir.js';
import type { IamCondition, IamStatement } from './evaluate.js';

/**
 * Values standing in for what only an apply knows (account, partition, region, ARNs of bootstrap resources), so a
 * document's `${...}` references become ARNs a request can be matched against. `each.key` is the cluster asked about.
 */
export const FAKE_ACCOUNT = '111122223333';
export const FAKE_REGION = 'eu-west-1';

const bindings = (cluster: string): Record<string, string> => ({
  'each.key': cluster,
  'local.partition': 'aws',
  'data.aws_partition.current.partition': 'aws',
  'local.account_id': FAKE_ACCOUNT,
  'data.aws_caller_identity.current.account_id': FAKE_ACCOUNT,
  'var.region': FAKE_REGION,
  'local.state_bucket_arn': 'arn:aws:s3:::runway-terraform-state',
  'aws_kms_key.state.arn': `arn:aws:kms:${FAKE_REGION}:${FAKE_ACCOUNT}:key/state`,
  'aws_iam_policy.workload_boundary.arn': `arn:aws:iam::${FAKE_ACCOUNT}:policy/runway-workload-boundary`,
});

/** `${x}` replaced by its binding; an unknown reference stays as it is and so matches nothing. */
const substitute = (text: string, cluster: string): string =>
  text.replaceAll(/\$\{([^}]+)\}/g, (whole, reference: string) => bindings(cluster)[reference] ?? whole);

const CONCAT_OF_LOCALS = /^\$\{concat\(((?:\s*local\.[A-Za-z0-9_]+\s*,?)+)\)\}$/;

/** A list attribute: a literal list, `local.x`, or `concat(local.x, local.y, ...)`. */
const listOf = (dir: TerraformDir, value: unknown): unknown[] => {
  const concatenated = typeof value === 'string' ? CONCAT_OF_LOCALS.exec(value)?.[1] : undefined;
  if (concatenated !== undefined) {
    return concatenated
      .split(',')
      .map((part) => part.trim())
      .filter((part) => part !== '')
      .flatMap((part) => listOf(dir, `\${${part}}`));
  }
  const followed = followLocal(dir, value);
  return Array.isArray(followed) ? followed : [followed];
};

const stringsOf = (dir: TerraformDir, value: unknown, cluster: string): string[] | undefined =>
  value === undefined ? undefined : listOf(dir, value).map((item) => substitute(String(item), cluster));

const DOCUMENT_REFERENCE = /^\$\{data\.aws_iam_policy_document\.([A-Za-z0-9_]+)(\[[^\]]*\])?\.json\}$/;

/** The name of the policy document an expression such as `${data.aws_iam_policy_document.x[each.key].json}` reads. */
export const documentName = (expression: unknown): string | undefined =>
  typeof expression === 'string' ? DOCUMENT_REFERENCE.exec(expression)?.[1] : undefined;

/**
 * The statements of `data.aws_iam_policy_document.<name>` in `dir` for one cluster, its source_policy_documents
 * included (Terraform merges them; statements here have distinct sids, so merging is concatenation).
 */
export const documentStatements = (dir: TerraformDir, name: string, cluster: string): IamStatement[] => {
  const document = resources(dir, 'data').find(
    (candidate) => candidate.type === 'aws_iam_policy_document' && candidate.name === name,
  );
  if (!document) throw new Error(`${dir.dir}: no data.aws_iam_policy_document.${name}`);
  const sources = (
    Array.isArray(document.args.source_policy_documents) ? document.args.source_policy_documents : []
  )
    .map(documentName)
    .filter((source): source is string => source !== undefined);
  const own = blocksOf(document.args.statement).map(
    (statement): IamStatement => ({
      sid: String(statement.sid ?? `${name} statement`),
      effect: statement.effect === 'Deny' ? 'Deny' : 'Allow',
      actions: stringsOf(dir, statement.actions, cluster),
      notActions: stringsOf(dir, statement.not_actions, cluster),
      resources: stringsOf(dir, statement.resources, cluster),
      notResources: stringsOf(dir, statement.not_resources, cluster),
      conditions: blocksOf(statement.condition)
        .filter(isRecord)
        .map(
          (condition): IamCondition => ({
            test: String(condition.test),
            variable: substitute(String(condition.variable), cluster),
            values: stringsOf(dir, condition.values, cluster) ?? [],
          }),
        ),
    }),
  );
  return [...sources.flatMap((source) => documentStatements(dir, source, cluster)), ...own];
};

/** The document an `aws_iam_policy` resource of `dir` is written from (its `policy = data...json`). */
export const policyResourceDocument = (dir: TerraformDir, resourceName: string): string | undefined =>
  documentName(
    resources(dir).find((resource) => resource.type === 'aws_iam_policy' && resource.name === resourceName)
      ?.args.policy,
  );
