import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { migrationsDir } from '../data-files.js';
import type { Database, Queryable } from './database.js';

export interface Migration {
  version: number;
  name: string;
  sql: string;
}

const fileName = /^(\d{3,})_([a-z0-9_]+)\.sql$/;

/** Pure: which files are migrations, in order; rejects duplicate numbers. */
export const parseMigrationFiles = (files: readonly { name: string; sql: string }[]): Migration[] => {
  const migrations = files.flatMap(({ name, sql }) => {
    const match = fileName.exec(name);
    return match?.[1] && match[2] ? [{ version: Number(match[1]), name: match[2], sql }] : [];
  });
  migrations.sort((a, b) => a.version - b.version);
  for (let i = 1; i < migrations.length; i++) {
    if (migrations[i]?.version === migrations[i - 1]?.version) {
      throw new Error(`two migrations share version ${migrations[i]?.version}`);
    }
  }
  return migrations;
};

export const loadMigrations = async (dir = migrationsDir): Promise<Migration[]> => {
  const names = (await readdir(dir)).filter((name) => name.endsWith('.sql'));
  const files = await Promise.all(
    names.map(async (name) => ({ name, sql: await readFile(join(dir, name), 'utf8') })),
  );
  return parseMigrationFiles(files);
};

/** The schema version this build needs: the highest bundled migration. */
export const requiredSchemaVersion = (migrations: readonly Migration[]): number =>
  migrations.at(-1)?.version ?? 0;

// Any fixed 64-bit key shared by every replica of this service.
const migrationLockKey = 7_311_402_015;

const ensureHistoryTable = (tx: Queryable) =>
  tx.execute(`create table if not exists schema_migrations (
    version integer primary key,
    name text not null,
    applied_at timestamptz not null default now()
  )`);

/** How long a migration's DDL may wait for a table lock before `links migrate` gives up. */
export const migrationLockTimeoutMs = 10_000;

/** A migration's DDL waited too long behind another session's lock; the message says how to find it. */
export class MigrationLockTimeoutError extends Error {
  override readonly name = 'MigrationLockTimeoutError';
  readonly code = 'MIGRATION_LOCK_TIMEOUT';

  constructor(migration: Migration, lockTimeoutMs: number, cause: unknown) {
    super(
      `migration ${migration.version} (${migration.name}) waited more than ${lockTimeoutMs} ms for a lock another session holds; nothing was applied. Find the session with \`select pid, state, xact_start, query from pg_stat_activity where pid in (select pid from pg_locks where granted and relation is not null)\`, end it (or wait for it), then run \`links migrate\` again`,
      { cause },
    );
  }
}

const isLockTimeout = (error: unknown): boolean =>
  typeof error === 'object' && error !== null && (error as { code?: unknown }).code === '55P03';

/**
 * Applies pending migrations in one transaction under a transaction-scoped advisory lock, so concurrent
 * runners serialize: the second waits, then finds nothing left to do. Returns the versions it applied.
 * The advisory wait has no bound (the runner ahead is itself bounded); once it holds the lock, each statement
 * waits at most `lockTimeoutMs` for a table lock, so a forgotten open transaction cannot hang a deploy.
 */
export const migrate = (
  db: Database,
  migrations: readonly Migration[],
  { lockTimeoutMs = migrationLockTimeoutMs }: { lockTimeoutMs?: number } = {},
): Promise<number[]> =>
  db.transaction(async (tx) => {
    await tx.query('select pg_advisory_xact_lock($1)', [migrationLockKey]);
    await tx.query(`select set_config('lock_timeout', $1, true)`, [`${lockTimeoutMs}ms`]);
    await ensureHistoryTable(tx);
    const { rows } = await tx.query<{ version: number }>('select version from schema_migrations');
    const applied = new Set(rows.map((row) => Number(row.version)));
    const pending = migrations.filter((migration) => !applied.has(migration.version));
    for (const migration of pending) {
      await tx.execute(migration.sql).catch((error: unknown) => {
        throw isLockTimeout(error) ? new MigrationLockTimeoutError(migration, lockTimeoutMs, error) : error;
      });
      await tx.query('insert into schema_migrations (version, name) values ($1, $2)', [
        migration.version,
        migration.name,
      ]);
    }
    return pending.map((migration) => migration.version);
  });

/** The highest applied version, 0 on an empty database. */
export const currentSchemaVersion = async (db: Queryable): Promise<number> => {
  const table = await db.query<{ exists: boolean }>(
    `select to_regclass('schema_migrations') is not null as exists`,
  );
  if (table.rows[0]?.exists !== true) return 0;
  const { rows } = await db.query<{ version: number | null }>(
    'select max(version) as version from schema_migrations',
  );
  return Number(rows[0]?.version ?? 0);
};

/**
 * Why a database at `current` cannot serve a build that needs `required`, with the command that fixes it; undefined
 * when it can. Said at start-up and by readiness, so a forgotten `links migrate` is named, not a 500 per page.
 */
export const schemaProblem = (current: number, required: number): string | undefined => {
  if (current >= required) return undefined;
  const state = current === 0 ? 'has no schema (no migration applied)' : `is at schema version ${current}`;
  return `the database ${state}; this build needs version ${required}. Apply the migrations with \`npx links migrate\` (in the image: \`node dist/cli.js migrate\`) against the same DATABASE_URL`;
};

/** Start-up refused: the database's schema is older than this build needs. */
export class SchemaNotCurrentError extends Error {
  override readonly name = 'SchemaNotCurrentError';
}
