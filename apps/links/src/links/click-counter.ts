/**
 * Clicks counted in memory and written in batches, so a redirect never waits for a write. A failed flush puts
 * its counts back, so they go out with the next one.
 */
export interface ClickCounter {
  record(code: string): void;
  pending(): number;
  flush(): Promise<void>;
  start(): void;
  /** Stops the timer and flushes what is left. */
  stop(): Promise<void>;
}

export interface ClickCounterOptions {
  write: (counts: ReadonlyMap<string, number>) => Promise<void>;
  intervalMs: number;
  onFlush?: (outcome: 'ok' | 'error', error?: unknown) => void;
}

export const createClickCounter = (options: ClickCounterOptions): ClickCounter => {
  let counts = new Map<string, number>();
  let total = 0;
  let timer: NodeJS.Timeout | undefined;
  let inFlight: Promise<void> = Promise.resolve();

  const flushOnce = async (): Promise<void> => {
    if (counts.size === 0) return;
    const batch = counts;
    const batchTotal = total;
    counts = new Map();
    total = 0;
    try {
      await options.write(batch);
      options.onFlush?.('ok');
    } catch (error) {
      for (const [code, n] of batch) counts.set(code, (counts.get(code) ?? 0) + n);
      total += batchTotal;
      options.onFlush?.('error', error);
      throw error;
    }
  };

  // Flushes are chained so two never write the same batch concurrently.
  const flush = (): Promise<void> => {
    inFlight = inFlight.catch(() => undefined).then(flushOnce);
    return inFlight;
  };

  return {
    record(code) {
      counts.set(code, (counts.get(code) ?? 0) + 1);
      total += 1;
    },
    pending: () => total,
    flush,
    start() {
      timer ??= setInterval(() => {
        flush().catch(() => undefined);
      }, options.intervalMs);
      timer.unref();
    },
    async stop() {
      clearInterval(timer);
      timer = undefined;
      await flush();
    },
  };
};
