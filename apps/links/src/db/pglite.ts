import { PGlite, protocol, type Transaction } from '@electric-sql/pglite';
import {
  type Database,
  type PreparedStatement,
  type Queryable,
  type ServerError,
  textOf,
  translateDatabaseError,
} from './database.js';

const isServerError = (error: unknown): error is ServerError =>
  error instanceof protocol.messages.DatabaseError;

const wrap = async <T>(operation: () => Promise<T>): Promise<T> => {
  try {
    return await operation();
  } catch (error) {
    throw translateDatabaseError(error, isServerError);
  }
};

const queryableOf = (target: PGlite | Transaction): Queryable => ({
  query: <Row>(statement: string | PreparedStatement, params?: readonly unknown[]) =>
    wrap(async () => {
      const result = await target.query<Row>(textOf(statement), params as unknown[] | undefined);
      return { rows: result.rows, rowCount: result.affectedRows ?? result.rows.length };
    }),
  execute: (script: string) =>
    wrap(async () => {
      await target.exec(script);
    }),
});

/** Embedded PostgreSQL (WASM) in `dataDir`, or in memory when dataDir is undefined. One session, serialized. */
export const createPgliteDatabase = async (dataDir: string | undefined): Promise<Database> => {
  const db = await PGlite.create(dataDir === undefined ? {} : { dataDir });
  return {
    kind: 'pglite',
    maxConnections: 1,
    ...queryableOf(db),
    transaction: (work) => db.transaction((tx) => work(queryableOf(tx))),
    // In-process: there is no network to freeze, so the one session is the fresh connection.
    withFreshConnection: (_budgetMs, work) => work(queryableOf(db)),
    stats: () => ({ total: 1, idle: 1, waiting: 0 }),
    close: () => db.close(),
  };
};
