import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { loadMigrations, migrate } from '../../src/db/migrations.js';
import { createPostgresDatabase } from '../../src/db/postgres.js';

export const postgresHost = '127.0.0.1';
export const postgresPort = 5432;
const adminUrl = `postgres://postgres@${postgresHost}:${postgresPort}/postgres`;

export interface TestDatabase {
  name: string;
  url: string;
  /** The URL of the same database through another host:port (a proxy). */
  urlVia(host: string, port: number): string;
  drop(): Promise<void>;
}

const admin = async <T>(work: (client: pg.Client) => Promise<T>): Promise<T> => {
  const client = new pg.Client({ connectionString: adminUrl });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
};

/** A fresh, uniquely named database on the machine's PostgreSQL; other suites run in parallel. */
export const createTestDatabase = async (label: string): Promise<TestDatabase> => {
  const name = `links_test_${label}_${randomBytes(4).toString('hex')}`;
  await admin((client) => client.query(`create database ${name}`));
  return {
    name,
    url: `postgres://postgres@${postgresHost}:${postgresPort}/${name}`,
    urlVia: (host, port) => `postgres://postgres@${host}:${port}/${name}`,
    drop: () =>
      admin((client) => client.query(`drop database if exists ${name} with (force)`)).then(() => undefined),
  };
};

/** A fresh database with every migration applied, for a spawned service that starts on it. */
export const createMigratedTestDatabase = async (label: string): Promise<TestDatabase> => {
  const database = await createTestDatabase(label);
  const db = createPostgresDatabase({ url: database.url, max: 1 });
  try {
    await migrate(db, await loadMigrations());
  } finally {
    await db.close();
  }
  return database;
};
