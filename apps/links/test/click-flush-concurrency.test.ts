import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../src/db/database.js';
import { createPostgresDatabase } from '../src/db/postgres.js';
import { createLinksRepository } from '../src/links/links-repository.js';
import { createTestDatabase, type TestDatabase } from './helpers/postgres.js';
import { migrateDatabase } from './helpers/test-app.js';

const codes = Array.from({ length: 50 }, (_, i) => `cc-${i}`);
const replicas = 3;
const flushesPerReplica = 60;
const runMs = 5000;

/** A random subset of the codes in random order, as one replica's counts of a flush interval. */
const somePicks = (): string[] =>
  codes
    .map((code) => ({ code, key: Math.random() }))
    .sort((a, b) => a.key - b.key)
    .slice(0, 5 + Math.floor(Math.random() * 40))
    .map((pick) => pick.code);

/**
 * Review of issue 16, item 4: replicas flush overlapping codes at the same moment. An UPDATE that locks `links`
 * rows in whatever order its plan reads them deadlocks against another (40P01, 5 of 117 flushes with 3 writers);
 * locking in id order first cannot.
 */
describe('click flushes from several replicas at once', () => {
  let database: TestDatabase;
  let admin: Database;

  beforeAll(async () => {
    database = await createTestDatabase('clickflush');
    admin = createPostgresDatabase({ url: database.url, max: 1 });
    await migrateDatabase(admin);
    const { rows } = await admin.query<{ id: string }>(
      `insert into accounts (email, email_normalized, password_hash) values ('c@x', 'c@x', 'x') returning id`,
    );
    for (const code of codes) {
      await admin.query(`insert into links (code, url, account_id) values ($1, 'https://example.com', $2)`, [
        code,
        rows[0]?.id,
      ]);
    }
  });

  afterAll(async () => {
    await admin?.close();
    await database?.drop();
  });

  it('never deadlocks and counts every click once', async () => {
    const failures: string[] = [];
    let written = 0;
    const replica = async () => {
      const db = createPostgresDatabase({ url: database.url, max: 4 });
      const repository = createLinksRepository(db);
      const end = Date.now() + runMs;
      const writer = async () => {
        for (let i = 0; i < flushesPerReplica && Date.now() < end; i++) {
          const picks = somePicks();
          try {
            await repository.addClickBatches([
              { id: randomUUID(), counts: new Map(picks.map((code) => [code, 1])), total: picks.length },
            ]);
            written += picks.length;
          } catch (error) {
            const cause = (error as { cause?: { code?: string } }).cause;
            failures.push(cause?.code ?? String(error));
          }
        }
      };
      try {
        await writer();
      } finally {
        await db.close();
      }
    };
    await Promise.all(Array.from({ length: replicas }, replica));
    expect(written).toBeGreaterThan(0);

    expect(failures).toEqual([]);
    const { rows } = await admin.query<{ total: string }>(
      `select sum(clicks)::text as total from links where code like 'cc-%'`,
    );
    expect(Number(rows[0]?.total)).toBe(written);
  }, 60_000);
});
