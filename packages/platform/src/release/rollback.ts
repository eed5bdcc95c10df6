import { RunwayError } from '../errors.js';
import { describeRelease, shortDigest, shortSha } from './format.js';
import type { Invocation, Pointers, ReleasePlan } from './plan.js';
import type { EnvironmentName, ReleasePointer } from './pointer.js';

export interface RollbackRequest extends Invocation {
  readonly env: EnvironmentName;
  readonly reason: string;
  /** The digest the cluster reported aborted; a stale report must not roll back a newer release. */
  readonly digest?: string;
}

const rejectedEverywhere = (pointers: Pointers): Set<string> =>
  new Set(Object.values(pointers).flatMap((pointer) => pointer.rejected.map((entry) => entry.digest)));

/**
 * `runway rollback <env>`: return the environment to the newest earlier release in its pointer's git history
 * that is neither the bad one nor rejected anywhere, and record the bad one as rejected so it is never promoted.
 * `history` is every committed version of the pointer, newest first.
 */
export const planRollback = (
  pointers: Pointers,
  history: readonly ReleasePointer[],
  request: RollbackRequest,
): ReleasePlan => {
  const { env } = request;
  const bad = pointers[env];
  if (request.digest !== undefined && request.digest !== bad.digest) {
    throw new RunwayError(
      'ROLLBACK_STALE',
      `${env} runs ${describeRelease(bad)}, not ${shortDigest(request.digest)}: the abort report is for another release, so nothing is rolled back`,
    );
  }
  const excluded = rejectedEverywhere(pointers).add(bad.digest);
  const good = history.find((version) => version.env === env && !excluded.has(version.digest));
  if (good === undefined) {
    throw new RunwayError(
      'NO_GOOD_RELEASE',
      `cannot roll back ${env}: none of the ${history.length} versions of its pointer in git history is an earlier release that is neither ${describeRelease(bad)} nor rejected`,
    );
  }
  const rejection = {
    digest: bad.digest,
    gitSha: bad.gitSha,
    rejectedAt: request.now,
    reason: request.reason,
  };
  const pointer: ReleasePointer = {
    ...bad,
    image: good.image,
    digest: good.digest,
    gitSha: good.gitSha,
    releasedAt: request.now,
    releasedBy: request.by,
    promotedFrom: good.promotedFrom,
    // The restored release already passed its analysis here; keeping that lets it be promoted again.
    verifiedAt: good.verifiedAt,
    rejected: [...bad.rejected, rejection],
  };
  return {
    kind: 'change',
    pointer,
    commitMessage: `rollback(${env}): ${shortSha(good.gitSha)} ${shortDigest(good.digest)}, rejected ${shortDigest(bad.digest)}`,
    summary: `${env} rolled back to ${describeRelease(good)}; ${describeRelease(bad)} is rejected (${request.reason})`,
  };
};
