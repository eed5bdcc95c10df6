/**
 * How a refused command ends: the repository is consistent and the request simply does not apply to it (a
 * late, early or stale signal, a release not yet verified). Distinct from 1 (an error a user must fix) so a
 * workflow can tell an expected race from a failure.
 */
export const EXIT_REFUSED = 3;

/** An error a user can act on: a stable code, a one-line message, and optionally how to fix it. */
export class RunwayError extends Error {
  override readonly name = 'RunwayError';

  constructor(
    readonly code: string,
    message: string,
    readonly hint?: string,
    /** True when the request does not apply to the current state; the CLI then exits with EXIT_REFUSED. */
    readonly refused = false,
  ) {
    super(message);
  }
}

/** A request that does not apply to the current state: nothing changed, and nothing is broken. */
export const refusal = (code: string, message: string): RunwayError =>
  new RunwayError(code, message, undefined, true);

export const isRunwayError = (error: unknown): error is RunwayError => error instanceof RunwayError;

export const exitCodeOf = (error: RunwayError): number => (error.refused ? EXIT_REFUSED : 1);
