import type { Logger } from 'pino';
import type { Config } from '../config.js';
import type { Database } from './database.js';
import { createPostgresDatabase, type DatabaseTimeouts, serviceTimeouts } from './postgres.js';

/** PostgreSQL when DATABASE_URL is set, else embedded PGlite in DATA_DIR; `timeouts` bound PostgreSQL only. */
export const openDatabase = (
  config: Pick<Config, 'DATABASE_URL' | 'DATABASE_POOL_MAX' | 'DATA_DIR'>,
  logger: Logger,
  timeouts: DatabaseTimeouts = serviceTimeouts,
): Promise<Database> =>
  config.DATABASE_URL === undefined
    ? // Loaded on demand: the embedded database's WASM is dead weight for a service on PostgreSQL.
      import('./pglite.js').then(({ createPgliteDatabase }) => createPgliteDatabase(config.DATA_DIR))
    : Promise.resolve(
        createPostgresDatabase({
          url: config.DATABASE_URL,
          max: config.DATABASE_POOL_MAX,
          timeouts,
          onIdleError: (error) => logger.warn({ err: error }, 'idle database connection lost'),
        }),
      );
