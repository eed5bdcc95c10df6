import type { Queryable } from '../db/database.js';

export interface Account {
  id: string;
  email: string;
  passwordHash: string;
}

interface AccountRow {
  id: string | bigint;
  email: string;
  password_hash: string;
}

const toAccount = (row: AccountRow): Account => ({
  id: String(row.id),
  email: row.email,
  passwordHash: row.password_hash,
});

/** E-mail addresses compare case-insensitively and after Unicode normalization. */
export const normalizeEmail = (email: string): string => email.normalize('NFC').trim().toLowerCase();

export const createAccountsRepository = (db: Queryable) => ({
  /** Throws UniqueViolationError when the e-mail is taken. */
  async insert(email: string, passwordHash: string): Promise<Account> {
    const { rows } = await db.query<AccountRow>(
      `insert into accounts (email, email_normalized, password_hash) values ($1, $2, $3)
       returning id, email, password_hash`,
      [email.trim(), normalizeEmail(email), passwordHash],
    );
    const [row] = rows;
    if (row === undefined) throw new Error('insert into accounts returned no row');
    return toAccount(row);
  },

  async findByEmail(email: string): Promise<Account | undefined> {
    const { rows } = await db.query<AccountRow>(
      'select id, email, password_hash from accounts where email_normalized = $1',
      [normalizeEmail(email)],
    );
    return rows[0] === undefined ? undefined : toAccount(rows[0]);
  },
});

export type AccountsRepository = ReturnType<typeof createAccountsRepository>;
