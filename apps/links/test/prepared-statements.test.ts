import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../src/db/database.js';
import { createPostgresDatabase } from '../src/db/postgres.js';
import { createLinksRepository } from '../src/links/links-repository.js';
import { createTestDatabase, type TestDatabase } from './helpers/postgres.js';
import { migrateDatabase } from './helpers/test-app.js';

/**
 * The hot reads are named prepared statements, held per connection by the server. A migration that changes the
 * type of a column one of them returns (as a rolling deploy runs migrations while the old replicas serve) makes
 * PostgreSQL refuse that statement on every connection that prepared it; the service must still answer.
 */
describe('prepared statements across a migration on the real PostgreSQL', () => {
  const poolMax = 3;
  let database: TestDatabase;
  let db: Database;
  let direct: Database;

  beforeAll(async () => {
    database = await createTestDatabase('prepared');
    db = createPostgresDatabase({ url: database.url, max: poolMax });
    direct = createPostgresDatabase({ url: database.url, max: 1 });
    await migrateDatabase(direct);
    const { rows } = await direct.query<{ id: string }>(
      `insert into accounts (email, email_normalized, password_hash) values ('prepared@example.com', 'prepared@example.com', 'x') returning id`,
    );
    await direct.query(
      `insert into links (account_id, code, url) values ($1, 'prep-1', 'https://example.com/')`,
      [rows[0]?.id],
    );
  });

  afterAll(async () => {
    await db?.close();
    await direct?.close();
    await database?.drop();
  });

  it('answers every read after a column it returns changed type, on each connection that had prepared it', async () => {
    const links = createLinksRepository(db);
    const findInTransaction = () => direct.transaction((tx) => createLinksRepository(tx).findUrl('prep-1'));
    // `direct` has one connection: a statement prepared in this transaction would be there after the migration.
    await expect(findInTransaction()).resolves.toBe('https://example.com/');
    // Every connection of the pool prepares the redirect's read.
    const warm = await Promise.all(Array.from({ length: poolMax }, () => links.findUrl('prep-1')));
    expect(warm).toEqual(Array(poolMax).fill('https://example.com/'));
    expect(db.stats().total).toBe(poolMax);

    await direct.execute('alter table links alter column url type varchar(4000)');

    const after = await Promise.all(Array.from({ length: poolMax + 1 }, () => links.findUrl('prep-1')));
    expect(after).toEqual(Array(poolMax + 1).fill('https://example.com/'));
    // A transaction's connection goes back to the pool without an error, so its statements are not prepared.
    await expect(findInTransaction()).resolves.toBe('https://example.com/');
  });
});
