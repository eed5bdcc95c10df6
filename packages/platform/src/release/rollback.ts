import { RunwayError, refusal } from '../errors.js';
import { describeRelease, shortDigest, shortSha } from './format.js';
import type { Invocation, Pointers, ReleasePlan } from './plan.js';
import { type EnvironmentName, isPlaceholder, type ReleasePointer } from './pointer.js';

export interface RollbackRequest extends Invocation {
  readonly env: EnvironmentName;
  readonly reason: string;
  /** The digest the signal (or the person) says aborted; it must still be the environment's current release. */
  readonly digest: string;
  /** When it aborted (ISO 8601); a person rolling back by hand decides now. */
  readonly at: string;
}

const rejectedEverywhere = (pointers: Pointers): Set<string> =>
  new Set(Object.values(pointers).flatMap((pointer) => pointer.rejected.map((entry) => entry.digest)));

/** Refuses a signal that is not about the current release as it is now (decision 19). */
const checkSignal = (bad: ReleasePointer, request: RollbackRequest): void => {
  const { env, digest, at } = request;
  if (digest !== bad.digest) {
    throw refusal(
      'ROLLBACK_STALE',
      `${env} runs ${describeRelease(bad)}, not ${shortDigest(digest)}: the abort signal is for another release, so nothing is rolled back`,
    );
  }
  if (Date.parse(at) < Date.parse(bad.releasedAt)) {
    throw refusal(
      'ROLLBACK_BEFORE_RELEASE',
      `the abort signal for ${shortDigest(digest)} in ${env} is from ${at}, before this release was made at ${bad.releasedAt}: it is about an earlier rollout, so nothing is rolled back`,
    );
  }
  if (bad.verifiedAt !== null && Date.parse(at) < Date.parse(bad.verifiedAt)) {
    throw refusal(
      'ROLLBACK_BEFORE_VERIFY',
      `the abort signal for ${shortDigest(digest)} in ${env} is from ${at}, before its rollout completed at ${bad.verifiedAt}: the release did not abort, so nothing is rolled back`,
    );
  }
};

/**
 * `runway rollback <env> --digest <d> [--at <t>]`: return the environment to the newest earlier release in its
 * pointer's git history that passed its analysis here, is not a bootstrap placeholder, and is not rejected
 * anywhere; record the aborted one as rejected so it is never released again. `history` is every committed
 * version of the pointer, newest first.
 */
export const planRollback = (
  pointers: Pointers,
  history: readonly ReleasePointer[],
  request: RollbackRequest,
): ReleasePlan => {
  const { env } = request;
  const bad = pointers[env];
  checkSignal(bad, request);
  const excluded = rejectedEverywhere(pointers).add(bad.digest);
  const good = history.find(
    (version) =>
      version.env === env &&
      version.verifiedAt !== null &&
      !isPlaceholder(version) &&
      !excluded.has(version.digest),
  );
  if (good === undefined) {
    // An error, not a refusal: the aborted release stays in git and a person must choose what runs instead.
    throw new RunwayError(
      'NO_GOOD_RELEASE',
      `cannot roll back ${env}: none of the ${history.length} versions of its pointer in git history is an earlier verified release that is neither ${describeRelease(bad)}, a bootstrap placeholder, nor rejected`,
      `Release a known good digest with \`runway release ${env} <digest>\`.`,
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
    // Released again now, so a signal from before this moment (about the aborted rollout) is refused.
    releasedAt: request.now,
    releasedBy: request.by,
    promotedFrom: good.promotedFrom,
    // The restored release already passed its analysis here (only verified versions are targets), so it stays
    // promotable; stamped now, since a verification never precedes its release.
    verifiedAt: request.now,
    rejected: [...bad.rejected, rejection],
  };
  return {
    kind: 'change',
    pointer,
    commitMessage: `rollback(${env}): ${shortSha(good.gitSha)} ${shortDigest(good.digest)}, rejected ${shortDigest(bad.digest)}`,
    summary: `${env} rolled back to ${describeRelease(good)}; ${describeRelease(bad)} is rejected (${request.reason})`,
  };
};
