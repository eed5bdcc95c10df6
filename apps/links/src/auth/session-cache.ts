import { serviceTimeouts } from '../db/postgres.js';
import type { SessionAccount, SessionsRepository } from './sessions-repository.js';

export interface SessionCacheOptions {
  /** How long another replica may still accept a session after it was ended: the stated revocation bound. */
  ttlMs: number;
  maxEntries: number;
  /** The longest a lookup or a delete may take before the driver gives up (the client query timeout). */
  queryTimeoutMs?: number;
  now?: () => number;
}

/** A logout reaches every replica within this: the one that served it at once, the others by expiry. */
export const sessionCacheTtlMs = 2000;
const sessionCacheMaxEntries = 10_000;

/**
 * Remembers live sessions for `ttlMs`, so an authenticated request costs one query (its own), not two: the
 * session lookup was half the CPU of `GET /api/v1/links` (issue 16, item 17). Keyed by the token's digest, as
 * the table is. Deleting a session (logout, rotation at login) evicts it here and keeps a lookup racing the delete
 * from caching it again, so this replica refuses it at once; other replicas hold it at most `ttlMs` from when
 * their lookup was sent, and never past the session's expiry.
 */
export const cacheSessions = (
  sessions: SessionsRepository,
  options: SessionCacheOptions = { ttlMs: sessionCacheTtlMs, maxEntries: sessionCacheMaxEntries },
): SessionsRepository => {
  const now = options.now ?? Date.now;
  const queryTimeoutMs = options.queryTimeoutMs ?? serviceTimeouts.queryMs;
  // A lookup racing a delete here was sent before the delete committed (within one query timeout of it) and
  // answers within one more: past that, no answer can still bring the ended session back.
  const endedKeepMs = options.ttlMs + 2 * queryTimeoutMs;
  const entries = new Map<string, { account: SessionAccount; until: number }>();
  /** Sessions deleted here lately, until when to remember them: a lookup that read the row before it went must not cache it. */
  const ended = new Map<string, number>();
  return {
    ...sessions,
    async findLive(tokenHash) {
      const cached = entries.get(tokenHash);
      if (cached !== undefined && cached.until > now()) return cached.account;
      entries.delete(tokenHash);
      // The row read is as of when the lookup was sent, not when its answer came: the bound counts from there.
      const asked = now();
      const account = await sessions.findLive(tokenHash);
      // A token is never reissued, so one ended here is never cached again, however late the answer.
      if (account !== undefined && !((ended.get(tokenHash) ?? 0) > now())) {
        // Oldest first out: a Map iterates in insertion order.
        if (entries.size >= options.maxEntries) entries.delete(entries.keys().next().value as string);
        entries.set(tokenHash, {
          account,
          until: Math.min(asked + options.ttlMs, account.expiresAt.getTime()),
        });
      }
      return account;
    },
    async delete(tokenHash) {
      if (ended.size >= options.maxEntries) {
        for (const [hash, until] of ended) if (until <= now()) ended.delete(hash);
      }
      ended.set(tokenHash, now() + endedKeepMs);
      entries.delete(tokenHash);
      await sessions.delete(tokenHash);
    },
  };
};
