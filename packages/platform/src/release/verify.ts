import { RunwayError } from '../errors.js';
import { describeRelease, shortDigest, shortSha } from './format.js';
import type { Invocation, Pointers, ReleasePlan } from './plan.js';
import type { EnvironmentName } from './pointer.js';

export interface VerifyRequest extends Pick<Invocation, 'now'> {
  readonly env: EnvironmentName;
  /** The digest the cluster reported healthy; a stale report must not verify a newer release. */
  readonly digest?: string;
}

/** `runway verify <env>`: record that the current release's canary analysis passed, which makes it promotable. */
export const planVerify = (pointers: Pointers, request: VerifyRequest): ReleasePlan => {
  const current = pointers[request.env];
  if (request.digest !== undefined && request.digest !== current.digest) {
    throw new RunwayError(
      'VERIFY_STALE',
      `${request.env} runs ${describeRelease(current)}, not ${shortDigest(request.digest)}: the healthy report is for another release, so nothing is verified`,
    );
  }
  if (current.verifiedAt !== null) {
    return {
      kind: 'unchanged',
      summary: `${request.env} release ${describeRelease(current)} was already verified at ${current.verifiedAt}`,
    };
  }
  return {
    kind: 'change',
    pointer: { ...current, verifiedAt: request.now },
    commitMessage: `verify(${request.env}): ${shortSha(current.gitSha)} ${shortDigest(current.digest)}`,
    summary: `${request.env} release ${describeRelease(current)} is verified`,
  };
};
