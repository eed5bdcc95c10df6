import { refusal } from '../errors.js';
import { describeRelease, shortDigest, shortSha } from './format.js';
import { findRejection, type Invocation, type Pointers, type ReleasePlan } from './plan.js';
import type { EnvironmentName } from './pointer.js';

export interface ReleaseRequest extends Invocation {
  readonly env: EnvironmentName;
  readonly digest: string;
  readonly gitSha: string;
  /** Image repository; the environment's current one when absent. */
  readonly image?: string;
}

/** `runway release <env> <digest>`: point an environment at a new image, unverified until its canary passes. */
export const planRelease = (pointers: Pointers, request: ReleaseRequest): ReleasePlan => {
  const current = pointers[request.env];
  const rejection = findRejection(pointers, request.digest);
  if (rejection) {
    throw refusal(
      'RELEASE_REJECTED',
      `${describeRelease(rejection)} was rejected in ${rejection.env} (${rejection.reason}); it can never be released again`,
    );
  }
  const image = request.image ?? current.image;
  if (current.digest === request.digest && current.image === image) {
    return { kind: 'unchanged', summary: `${request.env} already runs ${describeRelease(current)}` };
  }
  const pointer = {
    ...current,
    image,
    digest: request.digest,
    gitSha: request.gitSha,
    releasedAt: request.now,
    releasedBy: request.by,
    promotedFrom: null,
    verifiedAt: null,
  };
  return {
    kind: 'change',
    pointer,
    commitMessage: `release(${request.env}): ${shortSha(request.gitSha)} ${shortDigest(request.digest)}`,
    summary: `${request.env} now runs ${describeRelease(pointer)}`,
  };
};
