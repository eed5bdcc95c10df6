import { tracingChannel } from 'node:diagnostics_channel';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import { createLogger } from '../src/telemetry/logger.js';
import { completionLineWriter, RequestLogController } from '../src/telemetry/request-log.js';

const captured = () => {
  const lines: string[] = [];
  return { lines, stream: { write: (line: string) => void lines.push(line) } };
};

/** The line with its time value replaced: the two forms are written microseconds apart. */
const timeless = (line: string): string => line.replace(/"time":"[^"]*"/, '"time":"T"');

const completions = [
  {
    reqId: '0b7d4c1e-7f5e-4a8e-9a43-2b1f8f2d6c10',
    method: 'GET',
    url: '/api/v1/links?limit=20',
    route: '/api/v1/links',
    statusCode: 200,
    responseTime: 1.234567,
  },
  // A client sets the request id and the URL: quotes, backslashes, separators and bytes past ASCII (Node reads
  // both as latin1) must come out as the JSON pino writes.
  {
    reqId: 'id "quoted" \\ \u2028 \u00e9\u00ff',
    method: 'POST',
    url: '/a"b\\c/\u00e9?x=</script>&y=\u0007',
    route: 'unmatched',
    statusCode: 404,
    responseTime: 0.05,
  },
];

describe('the request completion line', () => {
  it('is the line pino writes for the same fields, byte for byte but the time', () => {
    const { lines, stream } = captured();
    const logger = createLogger('info', stream, false).child({}, { redact: [] });
    const write = completionLineWriter(logger);
    expect(write).toBeDefined();
    for (const c of completions) {
      write?.(c);
      logger.info(
        {
          reqId: c.reqId,
          req: { method: c.method, url: c.url, route: c.route },
          res: { statusCode: c.statusCode },
          responseTime: c.responseTime,
        },
        'request completed',
      );
      const [fast, viaPino] = lines.splice(0, 2);
      expect(timeless(fast ?? '')).toBe(timeless(viaPino ?? ''));
      expect(JSON.parse(fast ?? '')).toMatchObject({ level: 'info', service: 'links', reqId: c.reqId });
      expect(Date.parse(JSON.parse(fast ?? '').time)).not.toBeNaN();
    }
  });

  it('is left to pino where pino adds to each line: trace ids, or a stream that wants metadata', () => {
    expect(completionLineWriter(createLogger('info', captured().stream, true))).toBeUndefined();
    const multistream = pino.multistream([{ stream: captured().stream }]);
    expect(completionLineWriter(createLogger('info', multistream, false))).toBeUndefined();
  });

  it("is left to pino where the logger's options shape a line otherwise", () => {
    const levelLabel = { level: (label: string) => ({ level: label }) };
    const plain = pino({ formatters: levelLabel, base: { service: 'links' } }, captured().stream);
    expect(completionLineWriter(plain)).toBeDefined();
    const shaping: pino.LoggerOptions[] = [
      { msgPrefix: '[links] ' },
      { crlf: true },
      { nestedKey: 'payload' },
      { messageKey: 'message' },
      { formatters: { ...levelLabel, log: (fields: object) => ({ ...fields, extra: 1 }) } },
      { hooks: { streamWrite: (line: string) => line } },
      { hooks: { logMethod: (args, method) => method.apply(this, args) } },
      { serializers: { req: (req: { method: string }) => ({ method: req.method }) } },
    ];
    for (const options of shaping) {
      const logger = pino(
        { formatters: levelLabel, ...options, base: { service: 'links' } },
        captured().stream,
      );
      expect({ options, writer: completionLineWriter(logger) }).toEqual({ options, writer: undefined });
    }
  });

  it('leaves the line to pino while anything watches pino render lines', () => {
    const { lines, stream } = captured();
    const write = completionLineWriter(createLogger('info', stream, false).child({}, { redact: [] }));
    const rendered: unknown[] = [];
    const ignore = () => undefined;
    const watcher = {
      start: (context: unknown) => void rendered.push(context),
      end: ignore,
      asyncStart: ignore,
      asyncEnd: ignore,
      error: ignore,
    };
    const channel = tracingChannel('pino_asJson');
    channel.subscribe(watcher);
    try {
      write?.(completions[0] as (typeof completions)[0]);
    } finally {
      channel.unsubscribe(watcher);
    }
    expect(rendered).toHaveLength(1);
    expect(lines).toHaveLength(1);
  });

  it('is written by the controller at info, and not at warn', () => {
    const request = {
      id: completions[0]?.reqId,
      method: 'GET',
      url: '/api/v1/links',
      routeOptions: { url: '/api/v1/links' },
    } as unknown as FastifyRequest;
    const reply = { statusCode: 200, elapsedTime: 2.5 } as unknown as FastifyReply;
    for (const [level, count] of [
      ['info', 1],
      ['warn', 0],
    ] as const) {
      const { lines, stream } = captured();
      new RequestLogController(createLogger(level, stream, false)).requestCompleted(null, request, reply);
      expect(lines).toHaveLength(count);
      if (count > 0)
        expect(JSON.parse(lines[0] ?? '')).toMatchObject({
          req: { method: 'GET', url: '/api/v1/links', route: '/api/v1/links' },
          res: { statusCode: 200 },
          responseTime: 2.5,
          msg: 'request completed',
        });
    }
  });
});
