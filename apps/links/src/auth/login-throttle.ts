import type { Queryable } from '../db/database.js';

export interface ThrottlePolicy {
  /** Attempts allowed per key within one window; the next one is refused until the window ends. */
  maxFailures: number;
  windowSeconds: number;
}

/** Per (account, client address): the strict limit, which only the client that guessed wrong runs into. */
export const defaultThrottlePolicy: ThrottlePolicy = { maxFailures: 5, windowSeconds: 900 };

/** Per-address budget: generous, so users behind one NAT do not lock each other out, yet bounds spraying. */
export const addressThrottlePolicy: ThrottlePolicy = { maxFailures: 100, windowSeconds: 900 };

/**
 * Per account, from every address together: a slow-down, not a lockout. It bounds guessing spread over many
 * addresses to 10 a minute, while the most strangers can do to the owner is a refusal of under a minute.
 */
export const accountThrottlePolicy: ThrottlePolicy = { maxFailures: 10, windowSeconds: 60 };

/** Registrations per client address: accounts are cheap to ask for, so they are counted, not only failures. */
export const registrationThrottlePolicy: ThrottlePolicy = { maxFailures: 10, windowSeconds: 3600 };

export interface ThrottleKey {
  key: string;
  policy: ThrottlePolicy;
}

export type Reservation = { granted: true } | { granted: false; retryAfterSeconds: number };

/**
 * Attempt counters in PostgreSQL, so every replica sees the same budget. An attempt is counted *before* it is
 * evaluated, in the same statement that checks the limit (an upsert that takes the row lock), so parallel
 * attempts cannot all pass a check made before any of them was counted. A key's window starts at its first
 * attempt; a key at its limit stays there, unchanged, until the window ends.
 */
export const createLoginThrottle = (db: Queryable) => {
  /** Counts one attempt on `key` if it is under its limit; false when the limit is reached. */
  const take = async ({ key, policy }: ThrottleKey): Promise<boolean> => {
    const { rows } = await db.query(
      `insert into login_attempts as a (key, failures, window_started_at) values ($1, 1, now())
       on conflict (key) do update set
         failures = case when a.window_started_at + make_interval(secs => $2) <= now() then 1 else a.failures + 1 end,
         window_started_at = case when a.window_started_at + make_interval(secs => $2) <= now()
                                  then now() else a.window_started_at end
       where a.window_started_at + make_interval(secs => $2) <= now() or a.failures < $3
       returning 1`,
      [key, policy.windowSeconds, policy.maxFailures],
    );
    return rows.length === 1;
  };

  const giveBack = async (keys: readonly ThrottleKey[]): Promise<void> => {
    for (const { key } of keys) {
      await db.query('update login_attempts set failures = failures - 1 where key = $1 and failures > 0', [
        key,
      ]);
    }
  };

  const secondsLeft = async ({ key, policy }: ThrottleKey): Promise<number> => {
    const { rows } = await db.query<{ remaining: number | string }>(
      `select extract(epoch from (window_started_at + make_interval(secs => $2) - now())) as remaining
       from login_attempts where key = $1`,
      [key, policy.windowSeconds],
    );
    return Math.max(1, Math.ceil(Number(rows[0]?.remaining ?? 1)));
  };

  return {
    /**
     * Counts one attempt against every key, or against none: when one key is at its limit, the attempts already
     * counted for the others are given back, so a refused attempt uses up no one's budget.
     */
    async reserve(keys: readonly ThrottleKey[]): Promise<Reservation> {
      const taken: ThrottleKey[] = [];
      for (const key of keys) {
        if (await take(key)) {
          taken.push(key);
          continue;
        }
        await giveBack(taken);
        return { granted: false, retryAfterSeconds: await secondsLeft(key) };
      }
      return { granted: true };
    },

    /** Returns attempts that turned out not to be failures (a right password). */
    giveBack,

    async clear(key: string): Promise<void> {
      await db.query('delete from login_attempts where key = $1', [key]);
    },
  };
};

export type LoginThrottle = ReturnType<typeof createLoginThrottle>;
