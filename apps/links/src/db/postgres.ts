import { createRequire } from 'node:module';
import type pg from 'pg';
import {
  type Database,
  DatabaseUnavailableError,
  type PreparedStatement,
  type Queryable,
  type ServerError,
  textOf,
  translateDatabaseError,
} from './database.js';

// Loaded through require so the OpenTelemetry pg instrumentation, which hooks require, sees it.
const pgModule = createRequire(import.meta.url)('pg') as typeof pg;

/**
 * How long the service lets PostgreSQL take. The server cancels a statement at `statementMs` (an answer, error
 * 57014); the client gives up at `queryMs` only when no answer comes at all (a frozen connection), and then the
 * connection is destroyed. `idleInTransactionMs` makes the server end a session whose client vanished mid
 * transaction, so its row locks cannot block later writes for longer than that.
 */
export interface DatabaseTimeouts {
  connectMs: number;
  statementMs: number;
  queryMs: number;
  idleInTransactionMs: number;
}

/**
 * The service's bounds: every request and flush either answers or fails within about 3 s, so a black-holed
 * database costs at most that much after it returns (issue 16, items 1–3).
 */
export const serviceTimeouts: DatabaseTimeouts = {
  connectMs: 2000,
  statementMs: 2000,
  queryMs: 3000,
  idleInTransactionMs: 5000,
};

/**
 * `links migrate`: a migration may run long or wait on another replica's advisory lock; 0 means no bound. A
 * runner that vanished mid-transaction still frees its locks within a minute; waits for table locks are bounded
 * by `lock_timeout` inside `migrate` (db/migrations.ts).
 */
export const migrationTimeouts: DatabaseTimeouts = {
  connectMs: 10_000,
  statementMs: 0,
  queryMs: 0,
  idleInTransactionMs: 60_000,
};

export interface PostgresOptions {
  url: string;
  max: number;
  timeouts?: Partial<DatabaseTimeouts>;
  onIdleError?: (error: Error) => void;
}

/**
 * What each pg 8.23.1 setting does to a stuck client (node_modules/pg/lib/client.js, pg-pool 3.14.0 index.js):
 * `query_timeout` rejects the query but leaves it as the client's active query; pg-pool's `query` then releases
 * the client with that error, `_release` removes it, and `Client.end()` with an active query destroys the socket.
 * `connectionTimeoutMillis` bounds both the TCP + startup handshake and the wait for a free pooled client.
 * `keepAlive` lets the kernel find a peer that vanished (a real partition), which a freeze on loopback cannot show.
 * `statement_timeout` and `idle_in_transaction_session_timeout` are startup parameters the server enforces.
 */
const clientConfig = (url: string, timeouts: DatabaseTimeouts): pg.ClientConfig => ({
  connectionString: url,
  connectionTimeoutMillis: timeouts.connectMs,
  ...(timeouts.statementMs > 0 ? { statement_timeout: timeouts.statementMs } : {}),
  ...(timeouts.queryMs > 0 ? { query_timeout: timeouts.queryMs } : {}),
  ...(timeouts.idleInTransactionMs > 0
    ? { idle_in_transaction_session_timeout: timeouts.idleInTransactionMs }
    : {}),
  keepAlive: true,
  keepAliveInitialDelayMillis: 10_000,
  application_name: 'links',
});

/** An error PostgreSQL sent (pg's DatabaseError), not one of Node's socket errors such as `EPIPE`. */
const isServerError = (error: unknown): error is ServerError => error instanceof pgModule.DatabaseError;

/** pg's errors as the service's error values (db/database.ts). */
export const translatePostgresError = (error: unknown): Error => translateDatabaseError(error, isServerError);

const wrap = async <T>(operation: () => Promise<T>): Promise<T> => {
  try {
    return await operation();
  } catch (error) {
    throw translatePostgresError(error);
  }
};

const run = async <Row>(
  client: pg.Pool | pg.ClientBase,
  statement: string | PreparedStatement,
  params: readonly unknown[] | undefined,
) => {
  const values = params as unknown[] | undefined;
  const result = await (typeof statement === 'string'
    ? client.query(statement, values)
    : client.query({ name: statement.name, text: statement.text, values }));
  return { rows: result.rows as Row[], rowCount: result.rowCount ?? 0 };
};

/**
 * A connection's prepared statement that no longer fits: a migration changed the type of a column it returns
 * (0A000, "cached plan must not change result type": PostgreSQL's plancache.c refuses to run it again on that
 * connection) or the server no longer has it (26000). Told by code alone, as the message depends on the server's
 * `lc_messages`; the prepared statements are reads, which raise 0A000 for nothing else.
 */
