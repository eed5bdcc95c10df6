import type { Queryable } from '../db/database.js';

export const housekeepingIntervalMs = 10 * 60 * 1000;

/**
 * Deletes expired sessions and failed-login counters whose window ended long ago, so neither table grows
 * without bound. Idempotent, so every replica may run it.
 */
export const purgeExpiredAuthState = async (
  db: Queryable,
): Promise<{ sessions: number; attempts: number }> => {
  const sessions = await db.query('delete from sessions where expires_at <= now()');
  // A day is far longer than any throttle window, so no live counter is removed.
  const attempts = await db.query(
    `delete from login_attempts where window_started_at < now() - interval '1 day'`,
  );
  return { sessions: sessions.rowCount, attempts: attempts.rowCount };
};
