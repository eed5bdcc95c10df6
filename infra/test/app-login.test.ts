import { execFile } from 'node:child_process';
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';

const run = promisify(execFile);
const APP_LOGIN_SQL = fileURLToPath(new URL('../database/app-login.sql', import.meta.url));
const MIGRATIONS = fileURLToPath(new URL('../../apps/links/migrations/', import.meta.url));
const LOGINS = ['links_app_blue', 'links_app_green'] as const;
const MASTER = 'links_test_master';
const ROLES = [...LOGINS, 'links_owner', MASTER];

/**
 * The real PostgreSQL of this machine (127.0.0.1:5432, trust). The superuser `postgres` only makes and removes the
 * test database and roles; the file runs as MASTER, which is what RDS's master user is: not a superuser, but
 * CREATEROLE and CREATEDB and the owner of the database RDS created (RDS User Guide, "Master user account
 * privileges"). PostgreSQL 16 narrowed CREATEROLE further (ADMIN on the roles one made); this server is 15.
 */
const psql = (user: string, database: string, ...args: string[]) =>
  run(
    'psql',
    ['-h', '127.0.0.1', '-U', user, '-d', database, '-X', '-q', '-At', '-v', 'ON_ERROR_STOP=1', ...args],
    {
      timeout: 30_000,
    },
  );

const postgresAvailable = await psql('postgres', 'test', '-c', 'select 1')
  .then(() => true)
  .catch(() => false);

const failureOf = (promise: Promise<unknown>): Promise<string> =>
  promise.then(
    () => 'succeeded',
    (error: { stderr?: string }) => error.stderr ?? String(error),
  );

const dropRoles = async () => {
  for (const role of ROLES) await psql('postgres', 'test', '-c', `drop role if exists ${role}`);
};

/**
 * Applies `sql` as the master would, runs the service's migrations as the blue login, then checks what the issue asks
 * of the logins: the other login can change what the first created, and neither can reach beyond the schema.
 */
const DATABASE_PREFIX = 'runway_app_login_';

/**
 * The roles are cluster-wide, so a run killed half-way (its database still granting to them) would make every later
 * run fail at `drop role`: drop every database an earlier run left before the roles.
 */
const dropLeftovers = async () => {
  const { stdout } = await psql(
    'postgres',
    'test',
    '-c',
    `select datname from pg_database where datname like '${DATABASE_PREFIX}%'`,
  );
  for (const name of stdout.split('\n').filter(Boolean))
    await psql('postgres', 'test', '-c', `drop database if exists ${name} with (force)`);
  await dropRoles();
};

const problemsWith = async (sql: string): Promise<string[]> => {
  const database = `${DATABASE_PREFIX}${process.pid}`;
  await dropLeftovers();
  await psql('postgres', 'test', '-c', `create role ${MASTER} login createrole createdb nosuperuser`);
  await psql('postgres', 'test', '-c', `create database ${database} owner ${MASTER}`);
  const problems: string[] = [];
  try {
    await psql(MASTER, database, '-c', sql);
    const migrations = (await readdir(MIGRATIONS)).filter((name) => name.endsWith('.sql')).sort();
    for (const name of migrations) await psql('links_app_blue', database, '-f', join(MIGRATIONS, name));

    const owners = (
      await psql(
        'links_app_blue',
        database,
        '-c',
        "select distinct tableowner from pg_tables where schemaname = 'links'",
      )
    ).stdout.trim();
    if (owners !== 'links_owner') problems.push(`tables are owned by ${owners || 'nobody (none in links)'}`);

    const greenAlters = await failureOf(
      psql('links_app_green', database, '-c', 'alter table links add column rotation_check integer'),
    );
    if (greenAlters !== 'succeeded')
      problems.push(`green cannot migrate what blue created: ${greenAlters.trim()}`);

    for (const login of LOGINS) {
      for (const statement of [
        `create table public.${login}_escape (id integer)`,
        `create schema ${login}_escape`,
        `create role ${login}_escape`,
        `create database ${login}_escape`,
      ]) {
        const outcome = await failureOf(psql(login, database, '-c', statement));
        if (outcome === 'succeeded') problems.push(`${login} may ${statement}`);
      }
    }
  } finally {
    await psql('postgres', 'test', '-c', `drop database if exists ${database}`);
    await dropRoles();
  }
  return problems;
};

describe.skipIf(!postgresAvailable)(
  'infra/database/app-login.sql on PostgreSQL (skipped: no PostgreSQL)',
  () => {
    it('gives two logins the schema links through links_owner, and nothing beyond it', async () => {
      expect(await problemsWith(await readFile(APP_LOGIN_SQL, 'utf8'))).toEqual([]);
    });

    it('runs the file as a master that is no superuser, as on RDS', async () => {
      const sql = `${await readFile(APP_LOGIN_SQL, 'utf8')}\nalter role links_owner superuser;\n`;
      await expect(problemsWith(sql)).rejects.toMatchObject({
        stderr: expect.stringContaining('must be superuser'),
      });
    });

    it('catches logins that create objects as themselves: the next rotation could not migrate', async () => {
      const sql = (await readFile(APP_LOGIN_SQL, 'utf8')).replace(
        /^alter role \w+ set role = 'links_owner';$/gm,
        '',
      );
      expect(await problemsWith(sql)).toEqual([
        'tables are owned by links_app_blue',
        'green cannot migrate what blue created: ERROR:  must be owner of table links',
      ]);
    });

    it('catches logins granted more than their schema', async () => {
      const sql = `${await readFile(APP_LOGIN_SQL, 'utf8')}\ngrant create on schema public to links_owner;\n`;
      expect(await problemsWith(sql)).toEqual([
        'links_app_blue may create table public.links_app_blue_escape (id integer)',
        'links_app_green may create table public.links_app_green_escape (id integer)',
      ]);
    });
  },
);
