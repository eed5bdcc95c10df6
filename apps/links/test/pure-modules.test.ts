import pg from 'pg';
import { describe, expect, it } from 'vitest';
import packageJson from '../package.json' with { type: 'json' };
import { tokenDigest } from '../src/auth/tokens.js';
import { DatabaseUnavailableError, UniqueViolationError } from '../src/db/database.js';
import { translatePostgresError } from '../src/db/postgres.js';
import { AppError } from '../src/http/app-error.js';
import { toAppError } from '../src/http/error-mapping.js';
import { decodeCursor } from '../src/links/links-service.js';
import { createRedirectCache } from '../src/links/redirect-cache.js';
import { createFaultSwitch } from '../src/ops/fault-switch.js';
import { serviceVersion } from '../src/version.js';
import { escapeHtml, html } from '../src/web/html.js';

describe('html', () => {
  it('escapes every interpolated string, and only those', () => {
    const name = `<img src=x onerror="alert('x')">&`;
    expect(html`<p title="${name}">${name}</p>`.value).toBe(
      '<p title="&lt;img src=x onerror=&quot;alert(&#39;x&#39;)&quot;&gt;&amp;">&lt;img src=x onerror=&quot;alert(&#39;x&#39;)&quot;&gt;&amp;</p>',
    );
    expect(html`<ul>${[html`<li>${'a<'}</li>`]}</ul>`.value).toBe('<ul><li>a&lt;</li></ul>');
    expect(escapeHtml('plain')).toBe('plain');
  });
});

describe('session token digest', () => {
  it('is the hex SHA-256 that stored sessions were looked up by', () => {
    // `printf links-session-token | sha256sum`: a change of digest would log every user out.
    expect(tokenDigest('links-session-token')).toBe(
      'ef2d4d5bf847d444a8a1c47cc90992e44e862b66437b9a7495ad2467b5d17013',
    );
  });
});

describe('redirect cache', () => {
  it('expires entries after the TTL and evicts the oldest beyond capacity', () => {
    let now = 0;
    const cache = createRedirectCache(2, 100, () => now);
    cache.set('a', 'https://a');
    cache.set('b', 'https://b');
    cache.set('c', 'https://c');
    expect(cache.get('a')).toBeUndefined();
    expect(cache.get('b')).toBe('https://b');
    now = 100;
    expect(cache.get('c')).toBeUndefined();
  });
});

/** An error as pg builds it from the server's ErrorResponse. */
const serverError = (code: string, message: string) =>
  Object.assign(new pg.DatabaseError(message, message.length, 'error'), { code });

describe('error mapping', () => {
  it('maps database failures to 503 and unique violations to their own error', () => {
    expect(translatePostgresError(new Error('connect ECONNREFUSED'))).toBeInstanceOf(
      DatabaseUnavailableError,
    );
    expect(translatePostgresError(serverError('57P01', 'terminating connection'))).toBeInstanceOf(
      DatabaseUnavailableError,
    );
    const unique = translatePostgresError(
      Object.assign(serverError('23505', 'dup'), { constraint: 'links_code_key' }),
    );
    expect(unique).toBeInstanceOf(UniqueViolationError);
    expect((unique as UniqueViolationError).constraint).toBe('links_code_key');
    const syntax = serverError('42601', 'syntax error');
    expect(translatePostgresError(syntax)).toBe(syntax);
    // Review of issue 16, item 7: Node's socket error codes look like SQLSTATEs; they mean the connection broke.
    const epipe = Object.assign(new Error('write EPIPE'), { code: 'EPIPE', errno: -32, syscall: 'write' });
    expect(translatePostgresError(epipe)).toBeInstanceOf(DatabaseUnavailableError);
    expect(toAppError(new DatabaseUnavailableError('x')).code).toBe('DATABASE_UNAVAILABLE');
  });

  it('never leaks the message of an unexpected error', () => {
    const mapped = toAppError(new Error('secret internal detail'));
    expect(mapped).toBeInstanceOf(AppError);
    expect(mapped.code).toBe('INTERNAL_ERROR');
    expect(mapped.detail).not.toContain('secret');
  });
});

describe('cursor', () => {
  it('accepts only positive ids it could have issued', () => {
    expect(decodeCursor(Buffer.from('42').toString('base64url'))).toBe('42');
    for (const id of ['0', '-1', '1e3', '99999999999999999999', "1' or 1=1", '']) {
      expect(decodeCursor(Buffer.from(id).toString('base64url'))).toBeUndefined();
    }
  });
});

describe('fault switch', () => {
  it('fails the configured share of requests only when enabled', () => {
    const rolls = [0.1, 0.6, 0.4];
    const enabled = createFaultSwitch(true, 0.5, () => rolls.shift() ?? 1);
    expect([enabled.shouldFail(), enabled.shouldFail(), enabled.shouldFail()]).toEqual([true, false, true]);
    const disabled = createFaultSwitch(false, 1, () => 0);
    disabled.setErrorRatio(1);
    expect(disabled.shouldFail()).toBe(false);
  });
});

describe('version', () => {
  it('matches package.json', () => {
    expect(serviceVersion).toBe(packageJson.version);
  });
});
