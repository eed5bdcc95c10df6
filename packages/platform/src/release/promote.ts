import { RunwayError, refusal } from '../errors.js';
import { describeRelease, shortDigest, shortSha } from './format.js';
import { findRejection, type Invocation, type Pointers, type ReleasePlan } from './plan.js';
import { ENVIRONMENT_NAMES, type EnvironmentName } from './pointer.js';

export interface PromoteRequest extends Invocation {
  readonly from: EnvironmentName;
  readonly to: EnvironmentName;
}

/** Promotions go one step along dev → staging → prod, so every release is proven in the environment before. */
const checkOrder = (from: EnvironmentName, to: EnvironmentName): void => {
  const next = ENVIRONMENT_NAMES[ENVIRONMENT_NAMES.indexOf(from) + 1];
  if (next === to) return;
  const order = ENVIRONMENT_NAMES.join(' → ');
  throw new RunwayError(
    'PROMOTION_ORDER',
    next === undefined
      ? `cannot promote from ${from}: it is the last environment (${order})`
      : `cannot promote ${from} to ${to}: releases go ${order} one step at a time, so ${from} promotes to ${next}`,
  );
};

/** `runway promote <from> <to>`: copy the verified release of one environment to the next. */
export const planPromotion = (pointers: Pointers, request: PromoteRequest): ReleasePlan => {
  const { from, to } = request;
  checkOrder(from, to);
  const source = pointers[from];
  const target = pointers[to];
  const rejection = findRejection(pointers, source.digest);
  if (rejection) {
    throw refusal(
      'PROMOTION_REJECTED',
      `cannot promote ${describeRelease(source)} from ${from}: it was rejected in ${rejection.env} (${rejection.reason})`,
    );
  }
  // A repeated signal asks for a promotion already made: nothing to do is not a failure.
  if (target.digest === source.digest) {
    return {
      kind: 'unchanged',
      summary: `${to} already runs ${describeRelease(source)}: nothing to promote`,
    };
  }
  if (source.verifiedAt === null) {
    throw refusal(
      'PROMOTION_UNVERIFIED',
      `cannot promote ${describeRelease(source)} from ${from}: it is not verified there yet (its canary analysis has not passed)`,
    );
  }
  const pointer = {
    ...target,
    image: source.image,
    digest: source.digest,
    gitSha: source.gitSha,
    releasedAt: request.now,
    releasedBy: request.by,
    promotedFrom: from,
    verifiedAt: null,
  };
  return {
    kind: 'change',
    pointer,
    commitMessage: `promote(${to}): ${shortSha(source.gitSha)} ${shortDigest(source.digest)} from ${from}`,
    summary: `${to} now runs ${describeRelease(pointer)}, promoted from ${from}`,
  };
};

/** The branch a promotion is committed on, for its pull request. */
export const promotionBranch = (plan: ReleasePlan & { kind: 'change' }): string =>
  `promote/${plan.pointer.env}-${shortSha(plan.pointer.gitSha)}`;
