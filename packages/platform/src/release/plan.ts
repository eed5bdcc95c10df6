import type { EnvironmentName, RejectedRelease, ReleasePointer } from './pointer.js';

/** Every environment's current pointer: what git says each environment runs. */
export type Pointers = Readonly<Record<EnvironmentName, ReleasePointer>>;

/** What a release command decided: a new pointer for one environment, or nothing to do (and why). */
export type ReleasePlan =
  | {
      readonly kind: 'change';
      readonly pointer: ReleasePointer;
      readonly commitMessage: string;
      readonly summary: string;
    }
  | { readonly kind: 'unchanged'; readonly summary: string };

/** Facts about the invocation the pure functions need, supplied by the shell. */
export interface Invocation {
  /** Who or what acts: a CI run URL, a user. */
  readonly by: string;
  /** ISO 8601 time of the action. */
  readonly now: string;
}

/** A release rejected in any environment is bad everywhere: the same image failed its analysis. */
export const findRejection = (
  pointers: Pointers,
  digest: string,
): (RejectedRelease & { env: EnvironmentName }) | undefined => {
  for (const pointer of Object.values(pointers)) {
    const rejected = pointer.rejected.find((entry) => entry.digest === digest);
    if (rejected) return { ...rejected, env: pointer.env };
  }
  return undefined;
};
