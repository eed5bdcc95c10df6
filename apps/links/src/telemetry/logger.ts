import { trace } from '@opentelemetry/api';
import { type DestinationStream, type Logger, pino } from 'pino';

/** Paths never written to logs: credentials in headers and bodies, wherever they appear. */
export const redactedPaths = [
  'req.headers.authorization',
  'req.headers.cookie',
  'req.headers["x-csrf-token"]',
  'res.headers["set-cookie"]',
  'headers.authorization',
  'headers.cookie',
  'password',
  'token',
  'sessionToken',
  '*.password',
  '*.token',
  '*.sessionToken',
  '*.csrfToken',
  'body.password',
  'body._csrf',
];

/** Adds the active trace's ids to every line, so a log line leads to its trace. Empty when tracing is off. */
const traceFields = (): Record<string, string> => {
  const context = trace.getActiveSpan()?.spanContext();
  return context === undefined ? {} : { trace_id: context.traceId, span_id: context.spanId };
};

/**
 * `traceIds` false (tracing off) leaves the trace lookup out of every line: it could only ever add nothing, and
 * the request log writes a line per request.
 */
export const createLogger = (level: string, destination?: DestinationStream, traceIds = true): Logger =>
  pino(
    {
      level,
      redact: { paths: redactedPaths, censor: '[redacted]' },
      ...(traceIds ? { mixin: traceFields } : {}),
      base: { service: 'links' },
      timestamp: pino.stdTimeFunctions.isoTime,
      formatters: { level: (label) => ({ level: label }) },
    },
    destination,
  );
