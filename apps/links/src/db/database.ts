/**
 * A statement PostgreSQL parses and plans once per connection and then only executes (a named prepared
 * statement), for the reads every request makes. Each name stands for one text; a statement whose best plan
 * depends on which parameters are null is written as two statements, since a prepared one may be given a
 * generic plan.
 */
export interface PreparedStatement {
  readonly name: string;
  readonly text: string;
}

export const prepared = (name: string, text: string): PreparedStatement => ({ name, text });

/** The SQL of a statement, for a connection that runs it unprepared. */
export const textOf = (statement: string | PreparedStatement): string =>
  typeof statement === 'string' ? statement : statement.text;

/** What repositories need from PostgreSQL; implemented over a pg Pool and over embedded PGlite. */
export interface Queryable {
  query<Row>(
    statement: string | PreparedStatement,
    params?: readonly unknown[],
  ): Promise<{ rows: Row[]; rowCount: number }>;
  /** Runs a script of several statements (a migration file). */
  execute(script: string): Promise<void>;
}

export interface PoolStats {
  total: number;
  idle: number;
  waiting: number;
}

export interface Database extends Queryable {
  readonly kind: 'postgres' | 'pglite';
  readonly maxConnections: number;
  transaction<T>(work: (tx: Queryable) => Promise<T>): Promise<T>;
  /**
   * Runs `work` on a connection of its own, outside the pool, failing within about `budgetMs`: the last click
   * flush at shutdown must not queue behind pooled connections that a frozen database left stuck.
   */
  withFreshConnection<T>(budgetMs: number, work: (connection: Queryable) => Promise<T>): Promise<T>;
  stats(): PoolStats;
  close(): Promise<void>;
}

/** The database could not be reached or refused service; the request may succeed later. */
export class DatabaseUnavailableError extends Error {
  override readonly name = 'DatabaseUnavailableError';

  constructor(cause: unknown) {
    super(`database unavailable: ${cause instanceof Error ? cause.message : String(cause)}`, { cause });
  }
}

/** A unique constraint refused a row; `constraint` names which. */
export class UniqueViolationError extends Error {
  override readonly name = 'UniqueViolationError';

  constructor(
    readonly constraint: string,
    cause: unknown,
  ) {
    super(`unique constraint ${constraint} violated`, { cause });
  }
}

/** An error the PostgreSQL server itself sent: a SQLSTATE `code`, and the constraint for a violation. */
export interface ServerError {
  code: string;
  constraint?: string;
}

// SQLSTATE classes that mean "the server cannot serve you now", not "your statement is wrong":
// 08 connection exception, 53 insufficient resources, 57 operator intervention (shutdown, statement timeout).
const unavailableClasses = ['08', '53', '57'];

/**
 * Maps a driver error to the service's error values. `isServerError` is the driver's own test for an error the
 * server sent (its DatabaseError class): a Node error code such as `EPIPE` looks like a SQLSTATE but means the
 * connection broke. Anything the server did not send means no connection.
 */
export const translateDatabaseError = (
  error: unknown,
  isServerError: (error: unknown) => error is ServerError,
): Error => {
  if (error instanceof DatabaseUnavailableError || error instanceof UniqueViolationError) return error;
  if (!isServerError(error)) return new DatabaseUnavailableError(error);
  if (error.code === '23505') return new UniqueViolationError(error.constraint ?? 'unknown', error);
  if (unavailableClasses.includes(error.code.slice(0, 2))) return new DatabaseUnavailableError(error);
  return error instanceof Error ? error : new Error(String(error));
};
