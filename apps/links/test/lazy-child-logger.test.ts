import { describe, expect, it, vi } from 'vitest';
import { lazyChildLoggerFactory } from '../src/telemetry/lazy-child-logger.js';
import { createLogger } from '../src/telemetry/logger.js';

const captured = () => {
  const lines: string[] = [];
  return { lines, stream: { write: (line: string) => void lines.push(line) } };
};

/** A line with its time value replaced: the lines compared are written microseconds apart. */
const timeless = (line: string | undefined): string => (line ?? '').replace(/"time":"[^"]*"/, '"time":"T"');

describe("a request's lazy logger", () => {
  it("makes one pino child, at the request's first log call, writing what Fastify's eager child would", () => {
    const { lines, stream } = captured();
    const parent = createLogger('info', stream, false);
    const children = vi.spyOn(parent, 'child');
    const lazy = lazyChildLoggerFactory(parent, { reqId: 'req-1' }, {});
    lazy.debug('below the level');
    expect(children).toHaveBeenCalledTimes(1);
    expect(lines).toEqual([]);
    lazy.warn({ token: 'secret-token', code: 'INVALID_CREDENTIALS' }, 'request refused');
    lazy.info('%s and %d', 'formatted', 2);
    expect(children).toHaveBeenCalledTimes(1);
    children.mockRestore();
    const eager = parent.child({ reqId: 'req-1' }, {});
    eager.warn({ token: 'secret-token', code: 'INVALID_CREDENTIALS' }, 'request refused');
    eager.info('%s and %d', 'formatted', 2);
    expect(lines).toHaveLength(4);
    expect(lines.slice(0, 2).map(timeless)).toEqual(lines.slice(2).map(timeless));
    expect(JSON.parse(lines[0] ?? '')).toMatchObject({ level: 'warn', reqId: 'req-1', token: '[redacted]' });
    expect(JSON.parse(lines[1] ?? '').msg).toBe('formatted and 2');
  });

  it('makes nothing for a request that logs nothing of its own', () => {
    const parent = createLogger('info', captured().stream, false);
    const children = vi.spyOn(parent, 'child');
    lazyChildLoggerFactory(parent, { reqId: 'req-2' }, {});
    expect(children).not.toHaveBeenCalled();
  });

  it("keeps a route's log level and takes a new one", () => {
    const { lines, stream } = captured();
    const lazy = lazyChildLoggerFactory(
      createLogger('info', stream, false),
      { reqId: 'req-3' },
      { level: 'warn' },
    );
    expect(lazy.level).toBe('warn');
    lazy.info('dropped at warn');
    expect(lines).toEqual([]);
    lazy.level = 'debug';
    lazy.debug('kept at debug');
    expect(lines.map((line) => JSON.parse(line).msg)).toEqual(['kept at debug']);
  });

  it("gives a child both the request's bindings and its own", () => {
    const { lines, stream } = captured();
    const lazy = lazyChildLoggerFactory(createLogger('info', stream, false), { reqId: 'req-4' }, {});
    lazy.child({ step: 'flush' }).error('failed');
    expect(JSON.parse(lines[0] ?? '')).toMatchObject({ reqId: 'req-4', step: 'flush', msg: 'failed' });
  });
});
