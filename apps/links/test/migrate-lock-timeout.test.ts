import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadMigrations, migrate } from '../src/db/migrations.js';
import { createPostgresDatabase, migrationTimeouts } from '../src/db/postgres.js';
import { createTestDatabase, type TestDatabase } from './helpers/postgres.js';

/**
 * Review of issue 16, item 6: `links migrate` had no bounds, so a migration whose DDL waited behind a lock held
 * by a forgotten session (an open transaction in psql) hung the PreSync Job. It now gives up with a message
 * that names the migration and what to look for.
 */
describe('links migrate behind a held lock', () => {
  let database: TestDatabase;

  beforeAll(async () => {
    database = await createTestDatabase('migratelock');
  });

  afterAll(async () => {
    await database?.drop();
  });

  it('fails within the lock timeout with a clear message instead of hanging', async () => {
    const all = await loadMigrations();
    const first = createPostgresDatabase({ url: database.url, max: 1, timeouts: migrationTimeouts });
    await migrate(first, all.slice(0, 1));
    await first.close();

    // The forgotten session: nothing ends its transaction until the test does.
    const holder = createPostgresDatabase({
      url: database.url,
      max: 1,
      timeouts: { idleInTransactionMs: 0, queryMs: 0 },
    });
    const runner = createPostgresDatabase({ url: database.url, max: 1, timeouts: migrationTimeouts });
    let releaseHolder = () => undefined as unknown;
    const held = new Promise<void>((resolve) => (releaseHolder = resolve));
    let locked = () => undefined as unknown;
    const lockTaken = new Promise<void>((resolve) => (locked = resolve));
    const holding = holder.transaction(async (tx) => {
      await tx.query('lock table accounts in access exclusive mode');
      locked();
      await held;
    });
    try {
      await lockTaken;
      const started = Date.now();
      const failure = await migrate(runner, all, { lockTimeoutMs: 500 }).catch((error: unknown) => error);
      expect(Date.now() - started).toBeLessThan(5000);
      expect(failure).toBeInstanceOf(Error);
      expect((failure as Error).message).toMatch(/migration 2 \(links\) waited more than 500 ms for a lock/);
      expect((failure as Error).message).toMatch(/pg_locks/);
    } finally {
      releaseHolder();
      await holding;
      await holder.close();
      await runner.close();
    }
  }, 30_000);
});
