import { prepared, type Queryable } from '../db/database.js';

export interface SessionAccount {
  accountId: string;
  email: string;
  expiresAt: Date;
}

/** Every authenticated request's read (when the session is not cached): prepared. */
const findLiveSession = prepared(
  'sessions_find_live',
  `select s.account_id, a.email, s.expires_at from sessions s join accounts a on a.id = s.account_id
   where s.token_hash = $1 and s.expires_at > now()`,
);

export const createSessionsRepository = (db: Queryable) => ({
  async insert(tokenHash: string, accountId: string, expiresAt: Date): Promise<void> {
    await db.query('insert into sessions (token_hash, account_id, expires_at) values ($1, $2, $3)', [
      tokenHash,
      accountId,
      expiresAt,
    ]);
  },

  async findLive(tokenHash: string): Promise<SessionAccount | undefined> {
    const { rows } = await db.query<{ account_id: string | bigint; email: string; expires_at: Date }>(
      findLiveSession,
      [tokenHash],
    );
    const [row] = rows;
    return (
      row && { accountId: String(row.account_id), email: row.email, expiresAt: new Date(row.expires_at) }
    );
  },

  async delete(tokenHash: string): Promise<void> {
    await db.query('delete from sessions where token_hash = $1', [tokenHash]);
  },

  /** Housekeeping, run opportunistically at login: expired sessions of this account. */
  async deleteExpired(accountId: string): Promise<void> {
    await db.query('delete from sessions where account_id = $1 and expires_at <= now()', [accountId]);
  },
});

export type SessionsRepository = ReturnType<typeof createSessionsRepository>;
