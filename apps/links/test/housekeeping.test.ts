import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { purgeExpiredAuthState } from '../src/auth/housekeeping.js';
import type { Database, Queryable } from '../src/db/database.js';
import { createPostgresDatabase } from '../src/db/postgres.js';
import { createTestDatabase, type TestDatabase } from './helpers/postgres.js';
import { migrateDatabase } from './helpers/test-app.js';

/** The real database, recording how many rows each delete statement removed. */
const recordingDeletes = (db: Database) => {
  const deleted: number[] = [];
  const queryable: Queryable = {
    query: async <Row>(text: string, params?: readonly unknown[]) => {
      const result = await db.query<Row>(text, params);
      if (/^\s*(with|delete)/i.test(text) && /login_attempts/.test(text)) deleted.push(result.rowCount);
      return result;
    },
    execute: (script) => db.execute(script),
  };
  return { queryable, deleted };
};

/**
 * Review of issue 16, item 5: after a flood of failed logins, one unbounded delete of the stale counters could
 * outlast the 2 s statement timeout and never finish. Housekeeping deletes them in bounded batches, over an
 * index on the window start.
 */
describe('auth housekeeping after a flood', () => {
  let database: TestDatabase;
  let db: Database;

  beforeAll(async () => {
    database = await createTestDatabase('housekeeping');
    db = createPostgresDatabase({ url: database.url, max: 1 });
    await migrateDatabase(db);
    await db.query(
      `insert into login_attempts (key, failures, window_started_at)
       select 'flood:' || n, 5, now() - interval '2 days' from generate_series(1, 2500) as n`,
    );
    await db.query(`insert into login_attempts (key, failures, window_started_at) values ('live', 1, now())`);
  });

  afterAll(async () => {
    await db?.close();
    await database?.drop();
  });

  it('deletes every stale counter in batches of at most batchSize rows and keeps live ones', async () => {
    const { queryable, deleted } = recordingDeletes(db);
    const purged = await purgeExpiredAuthState(queryable, { batchSize: 1000 });

    expect(purged.attempts).toBe(2500);
    expect(deleted.filter((count) => count > 0)).toEqual([1000, 1000, 500]);
    const { rows } = await db.query<{ key: string }>('select key from login_attempts');
    expect(rows.map((row) => row.key)).toEqual(['live']);
  });
});
