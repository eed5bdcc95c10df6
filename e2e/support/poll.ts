const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export interface PollOptions {
  readonly timeoutMs?: number;
  readonly intervalMs?: number;
  /** Checked before each attempt: a reason to give up at once (e.g. the process being waited for has exited). */
  readonly giveUp?: () => string | undefined;
}

/**
 * Calls `probe` until it returns a value other than undefined, or fails after `timeoutMs` with `what` and the
 * last error seen. For conditions that become true on their own (readiness, a flushed click), never a fixed sleep.
 */
export const pollUntil = async <T>(
  what: string,
  probe: () => Promise<T | undefined>,
  { timeoutMs = 15_000, intervalMs = 50, giveUp }: PollOptions = {},
): Promise<T> => {
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown;
  while (Date.now() < deadline) {
    const reason = giveUp?.();
    if (reason !== undefined) throw new Error(`gave up waiting for ${what}: ${reason}`);
    try {
      const value = await probe();
      if (value !== undefined) return value;
    } catch (error) {
      lastError = error;
    }
    await sleep(intervalMs);
  }
  const cause = lastError instanceof Error ? `: ${lastError.message}` : '';
  throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}${cause}`);
};
