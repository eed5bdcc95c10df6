import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  currentSchemaVersion,
  loadMigrations,
  type Migration,
  migrate,
  parseMigrationFiles,
  requiredSchemaVersion,
} from '../src/db/migrations.js';
import { createPostgresDatabase } from '../src/db/postgres.js';
import { createReadiness } from '../src/ops/readiness.js';
import { createTestDatabase, type TestDatabase } from './helpers/postgres.js';
import { spawnMain, startMain } from './helpers/spawn-service.js';

describe('parseMigrationFiles', () => {
  it('orders numbered files, ignores others, and refuses duplicate versions', () => {
    const parsed = parseMigrationFiles([
      { name: '010_b.sql', sql: 'b' },
      { name: '002_a.sql', sql: 'a' },
      { name: 'README.md', sql: '' },
      { name: '3_short.sql', sql: '' },
    ]);
    expect(parsed.map((m) => [m.version, m.name])).toEqual([
      [2, 'a'],
      [10, 'b'],
    ]);
    expect(() =>
      parseMigrationFiles([
        { name: '001_a.sql', sql: '' },
        { name: '001_b.sql', sql: '' },
      ]),
    ).toThrow(/share version 1/);
  });

  it('finds the bundled migrations next to the module', async () => {
    const migrations = await loadMigrations();
    expect(migrations.length).toBeGreaterThanOrEqual(2);
    expect(requiredSchemaVersion(migrations)).toBe(migrations.at(-1)?.version);
  });
});

describe('migrate on PostgreSQL', () => {
  let database: TestDatabase;

  beforeAll(async () => {
    database = await createTestDatabase('migrate');
  });

  afterAll(async () => {
    await database?.drop();
  });

  it('applies each migration exactly once when two pools migrate at the same time', async () => {
    // A slow first migration widens the window in which the second runner would interleave without the lock.
    const migrations: Migration[] = [
      { version: 1, name: 'slow', sql: 'select pg_sleep(0.3); create table counter (n integer not null);' },
      { version: 2, name: 'insert', sql: 'insert into counter values (1);' },
    ];
    const a = createPostgresDatabase({ url: database.url, max: 2 });
    const b = createPostgresDatabase({ url: database.url, max: 2 });
    try {
      const [appliedA, appliedB] = await Promise.all([migrate(a, migrations), migrate(b, migrations)]);
      expect([appliedA, appliedB].sort((x, y) => y.length - x.length)).toEqual([[1, 2], []]);
      const { rows } = await a.query<{ n: number }>('select count(*)::int as n from counter');
      expect(rows[0]?.n).toBe(1);
      const history = await a.query<{ version: number }>(
        'select version from schema_migrations order by version',
      );
      expect(history.rows.map((row) => row.version)).toEqual([1, 2]);
      expect(await migrate(a, migrations)).toEqual([]);
    } finally {
      await a.close();
      await b.close();
    }
  });

  it('rolls a failing migration back entirely and reports the error', async () => {
    const other = await createTestDatabase('migfail');
    const db = createPostgresDatabase({ url: other.url, max: 1 });
    try {
      const broken: Migration[] = [
        { version: 1, name: 'ok', sql: 'create table t (id int);' },
        { version: 2, name: 'broken', sql: 'alter table missing add column x int;' },
      ];
      await expect(migrate(db, broken)).rejects.toThrow(/missing/);
      expect(await currentSchemaVersion(db)).toBe(0);
    } finally {
      await db.close();
      await other.drop();
    }
  });

  it('keeps readiness failing while the schema is older than the build requires', async () => {
    const other = await createTestDatabase('ready');
    const db = createPostgresDatabase({ url: other.url, max: 1 });
    try {
      const migrations = await loadMigrations();
      const required = requiredSchemaVersion(migrations);
      const readiness = createReadiness(db, required);
      expect(await readiness.check()).toMatchObject({
        ready: false,
        reason: expect.stringMatching(/has no schema .*npx links migrate/),
      });
      await migrate(db, migrations.slice(0, -1));
      expect(await readiness.check()).toMatchObject({
        ready: false,
        reason: expect.stringContaining(
          `at schema version ${required - 1}; this build needs version ${required}`,
        ),
      });
      await migrate(db, migrations);
      expect(await readiness.check()).toEqual({ ready: true });
      readiness.startDraining();
      expect(await readiness.check()).toEqual({ ready: false, reason: 'draining' });
    } finally {
      await db.close();
      await other.drop();
    }
  });
});

describe('start-up on PostgreSQL with a forgotten `links migrate`', () => {
  const serve = (url: string) => ({
    NODE_ENV: 'production',
    DATABASE_URL: url,
    SESSION_SECRET: randomBytes(32).toString('hex'),
    LOG_LEVEL: 'info',
  });

  it('refuses to start, names the missing schema and the command that applies it, exit code 78', async () => {
    const empty = await createTestDatabase('nomigrate');
    try {
      const spawned = spawnMain(serve(empty.url));
      expect(await spawned.exited).toBe(78);
      const lines = spawned
        .stdout()
        .split('\n')
        .filter((line) => line.startsWith('{'));
      const fatal = lines.map((line) => JSON.parse(line) as { level: string; msg: string }).at(-1);
      expect(fatal?.level).toBe('fatal');
      expect(fatal?.msg).toMatch(/has no schema .*this build needs version \d+.*`npx links migrate`/);
      expect(spawned.stdout()).not.toContain('links listening');
    } finally {
      await empty.drop();
    }
  });

  it('starts once the migrations are applied', async () => {
    const fresh = await createTestDatabase('migrated');
    const db = createPostgresDatabase({ url: fresh.url, max: 1 });
    try {
      await migrate(db, await loadMigrations());
      const service = await startMain(serve(fresh.url));
      expect((await fetch(service.url('/readyz'))).status).toBe(200);
      service.child.kill('SIGTERM');
      expect(await service.exited).toBe(0);
    } finally {
      await db.close();
      await fresh.drop();
    }
  });
});
