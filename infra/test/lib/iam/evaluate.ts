/**
 * A small model of AWS IAM policy evaluation, enough to ask "would this request be allowed?" of the policies the
 * bootstrap writes. The rules follow the IAM User Guide ("Policy evaluation logic", "IAM JSON policy elements:
 * Condition operators", "Single-valued vs. multivalued context keys"): an explicit Deny anywhere wins; otherwise the
 * identity policy and the permissions boundary must each allow; a condition key missing from the request satisfies
 * only `Null = true`, the negated operators (StringNotEquals, StringNotLike, ArnNotLike), `...IfExists` and
 * `ForAllValues:`; conditions of one statement all hold together, values of one condition are alternatives.
 */

export type ContextValue = string | readonly string[];

export interface IamRequest {
  readonly action: string;
  readonly resource: string;
  /** Condition keys of the request (aws:ResourceTag/cluster, aws:TagKeys, iam:AWSServiceName, ...). */
  readonly context: Readonly<Record<string, ContextValue>>;
}

export interface IamCondition {
  readonly test: string;
  readonly variable: string;
  readonly values: readonly string[];
}

export interface IamStatement {
  readonly sid: string;
  readonly effect: 'Allow' | 'Deny';
  readonly actions?: readonly string[];
  readonly notActions?: readonly string[];
  readonly resources?: readonly string[];
  readonly notResources?: readonly string[];
  readonly conditions: readonly IamCondition[];
}

const escapeRegExp = (text: string): string => text.replace(/[.+^${}()|[\]\\]/g, '\\$&');

/** IAM's wildcards: `*` any run of characters, `?` one character. Actions are case-insensitive, ARNs are not. */
const wildcard = (pattern: string, value: string, caseInsensitive: boolean): boolean =>
  new RegExp(
    `^${escapeRegExp(pattern).replaceAll('*', '.*').replaceAll('?', '.')}$`,
    caseInsensitive ? 'si' : 's',
  ).test(value);

const matchesAction = (statement: IamStatement, action: string): boolean =>
  statement.notActions
    ? !statement.notActions.some((pattern) => wildcard(pattern, action, true))
    : (statement.actions ?? []).some((pattern) => wildcard(pattern, action, true));

const matchesResource = (statement: IamStatement, resource: string): boolean =>
  statement.notResources
    ? !statement.notResources.some((pattern) => wildcard(pattern, resource, false))
    : (statement.resources ?? []).some((pattern) => wildcard(pattern, resource, false));

const NEGATED = /Not/;

/** One request value against the policy's values, for the operator without its set prefix and IfExists suffix. */
const valueMatches = (operator: string, value: string, policyValues: readonly string[]): boolean => {
  const base = operator.replace('Not', '');
  const hit = policyValues.some((expected) => {
    switch (base) {
      case 'StringEquals':
      case 'ArnEquals':
        return value === expected;
      case 'StringEqualsIgnoreCase':
        return value.toLowerCase() === expected.toLowerCase();
      case 'StringLike':
      case 'ArnLike':
        return wildcard(expected, value, false);
      case 'Bool':
        return value.toLowerCase() === expected.toLowerCase();
      default:
        throw new Error(`condition operator ${operator} is not modelled: add it to iam/evaluate.ts`);
    }
  });
  return NEGATED.test(operator) ? !hit : hit;
};

const conditionHolds = (condition: IamCondition, context: IamRequest['context']): boolean => {
  const present = context[condition.variable];
  if (condition.test === 'Null') {
    return condition.values.includes(present === undefined ? 'true' : 'false');
  }
  const [prefix, rest] = condition.test.includes(':')
    ? (condition.test.split(':') as [string, string])
    : ['', condition.test];
  const ifExists = rest.endsWith('IfExists');
  const operator = ifExists ? rest.slice(0, -'IfExists'.length) : rest;
  if (present === undefined) {
    return ifExists || prefix === 'ForAllValues' || NEGATED.test(operator);
  }
  const values = typeof present === 'string' ? [present] : present;
  return prefix === 'ForAllValues'
    ? values.every((value) => valueMatches(operator, value, condition.values))
    : values.some((value) => valueMatches(operator, value, condition.values));
};

const applies = (statement: IamStatement, request: IamRequest): boolean =>
  matchesAction(statement, request.action) &&
  matchesResource(statement, request.resource) &&
  statement.conditions.every((condition) => conditionHolds(condition, request.context));

export type Decision = { readonly allowed: true } | { readonly allowed: false; readonly reason: string };

/** The decision of one policy alone: allowed if a statement allows and none denies. */
export const decide = (statements: readonly IamStatement[], request: IamRequest): Decision => {
  const deny = statements.find((statement) => statement.effect === 'Deny' && applies(statement, request));
  if (deny) return { allowed: false, reason: `denied by ${deny.sid}` };
  return statements.some((statement) => statement.effect === 'Allow' && applies(statement, request))
    ? { allowed: true }
    : { allowed: false, reason: 'no statement allows it' };
};

/** Identity policy and permissions boundary together: both must allow (an explicit Deny in either wins). */
export const decideWithBoundary = (
  identity: readonly IamStatement[],
  boundary: readonly IamStatement[],
  request: IamRequest,
): Decision => {
  const byBoundary = decide(boundary, request);
  const byIdentity = decide(identity, request);
  if (!byBoundary.allowed && byBoundary.reason.startsWith('denied'))
    return { ...byBoundary, reason: `boundary: ${byBoundary.reason}` };
  if (!byIdentity.allowed) return { allowed: false, reason: `identity policy: ${byIdentity.reason}` };
  if (!byBoundary.allowed) return { allowed: false, reason: `boundary: ${byBoundary.reason}` };
  return { allowed: true };
};
