import type { Queryable } from '../db/database.js';

export const housekeepingIntervalMs = 10 * 60 * 1000;

/** Rows per delete: small enough that one statement stays well inside the 2 s statement timeout. */
const defaultBatchSize = 5000;

/**
 * Deletes expired sessions and failed-login counters whose window ended long ago, so neither table grows
 * without bound. Counters go in batches of `batchSize` (over login_attempts_window_started_at_idx): a flood of
 * failed logins leaves more than one statement could delete within its timeout. Idempotent, so every replica
 * may run it.
 */
export const purgeExpiredAuthState = async (
  db: Queryable,
  { batchSize = defaultBatchSize }: { batchSize?: number } = {},
): Promise<{ sessions: number; attempts: number }> => {
  const sessions = await db.query('delete from sessions where expires_at <= now()');
  let attempts = 0;
  for (;;) {
    // A day is far longer than any throttle window, so no live counter is removed.
    const { rowCount } = await db.query(
      `delete from login_attempts where key in (
         select key from login_attempts where window_started_at < now() - interval '1 day' limit $1
       )`,
      [batchSize],
    );
    attempts += rowCount;
    if (rowCount < batchSize) break;
  }
  return { sessions: sessions.rowCount, attempts };
};
