import { ConfigError, parseConfig } from './config.js';
import { loadMigrations, migrate } from './db/migrations.js';
import { openDatabase } from './db/open-database.js';
import { migrationTimeouts } from './db/postgres.js';
import { createLogger } from './telemetry/logger.js';

const usage = 'usage: links migrate';

/** `links migrate`: applies pending migrations (safe to run concurrently); exit 0 when the schema is current. */
const runMigrate = async (): Promise<number> => {
  const config = parseConfig(process.env, 'migrate');
  const logger = createLogger(config.LOG_LEVEL);
  const db = await openDatabase(config, logger, migrationTimeouts);
  try {
    const applied = await migrate(db, await loadMigrations());
    process.stdout.write(
      applied.length === 0
        ? 'links: schema is current\n'
        : `links: applied migrations ${applied.join(', ')}\n`,
    );
    return 0;
  } finally {
    await db.close();
  }
};

const main = async (args: readonly string[]): Promise<number> => {
  if (args[0] === 'migrate' && args.length === 1) return runMigrate();
  process.stderr.write(`${usage}\n`);
  return 2;
};

try {
  process.exitCode = await main(process.argv.slice(2));
} catch (error) {
  const message = error instanceof ConfigError || error instanceof Error ? error.message : String(error);
  process.stderr.write(`links: ${message}\n`);
  process.exitCode = 1;
}
