import { describe, expect, it } from 'vitest';
import { ConfigError, parseConfig } from '../src/config.js';
import { spawnMain } from './helpers/spawn-service.js';

const secret = 's'.repeat(40);

describe('parseConfig', () => {
  it('applies the documented defaults', () => {
    const config = parseConfig({});
    expect(config).toMatchObject({
      NODE_ENV: 'development',
      PORT: 8080,
      OPS_PORT: 9464,
      HOST: '127.0.0.1',
      DATA_DIR: './.data',
      DATABASE_POOL_MAX: 10,
      LOG_LEVEL: 'info',
      SHUTDOWN_GRACE_MS: 5000,
      SHUTDOWN_TIMEOUT_MS: 20000,
      CLICK_FLUSH_INTERVAL_MS: 1000,
      TRUST_PROXY: false,
      GIT_SHA: 'unknown',
      FAULT_INJECTION: 'disabled',
      FAULT_ERROR_RATIO: 0,
    });
    expect(config.DATABASE_URL).toBeUndefined();
    expect(config.SESSION_SECRET.length).toBeGreaterThanOrEqual(32);
  });

  it.each([
    [{ PORT: '70000' }, /PORT must be <= 65535/],
    [{ PORT: 'eighty' }, /PORT must be integer/],
    [{ OPS_PORT: '-1' }, /OPS_PORT/],
    [{ DATABASE_URL: 'mysql://db/x' }, /DATABASE_URL must match/],
    [{ DATABASE_URL: 'postgres://' }, /DATABASE_URL is not a valid/],
    [{ NODE_ENV: 'production', DATABASE_URL: 'postgres://db/x' }, /SESSION_SECRET is required/],
    [{ NODE_ENV: 'production', SESSION_SECRET: secret }, /DATABASE_URL is required/],
    [{ SESSION_SECRET: 'short' }, /SESSION_SECRET .*32.*value hidden/],
    [{ LOG_LEVEL: 'loud' }, /LOG_LEVEL/],
    [{ TRUST_PROXY: 'yes' }, /TRUST_PROXY/],
    [{ TRUST_PROXY: 'true' }, /TRUST_PROXY=true would trust every X-Forwarded-For hop/],
    [{ TRUST_PROXY: '0' }, /TRUST_PROXY/],
    [{ TRUST_PROXY: '10.0.0.0/8; 1.2.3.4' }, /TRUST_PROXY/],
    [{ FAULT_ERROR_RATIO: '1.5' }, /FAULT_ERROR_RATIO must be <= 1/],
    [{ FAULT_INJECTION: 'on' }, /FAULT_INJECTION/],
  ])('refuses %o', (env, message) => {
    expect(() => parseConfig(env)).toThrow(ConfigError);
    expect(() => parseConfig(env)).toThrow(message);
  });

  it('takes TRUST_PROXY as a hop count or a list of proxy addresses and CIDR ranges', () => {
    expect(parseConfig({ TRUST_PROXY: '1' }).TRUST_PROXY).toBe(1);
    expect(parseConfig({ TRUST_PROXY: '10.0.0.0/8, fd00::/8,127.0.0.1' }).TRUST_PROXY).toBe(
      '10.0.0.0/8, fd00::/8,127.0.0.1',
    );
  });

  it('lets migrations run in production mode without the session secret, which only serving needs', () => {
    const env = { NODE_ENV: 'production', DATABASE_URL: 'postgres://db/x' };
    expect(parseConfig(env, 'migrate').DATABASE_URL).toBe('postgres://db/x');
    expect(() => parseConfig({ NODE_ENV: 'production' }, 'migrate')).toThrow(/DATABASE_URL is required/);
  });

  it('never echoes a secret in its message', () => {
    const url = `postgres://user:${'hunter'}${'2'.repeat(3)}@`;
    expect(() => parseConfig({ DATABASE_URL: url })).toThrow(/value hidden/);
    try {
      parseConfig({ DATABASE_URL: url });
    } catch (error) {
      expect(String(error)).not.toContain('hunter');
    }
  });
});

describe('the process with a bad environment', () => {
  it.concurrent.for([
    [{ PORT: '99999' }, 'links: invalid configuration: PORT must be <= 65535, got 99999'],
    [{ DATABASE_URL: 'not a url' }, 'links: invalid configuration: DATABASE_URL must match pattern'],
    [
      { NODE_ENV: 'production', DATABASE_URL: 'postgres://127.0.0.1/x' },
      'links: invalid configuration: SESSION_SECRET is required',
    ],
  ] as const)('prints one line and exits 1 for %o', async ([env, expected], { expect }) => {
    const spawned = spawnMain(env);
    expect(await spawned.exited).toBe(1);
    const lines = spawned.stderr().trim().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toContain(expected);
    expect(spawned.stdout()).toBe('');
  });
});
