import { describe, expect, it } from 'vitest';
import { createClickCounter } from '../src/links/click-counter.js';

describe('click counter', () => {
  it('batches counts per code into one write and empties the batch', async () => {
    const writes: Map<string, number>[] = [];
    const counter = createClickCounter({
      write: async (counts) => void writes.push(new Map(counts)),
      intervalMs: 60_000,
    });
    for (const code of ['a', 'b', 'a', 'a']) counter.record(code);
    expect(counter.pending()).toBe(4);
    await counter.flush();
    expect(writes).toEqual([
      new Map([
        ['a', 3],
        ['b', 1],
      ]),
    ]);
    expect(counter.pending()).toBe(0);
    await counter.flush();
    expect(writes).toHaveLength(1);
  });

  it('keeps the counts of a failed write for the next flush, adding clicks that arrived meanwhile', async () => {
    let fail = true;
    const written: Map<string, number>[] = [];
    const outcomes: string[] = [];
    const counter = createClickCounter({
      write: async (counts) => {
        if (fail) throw new Error('database down');
        written.push(new Map(counts));
      },
      intervalMs: 60_000,
      onFlush: (outcome) => outcomes.push(outcome),
    });
    counter.record('a');
    counter.record('a');
    const failed = counter.flush();
    counter.record('a');
    await expect(failed).rejects.toThrow('database down');
    expect(counter.pending()).toBe(3);
    fail = false;
    await counter.stop();
    expect(written).toEqual([new Map([['a', 3]])]);
    expect(outcomes).toEqual(['error', 'ok']);
  });

  it('never writes one batch twice when flushes overlap', async () => {
    const written: number[] = [];
    const counter = createClickCounter({
      write: async (counts) => {
        await new Promise((resolve) => setTimeout(resolve, 20));
        written.push(counts.get('x') ?? 0);
      },
      intervalMs: 60_000,
    });
    counter.record('x');
    const first = counter.flush();
    counter.record('x');
    await Promise.all([first, counter.flush(), counter.flush()]);
    expect(written.reduce((sum, n) => sum + n, 0)).toBe(2);
  });

  it('flushes on its interval once started', async () => {
    const written: number[] = [];
    const counter = createClickCounter({
      write: async (counts) => void written.push(counts.size),
      intervalMs: 20,
    });
    counter.start();
    counter.record('y');
    await new Promise((resolve) => setTimeout(resolve, 80));
    await counter.stop();
    expect(written).toEqual([1]);
  });
});
