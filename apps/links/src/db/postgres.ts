import { createRequire } from 'node:module';
import type pg from 'pg';
import { type Database, type Queryable, translateDatabaseError } from './database.js';

// Loaded through require so the OpenTelemetry pg instrumentation, which hooks require, sees it.
const { Pool } = createRequire(import.meta.url)('pg') as typeof pg;

export interface PostgresOptions {
  url: string;
  max: number;
  /** Fails a query that waits this long for a connection, instead of queueing forever while the DB is down. */
  connectionTimeoutMs?: number;
  statementTimeoutMs?: number;
  onIdleError?: (error: Error) => void;
}

const wrap = async <T>(operation: () => Promise<T>): Promise<T> => {
  try {
    return await operation();
  } catch (error) {
    throw translateDatabaseError(error);
  }
};

const queryableOf = (client: pg.Pool | pg.PoolClient): Queryable => ({
  query: <Row>(text: string, params?: readonly unknown[]) =>
    wrap(async () => {
      const result = await client.query(text, params as unknown[] | undefined);
      return { rows: result.rows as Row[], rowCount: result.rowCount ?? 0 };
    }),
  execute: (script: string) =>
    wrap(async () => {
      await client.query(script);
    }),
});

export const createPostgresDatabase = (options: PostgresOptions): Database => {
  const pool = new Pool({
    connectionString: options.url,
    max: options.max,
    connectionTimeoutMillis: options.connectionTimeoutMs ?? 2000,
    statement_timeout: options.statementTimeoutMs ?? 5000,
    idleTimeoutMillis: 30_000,
    application_name: 'links',
  });
  // An idle client whose server went away emits here; without a listener the process would crash.
  pool.on('error', (error) => options.onIdleError?.(error));
  return {
    kind: 'postgres',
    maxConnections: options.max,
    ...queryableOf(pool),
    transaction: async (work) => {
      const client = await wrap(() => pool.connect());
      try {
        await wrap(() => client.query('begin'));
        const result = await work(queryableOf(client));
        await wrap(() => client.query('commit'));
        client.release();
        return result;
      } catch (error) {
        await client.query('rollback').then(
          () => client.release(),
          (rollbackError: Error) => client.release(rollbackError),
        );
        throw error;
      }
    },
    stats: () => ({ total: pool.totalCount, idle: pool.idleCount, waiting: pool.waitingCount }),
    close: () => pool.end(),
  };
};
