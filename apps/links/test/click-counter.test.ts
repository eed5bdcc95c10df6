import { describe, expect, it } from 'vitest';
import { type ClickBatch, createClickCounter } from '../src/links/click-counter.js';

const sequentialIds = () => {
  let next = 0;
  return () => `batch-${++next}`;
};

/** What click_batches does: a batch id already stored adds nothing. */
const idempotentStore = () => {
  const seen = new Set<string>();
  const totals = new Map<string, number>();
  return {
    totals,
    apply(batches: readonly ClickBatch[]) {
      for (const batch of batches) {
        if (seen.has(batch.id)) continue;
        seen.add(batch.id);
        for (const [code, n] of batch.counts) totals.set(code, (totals.get(code) ?? 0) + n);
      }
    },
  };
};

const never = new Promise<void>(() => undefined);

describe('click counter', () => {
  it('seals counts per code into one batch under an id and forgets it once written', async () => {
    const writes: { id: string; counts: Map<string, number> }[][] = [];
    const counter = createClickCounter({
      write: async (batches) =>
        void writes.push(batches.map((b) => ({ id: b.id, counts: new Map(b.counts) }))),
      intervalMs: 60_000,
      newBatchId: sequentialIds(),
    });
    for (const code of ['a', 'b', 'a', 'a']) counter.record(code);
    expect(counter.pending()).toBe(4);
    await counter.flush();
    expect(writes).toEqual([
      [
        {
          id: 'batch-1',
          counts: new Map([
            ['a', 3],
            ['b', 1],
          ]),
        },
      ],
    ]);
    expect(counter.pending()).toBe(0);
    await counter.flush();
    expect(writes).toHaveLength(1);
  });

  it('counts the batch being written as pending until the write succeeds (links_clicks_pending)', async () => {
    let finish: () => void = () => undefined;
    const counter = createClickCounter({
      write: () => new Promise<void>((resolve) => (finish = resolve)),
      intervalMs: 60_000,
    });
    counter.record('a');
    counter.record('b');
    const flushing = counter.flush();
    counter.record('a');
    expect(counter.pending()).toBe(3);
    finish();
    await flushing;
    expect(counter.pending()).toBe(1);
  });

  it('writes a failed batch again under the same id, beside a new batch for clicks that came meanwhile', async () => {
    let fail = true;
    const written: string[][] = [];
    const outcomes: string[] = [];
    const counter = createClickCounter({
      write: async (batches) => {
        written.push(batches.map((b) => `${b.id}:${b.total}`));
        if (fail) throw new Error('no reply to commit');
      },
      intervalMs: 60_000,
      newBatchId: sequentialIds(),
      onFlush: (outcome) => outcomes.push(outcome),
    });
    counter.record('a');
    counter.record('a');
    const failed = counter.flush();
    counter.record('a');
    await expect(failed).rejects.toThrow('no reply to commit');
    expect(counter.pending()).toBe(3);
    fail = false;
    await counter.stop();
    expect(written).toEqual([['batch-1:2'], ['batch-1:2', 'batch-2:1']]);
    expect(outcomes).toEqual(['error', 'ok']);
    expect(counter.pending()).toBe(0);
  });

  it('counts every click once through a store keyed by batch id, however flushes overlap or fail', async () => {
    const store = idempotentStore();
    let calls = 0;
    const counter = createClickCounter({
      write: async (batches) => {
        calls += 1;
        await new Promise((resolve) => setTimeout(resolve, 5));
        store.apply(batches);
        // Every other write "commits" and then loses its reply.
        if (calls % 2 === 1) throw new Error('reply lost');
      },
      intervalMs: 60_000,
    });
    const flushes: Promise<void>[] = [];
    for (let i = 0; i < 30; i++) {
      counter.record(i % 3 === 0 ? 'x' : 'y');
      if (i % 4 === 0) flushes.push(counter.flush().catch(() => undefined));
    }
    await Promise.all(flushes);
    while (counter.pending() > 0) await counter.flush().catch(() => undefined);
    expect(Object.fromEntries(store.totals)).toEqual({ x: 10, y: 20 });
  });

  it('stop() writes everything held with the final writer at once, not behind a stuck flush', async () => {
    const store = idempotentStore();
    const counter = createClickCounter({ write: () => never, intervalMs: 60_000 });
    counter.record('a');
    void counter.flush();
    counter.record('a');
    counter.record('b');
    await counter.stop(async (batches) => store.apply(batches));
    expect(Object.fromEntries(store.totals)).toEqual({ a: 2, b: 1 });
    expect(counter.pending()).toBe(0);
  });

  it('flushes on its interval once started, skipping ticks while a write is in flight', async () => {
    let writes = 0;
    const counter = createClickCounter({
      write: async () => {
        writes += 1;
        await new Promise((resolve) => setTimeout(resolve, 100));
      },
      intervalMs: 20,
    });
    counter.start();
    counter.record('y');
    await new Promise((resolve) => setTimeout(resolve, 90));
    counter.record('y');
    expect(writes).toBe(1);
    await counter.stop(async () => undefined);
    expect(counter.pending()).toBe(0);
  });
});
