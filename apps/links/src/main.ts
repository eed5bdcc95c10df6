import { type Config, ConfigError, parseConfig } from './config.js';
import { SchemaNotCurrentError } from './db/migrations.js';
import { devSessionSecret } from './dev-secret.js';
import { createLogger } from './telemetry/logger.js';
import { startTracing } from './telemetry/tracing.js';

/** A bad environment is one line on stderr and exit code 1, before anything starts. */
const loadConfig = (): Config => {
  try {
    return parseConfig(process.env);
  } catch (error) {
    process.stderr.write(`links: ${error instanceof ConfigError ? error.message : String(error)}\n`);
    process.exit(1);
  }
};

/**
 * EX_CONFIG (sysexits.h): the environment is not what the program needs. Probes see only HTTP answers, never an
 * exit code; 78 is kept apart from 1 for whoever reads the container's last state (`kubectl describe pod`:
 * Last State: Terminated, Exit Code) to tell an unmigrated schema from a crash.
 */
const schemaNotCurrentExitCode = 78;

const config = loadConfig();
if (config.NODE_ENV === 'development' && !process.env.SESSION_SECRET)
  config.SESSION_SECRET = devSessionSecret(config.DATA_DIR);
const logger = createLogger(config.LOG_LEVEL, undefined, config.OTEL_EXPORTER_OTLP_ENDPOINT !== undefined);
// Tracing patches http and pg as they load, so the service modules are imported only after it started.
const tracing = await startTracing(config.OTEL_EXPORTER_OTLP_ENDPOINT);
const { startService } = await import('./service.js');

try {
  const service = await startService(config, logger);
  const onSignal = (signal: NodeJS.Signals) => {
    // The sequence keeps its own deadline; this is the backstop should anything in it (a tracing export) hang.
    setTimeout(() => process.exit(1), config.SHUTDOWN_GRACE_MS + config.SHUTDOWN_TIMEOUT_MS + 1000).unref();
    service.shutdown(signal).then(
      async (flushed) => {
        await tracing?.shutdown();
        process.exit(flushed ? 0 : 1);
      },
      (error: unknown) => {
        logger.fatal({ err: error }, 'shutdown failed');
        process.exit(1);
      },
    );
  };
  process.on('SIGTERM', onSignal);
  process.on('SIGINT', onSignal);
} catch (error) {
  if (error instanceof SchemaNotCurrentError) {
    // The message is the fix; a stack trace would only bury it.
    logger.fatal(`start-up refused: ${error.message}`);
    process.exit(schemaNotCurrentExitCode);
  }
  logger.fatal({ err: error }, 'start-up failed');
  process.exit(1);
}