const isStalePreparedStatement = (error: unknown): boolean =>
  error instanceof pgModule.DatabaseError && (error.code === '0A000' || error.code === '26000');

/**
 * The pool's queries. A prepared statement that went stale is asked again: pg-pool has already discarded the
 * connection that failed (pg-pool 3.14.0 `query` releases a client with its error, and `_release` removes it),
 * so the next one prepares it afresh. Each connection a migration left stale fails once, so the attempts are
 * bounded by the pool's size. Only reads are prepared, so asking again changes nothing.
 */
const poolQueryable = (pool: pg.Pool, maxConnections: number): Queryable => ({
  query: <Row>(statement: string | PreparedStatement, params?: readonly unknown[]) =>
    wrap(async () => {
      for (let attempt = 0; ; attempt++) {
        try {
          return await run<Row>(pool, statement, params);
        } catch (error) {
          if (typeof statement === 'string' || attempt >= maxConnections || !isStalePreparedStatement(error))
            throw error;
        }
      }
    }),
  execute: (script: string) =>
    wrap(async () => {
      await pool.query(script);
    }),
});

/**
 * A checked-out connection's queries, sent unprepared: such a connection goes back to the pool without an error
 * after a rollback, so a statement gone stale on it would stay stale there.
 */
const clientQueryable = (client: pg.ClientBase): Queryable => ({
  query: <Row>(statement: string | PreparedStatement, params?: readonly unknown[]) =>
    wrap(() => run<Row>(client, textOf(statement), params)),
  execute: (script: string) =>
    wrap(async () => {
      await client.query(script);
    }),
});

/** Unavailable without a server error: the server never answered (a client-side timeout, a reset), not a refusal. */
const isServerSilence = (error: unknown): boolean =>
  error instanceof DatabaseUnavailableError && !isServerError(error.cause);

export const createPostgresDatabase = (options: PostgresOptions): Database => {
  const timeouts = { ...serviceTimeouts, ...options.timeouts };
  const pool = new pgModule.Pool({
    ...clientConfig(options.url, timeouts),
    max: options.max,
    idleTimeoutMillis: 30_000,
  });
  // An idle client whose server went away emits here; without a listener the process would crash.
  pool.on('error', (error) => options.onIdleError?.(error));
  return {
    kind: 'postgres',
    maxConnections: options.max,
    ...poolQueryable(pool, options.max),
    transaction: async (work) => {
      const client = await wrap(() => pool.connect());
      try {
        await wrap(() => client.query('begin'));
        const result = await work(clientQueryable(client));
        await wrap(() => client.query('commit'));
        client.release();
        return result;
      } catch (error) {
        if (isServerSilence(error)) {
          // No answer from the server: a rollback would queue behind the stuck statement. Destroying the
          // connection ends the transaction (the server rolls back when it notices, or at idleInTransactionMs).
          client.release(error instanceof Error ? error : new Error(String(error)));
          throw error;
        }
        await client.query('rollback').then(
          () => client.release(),
          (rollbackError: Error) => client.release(rollbackError),
        );
        throw error;
      }
    },
    withFreshConnection: async (budgetMs, work) => {
      const bound = Math.max(1, Math.floor(budgetMs));
      const client = new pgModule.Client(
        clientConfig(options.url, {
          // A connect that gets no answer fails at the service's bound, leaving the rest of the budget for a retry.
          connectMs: Math.min(bound, timeouts.connectMs),
          statementMs: bound,
          queryMs: bound,
          idleInTransactionMs: timeouts.idleInTransactionMs,
        }),
      );
      // A failure after connecting is reported by the query's rejection; this keeps it from crashing the process.
      client.on('error', () => undefined);
      let timer: NodeJS.Timeout | undefined;
      const expired = new Promise<never>((_resolve, reject) => {
        timer = setTimeout(
          () => reject(new DatabaseUnavailableError(new Error(`no answer within ${bound} ms`))),
          bound,
        );
      });
      try {
        // One bound for connect and work together; end() below destroys a socket still waiting on a reply.
        return await Promise.race([
          wrap(() => client.connect()).then(() => work(clientQueryable(client))),
          expired,
        ]);
      } finally {
        clearTimeout(timer);
        client.end().catch(() => undefined);
      }
    },
    stats: () => ({ total: pool.totalCount, idle: pool.idleCount, waiting: pool.waitingCount }),
    close: () => pool.end(),
  };
};
