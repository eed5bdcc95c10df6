import type { Queryable } from '../db/database.js';

export interface ThrottlePolicy {
  /** Failures allowed per key within one window before logins on that key are refused. */
  maxFailures: number;
  windowSeconds: number;
}

export const defaultThrottlePolicy: ThrottlePolicy = { maxFailures: 5, windowSeconds: 900 };

/** Per-address budget: generous, so users behind one NAT do not lock each other out, yet bounds spraying. */
export const addressThrottlePolicy: ThrottlePolicy = { maxFailures: 100, windowSeconds: 900 };

export interface ThrottleKey {
  key: string;
  policy: ThrottlePolicy;
}

/**
 * Failed-login counters in PostgreSQL, so every replica sees the same budget. A key is blocked while its
 * window holds `maxFailures` failures; the window starts at the first failure.
 */
export const createLoginThrottle = (db: Queryable) => ({
  /** Seconds until the first blocked key frees up, or 0 when none is blocked. */
  async retryAfterSeconds(keys: readonly ThrottleKey[]): Promise<number> {
    let wait = 0;
    for (const { key, policy } of keys) {
      const { rows } = await db.query<{ remaining: number | string }>(
        `select extract(epoch from (window_started_at + make_interval(secs => $2) - now())) as remaining
         from login_attempts where key = $1 and failures >= $3
           and window_started_at + make_interval(secs => $2) > now()`,
        [key, policy.windowSeconds, policy.maxFailures],
      );
      const remaining = rows[0] === undefined ? 0 : Math.ceil(Number(rows[0].remaining));
      wait = Math.max(wait, remaining);
    }
    return wait;
  },

  async recordFailure(keys: readonly ThrottleKey[]): Promise<void> {
    for (const { key, policy } of keys) {
      await db.query(
        `insert into login_attempts (key, failures, window_started_at) values ($1, 1, now())
         on conflict (key) do update set
           failures = case when login_attempts.window_started_at + make_interval(secs => $2) <= now()
                           then 1 else login_attempts.failures + 1 end,
           window_started_at = case when login_attempts.window_started_at + make_interval(secs => $2) <= now()
                                    then now() else login_attempts.window_started_at end`,
        [key, policy.windowSeconds],
      );
    }
  },

  async clear(key: string): Promise<void> {
    await db.query('delete from login_attempts where key = $1', [key]);
  },
});

export type LoginThrottle = ReturnType<typeof createLoginThrottle>;
