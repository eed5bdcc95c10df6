/** An error a user can act on: a stable code, a one-line message, and optionally how to fix it. */
export class RunwayError extends Error {
  override readonly name = 'RunwayError';

  constructor(
    readonly code: string,
    message: string,
    readonly hint?: string,
  ) {
    super(message);
  }
}

export const isRunwayError = (error: unknown): error is RunwayError => error instanceof RunwayError;
