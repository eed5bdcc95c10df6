import { randomBytes } from 'node:crypto';
import { type Static, Type } from 'typebox';
import { Compile } from 'typebox/compile';

const address = '(\\d{1,3}(\\.\\d{1,3}){3}|[0-9A-Fa-f:]*:[0-9A-Fa-f:.]*)(/\\d{1,3})?';
/** Comma-separated IP addresses or CIDR ranges of the proxies to trust. */
const trustedAddressesPattern = `^${address}(\\s*,\\s*${address})*$`;

/** The service's environment, validated at start. Numbers arrive as strings and are converted before the check. */
export const ConfigSchema = Type.Object({
  NODE_ENV: Type.Union([Type.Literal('development'), Type.Literal('production'), Type.Literal('test')]),
  PORT: Type.Integer({ minimum: 0, maximum: 65535 }),
  OPS_PORT: Type.Integer({ minimum: 0, maximum: 65535 }),
  HOST: Type.String({ minLength: 1 }),
  DATABASE_URL: Type.Optional(Type.String({ pattern: '^postgres(ql)?://' })),
  DATA_DIR: Type.String({ minLength: 1 }),
  DATABASE_POOL_MAX: Type.Integer({ minimum: 1, maximum: 200 }),
  SESSION_SECRET: Type.String({ minLength: 32 }),
  LOG_LEVEL: Type.Union(
    ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'].map((level) => Type.Literal(level)),
  ),
  SHUTDOWN_GRACE_MS: Type.Integer({ minimum: 0, maximum: 300_000 }),
  SHUTDOWN_TIMEOUT_MS: Type.Integer({ minimum: 0, maximum: 600_000 }),
  CLICK_FLUSH_INTERVAL_MS: Type.Integer({ minimum: 10, maximum: 600_000 }),
  // `false`, how many proxies stand in front (the gateway is 1), or their addresses: never `true`, which
  // would let a client pick its own address with a leftmost X-Forwarded-For.
  TRUST_PROXY: Type.Union([
    Type.Literal(false),
    Type.Integer({ minimum: 1, maximum: 10 }),
    Type.String({ pattern: trustedAddressesPattern }),
  ]),
  GIT_SHA: Type.String(),
  BUILD_TIME: Type.String(),
  IMAGE_DIGEST: Type.String(),
  OTEL_EXPORTER_OTLP_ENDPOINT: Type.Optional(Type.String({ pattern: '^https?://' })),
  FAULT_INJECTION: Type.Union([Type.Literal('enabled'), Type.Literal('disabled')]),
  FAULT_ERROR_RATIO: Type.Number({ minimum: 0, maximum: 1 }),
});

export type Config = Static<typeof ConfigSchema>;

const checker = Compile(ConfigSchema);

const defaults: Record<string, string> = {
  NODE_ENV: 'development',
  PORT: '8080',
  OPS_PORT: '9464',
  // A dev server answers this machine only; the image sets HOST=0.0.0.0, Kubernetes' ConfigMap too.
  HOST: '127.0.0.1',
  DATA_DIR: './.data',
  DATABASE_POOL_MAX: '10',
  LOG_LEVEL: 'info',
  SHUTDOWN_GRACE_MS: '5000',
  SHUTDOWN_TIMEOUT_MS: '20000',
  CLICK_FLUSH_INTERVAL_MS: '1000',
  TRUST_PROXY: 'false',
  GIT_SHA: 'unknown',
  BUILD_TIME: 'unknown',
  IMAGE_DIGEST: 'unknown',
  FAULT_INJECTION: 'disabled',
  FAULT_ERROR_RATIO: '0',
};

const integerKeys = new Set([
  'PORT',
  'OPS_PORT',
  'DATABASE_POOL_MAX',
  'SHUTDOWN_GRACE_MS',
  'SHUTDOWN_TIMEOUT_MS',
  'CLICK_FLUSH_INTERVAL_MS',
]);

export class ConfigError extends Error {
  override readonly name = 'ConfigError';
}

const convert = (key: string, raw: string): unknown => {
  if (integerKeys.has(key)) return /^\d+$/.test(raw) ? Number(raw) : raw;
  if (key === 'FAULT_ERROR_RATIO')
    return raw.trim() !== '' && Number.isFinite(Number(raw)) ? Number(raw) : raw;
  if (key === 'TRUST_PROXY') return raw === 'false' ? false : /^\d+$/.test(raw) ? Number(raw) : raw;
  return raw;
};

const describe = (key: string, value: unknown, message: string): string => {
  const secret = key === 'SESSION_SECRET' || key === 'DATABASE_URL';
  const shown = secret ? '(value hidden)' : JSON.stringify(value);
  return `invalid configuration: ${key} ${message}, got ${shown}`;
};

/**
 * What the process is started for. `migrate` needs only the database: the PreSync migration Job gets no session
 * secret, so in production mode it is required only to serve.
 */
export type ConfigPurpose = 'serve' | 'migrate';

/** Reads the environment into a Config; throws one ConfigError naming the first bad variable. */
export const parseConfig = (
  env: Readonly<Record<string, string | undefined>>,
  purpose: ConfigPurpose = 'serve',
): Config => {
  const input: Record<string, unknown> = {};
  for (const key of Object.keys(ConfigSchema.properties)) {
    const raw = env[key] === '' ? undefined : (env[key] ?? defaults[key]);
    if (raw !== undefined) input[key] = convert(key, raw);
  }
  if (input.TRUST_PROXY === 'true') {
    throw new ConfigError(
      'invalid configuration: TRUST_PROXY=true would trust every X-Forwarded-For hop, so a client could choose its own address; set the number of proxies in front (1 behind the gateway) or their addresses/CIDRs',
    );
  }
  if (input.NODE_ENV === 'production') {
    if (input.SESSION_SECRET === undefined && purpose === 'serve')
      throw new ConfigError('invalid configuration: SESSION_SECRET is required when NODE_ENV=production');
    if (input.DATABASE_URL === undefined)
      throw new ConfigError('invalid configuration: DATABASE_URL is required when NODE_ENV=production');
  }
  // Outside production a per-process secret is enough to start; in development main.ts replaces it with one kept in
  // DATA_DIR, so a restart does not turn every open form into a 403.
  input.SESSION_SECRET ??= randomBytes(32).toString('base64url');
  if (!checker.Check(input)) {
    const [first] = checker.Errors(input);
    const key = first?.instancePath.slice(1) ?? '';
    throw new ConfigError(describe(key, input[key], first?.message ?? 'is invalid'));
  }
  if (input.DATABASE_URL !== undefined) assertDatabaseUrl(input.DATABASE_URL);
  return input;
};

const assertDatabaseUrl = (value: string): void => {
  try {
    const url = new URL(value);
    if (url.hostname === '') throw new Error('no host');
  } catch {
    throw new ConfigError(
      'invalid configuration: DATABASE_URL is not a valid postgres:// URL (value hidden)',
    );
  }
};
