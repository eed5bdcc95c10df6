import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createMigratedTestDatabase, type TestDatabase } from './helpers/postgres.js';
import { startMain } from './helpers/spawn-service.js';

interface ExportedSpan {
  traceId: string;
  name: string;
  kind: number;
  attributes: { key: string; value: { stringValue?: string } }[];
}

/** A stand-in OTLP/HTTP collector on loopback that records every span it receives. */
const startCollector = async () => {
  const spans: ExportedSpan[] = [];
  const server = http.createServer((request, response) => {
    let body = '';
    request.on('data', (chunk: Buffer) => {
      body += chunk.toString();
    });
    request.on('end', () => {
      if (request.url === '/v1/traces') {
        const payload = JSON.parse(body) as { resourceSpans: { scopeSpans: { spans: ExportedSpan[] }[] }[] };
        for (const resource of payload.resourceSpans)
          for (const scope of resource.scopeSpans) spans.push(...scope.spans);
      }
      response.writeHead(200, { 'content-type': 'application/json' }).end('{}');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    spans,
    port: (server.address() as AddressInfo).port,
    close: () => new Promise((resolve) => server.close(resolve)),
  };
};

describe('tracing (OTLP export when OTEL_EXPORTER_OTLP_ENDPOINT is set)', () => {
  let database: TestDatabase;

  beforeAll(async () => {
    database = await createMigratedTestDatabase('tracing');
  });

  afterAll(async () => {
    await database?.drop();
  });

  it('exports HTTP and PostgreSQL spans and puts the trace id in the request log lines', async () => {
    const collector = await startCollector();
    const service = await startMain({
      DATABASE_URL: database.url,
      OTEL_EXPORTER_OTLP_ENDPOINT: `http://127.0.0.1:${collector.port}`,
      OTEL_BSP_SCHEDULE_DELAY: '100',
      SHUTDOWN_GRACE_MS: '0',
    });
    try {
      // A refused login logs twice (the refusal and the completion) and queries the database.
      const response = await fetch(service.url('/api/v1/sessions'), {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ email: 'nobody@example.test', password: 'not a password at all' }),
      });
      expect(response.status).toBe(401);
      service.child.kill('SIGTERM');
      expect(await service.exited).toBe(0);

      const serverKind = 2;
      const server = collector.spans.find((span) => span.kind === serverKind && span.name.startsWith('POST'));
      expect(server, JSON.stringify(collector.spans.map((span) => span.name))).toBeDefined();
      // Start-up and background work (the schema check, click flushes) query too, each in a trace of its own:
      // what matters is that the request's own queries are spans of the request's trace.
      const inRequest = collector.spans.filter(
        (span) =>
          span.traceId === server?.traceId &&
          span.attributes.some((a) => a.key === 'db.system' || a.key === 'db.system.name'),
      );
      expect(inRequest.length, JSON.stringify(collector.spans.map((span) => span.name))).toBeGreaterThan(0);

      const requestLines = service
        .stdout()
        .split('\n')
        .filter((line) => line.includes('"reqId"'))
        .map((line) => JSON.parse(line) as { trace_id?: string; msg: string });
      expect(requestLines.length).toBeGreaterThanOrEqual(2);
      for (const line of requestLines) expect(line.trace_id).toBe(server?.traceId);
    } finally {
      if (service.child.exitCode === null) service.child.kill('SIGKILL');
      await collector.close();
    }
  });
});
