import { describe, expect, it } from 'vitest';
import { decide, decideWithBoundary, type IamStatement } from './lib/iam/evaluate.js';

/**
 * The evaluation rules terraform/iam-decisions relies on (IAM User Guide: "Policy evaluation logic", "Condition
 * operators"): if the model got one wrong, a check over the bootstrap's documents could pass on a policy AWS refuses.
 */
const allowAll: IamStatement = {
  sid: 'All',
  effect: 'Allow',
  actions: ['*'],
  resources: ['*'],
  conditions: [],
};
const denyIam = (test: string, variable: string, values: string[]): IamStatement => ({
  sid: 'DenyIam',
  effect: 'Deny',
  actions: ['iam:*'],
  resources: ['*'],
  conditions: [{ test, variable, values }],
});
const request = (action: string, context: Record<string, string | string[]> = {}) => ({
  action,
  resource: 'arn:aws:iam::111122223333:role/x',
  context,
});

describe('IAM evaluation model', () => {
  it('a negated operator holds when the key is missing; a positive one does not', () => {
    const negated = [
      allowAll,
      denyIam('StringNotEquals', 'iam:AWSServiceName', ['elasticloadbalancing.amazonaws.com']),
    ];
    expect(decide(negated, request('iam:CreateRole')).allowed).toBe(false);
    expect(
      decide(
        negated,
        request('iam:CreateServiceLinkedRole', {
          'iam:AWSServiceName': 'elasticloadbalancing.amazonaws.com',
        }),
      ).allowed,
    ).toBe(true);
    const positive = [allowAll, denyIam('StringEquals', 'iam:AWSServiceName', ['ssm.amazonaws.com'])];
    expect(decide(positive, request('iam:CreateRole')).allowed).toBe(true);
  });

  it('Null tests presence; ...IfExists holds when the key is missing', () => {
    expect(
      decide([allowAll, denyIam('Null', 'aws:ResourceTag/cluster', ['false'])], request('iam:TagRole'))
        .allowed,
    ).toBe(true);
    expect(
      decide(
        [allowAll, denyIam('Null', 'aws:ResourceTag/cluster', ['false'])],
        request('iam:TagRole', { 'aws:ResourceTag/cluster': 'prod' }),
      ).allowed,
    ).toBe(false);
    expect(
      decide(
        [allowAll, denyIam('StringEqualsIfExists', 'aws:ResourceTag/cluster', ['x'])],
        request('iam:TagRole'),
      ).allowed,
    ).toBe(false);
  });

  it('ForAnyValue needs one matching value, ForAllValues every value (and holds on a missing key)', () => {
    const anyCluster = [allowAll, denyIam('ForAnyValue:StringEquals', 'aws:TagKeys', ['cluster'])];
    expect(decide(anyCluster, request('iam:UntagRole', { 'aws:TagKeys': ['Name', 'cluster'] })).allowed).toBe(
      false,
    );
    expect(decide(anyCluster, request('iam:UntagRole', { 'aws:TagKeys': ['Name'] })).allowed).toBe(true);
    expect(decide(anyCluster, request('iam:UntagRole')).allowed).toBe(true);
    const allNames = [allowAll, denyIam('ForAllValues:StringEquals', 'aws:TagKeys', ['Name'])];
    expect(decide(allNames, request('iam:UntagRole', { 'aws:TagKeys': ['Name', 'cluster'] })).allowed).toBe(
      true,
    );
    expect(decide(allNames, request('iam:UntagRole')).allowed).toBe(false);
  });

  it('wildcards: actions ignore case, resources do not; nothing is allowed unless a statement allows it', () => {
    const tagOnly: IamStatement = {
      sid: 'Tag',
      effect: 'Allow',
      actions: ['iam:tag*'],
      resources: ['arn:aws:iam::*:role/runway-*'],
      conditions: [],
    };
    expect(
      decide([tagOnly], { ...request('iam:TagRole'), resource: 'arn:aws:iam::1:role/runway-a' }).allowed,
    ).toBe(true);
    expect(
      decide([tagOnly], { ...request('iam:TagRole'), resource: 'arn:aws:iam::1:role/Runway-a' }).allowed,
    ).toBe(false);
    expect(
      decide([tagOnly], { ...request('iam:GetRole'), resource: 'arn:aws:iam::1:role/runway-a' }),
    ).toEqual({
      allowed: false,
      reason: 'no statement allows it',
    });
  });

  it('with a boundary, both must allow and a deny in either wins', () => {
    const getOnly: IamStatement = { ...allowAll, sid: 'Get', actions: ['iam:Get*'] };
    expect(decideWithBoundary([allowAll], [getOnly], request('iam:GetRole')).allowed).toBe(true);
    expect(decideWithBoundary([allowAll], [getOnly], request('iam:TagRole')).allowed).toBe(false);
    expect(decideWithBoundary([getOnly], [allowAll], request('iam:TagRole')).allowed).toBe(false);
    expect(
      decideWithBoundary([allowAll], [allowAll, denyIam('Null', 'x', ['true'])], request('iam:GetRole')),
    ).toEqual({ allowed: false, reason: 'boundary: denied by DenyIam' });
  });
});
