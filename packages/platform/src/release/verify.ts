import { refusal } from '../errors.js';
import { describeRelease, shortDigest, shortSha } from './format.js';
import { findRejection, type Pointers, type ReleasePlan } from './plan.js';
import { type EnvironmentName, isPlaceholder } from './pointer.js';

/** A signal from the environment's Rollout: it ran `digest` to completion at `at`, with the analysis it reports. */
export interface VerifyRequest {
  readonly env: EnvironmentName;
  readonly digest: string;
  /** When the Rollout completed (ISO 8601), as the signal reports it. */
  readonly at: string;
  /**
   * The phase of the newest AnalysisRun of the completed revision, as the signal reports it ('' when none ran).
   * Argo Rollouts v1.8.3 reports a completion whenever the stable ReplicaSet changes, also when no analysis ran:
   * the initial deploy (rollout/sync.go `shouldFullPromote`), `promote --full`, a rollback within the window.
   */
  readonly analysis: string | undefined;
}

/** The AnalysisRun phase of a passed analysis (argo-rollouts v1.8.3, pkg/apis/rollouts/v1alpha1 `AnalysisPhaseSuccessful`). */
export const ANALYSIS_SUCCESSFUL = 'Successful';

/**
 * `runway verify <env> --digest <d> --at <t>`: record that the current release's canary passed, which makes it
 * promotable (decision 19). Only a signal naming the current release and sent after that release was made
 * counts: an older completion is about an earlier rollout of the environment, whatever digest it names.
 */
export const planVerify = (pointers: Pointers, request: VerifyRequest): ReleasePlan => {
  const { env, digest, at, analysis } = request;
  const current = pointers[env];
  // Decision 19: a release is verified by a completion with its analysis successful, never by completion alone.
  if (analysis !== ANALYSIS_SUCCESSFUL) {
    throw refusal(
      'VERIFY_NO_ANALYSIS',
      `the completion signal for ${shortDigest(digest)} in ${env} reports analysis "${analysis ?? ''}", not "${ANALYSIS_SUCCESSFUL}": a completion without a successful canary analysis (initial deploy, promote --full) verifies nothing`,
    );
  }
  if (digest !== current.digest) {
    throw refusal(
      'VERIFY_STALE',
      `${env} runs ${describeRelease(current)}, not ${shortDigest(digest)}: the completion signal is for another release, so nothing is verified`,
    );
  }
  // A digest rejected anywhere is bad everywhere; it can still arrive through a promotion PR opened before the
  // rejection, and a verification would let it travel on.
  const rejection = findRejection(pointers, digest);
  if (rejection) {
    throw refusal(
      'VERIFY_REJECTED',
      `${env} runs ${describeRelease(current)}, which was rejected in ${rejection.env} (${rejection.reason}): it is never verified; roll ${env} back`,
    );
  }
  if (isPlaceholder(current)) {
    throw refusal(
      'VERIFY_PLACEHOLDER',
      `${env} runs the bootstrap placeholder ${shortDigest(digest)}, which names no image: nothing is verified`,
    );
  }
  if (current.verifiedAt !== null) {
    return {
      kind: 'unchanged',
      summary: `${env} release ${describeRelease(current)} was already verified at ${current.verifiedAt}: nothing to do`,
    };
  }
  if (Date.parse(at) < Date.parse(current.releasedAt)) {
    throw refusal(
      'VERIFY_BEFORE_RELEASE',
      `the completion signal for ${shortDigest(digest)} in ${env} is from ${at}, before this release was made at ${current.releasedAt}: it is about an earlier rollout, so nothing is verified`,
    );
  }
  return {
    kind: 'change',
    pointer: { ...current, verifiedAt: at },
    commitMessage: `verify(${env}): ${shortSha(current.gitSha)} ${shortDigest(current.digest)}`,
    summary: `${env} release ${describeRelease(current)} is verified (its Rollout completed at ${at})`,
  };
};
