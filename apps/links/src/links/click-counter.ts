import { randomUUID } from 'node:crypto';

/** Counts sealed under one id: writing the same batch twice must count it once (see click_batches). */
export interface ClickBatch {
  readonly id: string;
  readonly counts: ReadonlyMap<string, number>;
  readonly total: number;
}

export type WriteClickBatches = (batches: readonly ClickBatch[]) => Promise<void>;

/**
 * Clicks counted in memory and written in batches, so a redirect never waits for a write. A batch stays held,
 * under its id, until a write of it succeeds; every flush writes all held batches, so a batch whose write
 * outcome is unknown (no reply to the commit) is simply written again and counted once.
 */
export interface ClickCounter {
  record(code: string): void;
  /** Every click not yet confirmed written: the open counts and every held batch, the one in flight included. */
  pending(): number;
  /** Seals the open counts and writes every held batch; does not wait for a flush already in flight. */
  flush(): Promise<void>;
  start(): void;
  /**
   * Stops the timer and writes everything held with `write` (by default the usual writer), without waiting for
   * a flush in flight: at shutdown that one may be stuck on a frozen connection.
   */
  stop(write?: WriteClickBatches): Promise<void>;
}

export interface ClickCounterOptions {
  write: WriteClickBatches;
  intervalMs: number;
  onFlush?: (outcome: 'ok' | 'error', error?: unknown) => void;
  newBatchId?: () => string;
}

export const createClickCounter = (options: ClickCounterOptions): ClickCounter => {
  const newBatchId = options.newBatchId ?? randomUUID;
  let open = new Map<string, number>();
  let openTotal = 0;
  let held: ClickBatch[] = [];
  let inFlight = 0;
  let timer: NodeJS.Timeout | undefined;

  const seal = (): void => {
    if (openTotal === 0) return;
    held.push({ id: newBatchId(), counts: open, total: openTotal });
    open = new Map();
    openTotal = 0;
  };

  const writeHeld = async (write: WriteClickBatches): Promise<void> => {
    seal();
    const batches = [...held];
    if (batches.length === 0) return;
    inFlight += 1;
    try {
      await write(batches);
      held = held.filter((batch) => !batches.includes(batch));
      options.onFlush?.('ok');
    } catch (error) {
      options.onFlush?.('error', error);
      throw error;
    } finally {
      inFlight -= 1;
    }
  };

  return {
    record(code) {
      open.set(code, (open.get(code) ?? 0) + 1);
      openTotal += 1;
    },
    pending: () => held.reduce((sum, batch) => sum + batch.total, openTotal),
    flush: () => writeHeld(options.write),
    start() {
      timer ??= setInterval(() => {
        // A flush in flight ends within the database's query timeout; piling more behind it would only hold
        // more pooled connections on a frozen database.
        if (inFlight === 0) writeHeld(options.write).catch(() => undefined);
      }, options.intervalMs);
      timer.unref();
    },
    async stop(write = options.write) {
      clearInterval(timer);
      timer = undefined;
      await writeHeld(write);
    },
  };
};
