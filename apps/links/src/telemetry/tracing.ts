import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { HttpInstrumentation } from '@opentelemetry/instrumentation-http';
import { PgInstrumentation } from '@opentelemetry/instrumentation-pg';
import { NodeSDK } from '@opentelemetry/sdk-node';

export interface Tracing {
  shutdown(): Promise<void>;
}

const probePaths = new Set(['/livez', '/readyz']);

/**
 * OpenTelemetry with HTTP and PostgreSQL spans, exported over OTLP/HTTP. Off (nothing loaded, no overhead)
 * unless an endpoint is configured. Must start before pg and http are loaded for their patches to apply.
 */
export const startTracing = (endpoint: string | undefined): Tracing | undefined => {
  if (endpoint === undefined) return undefined;
  const sdk = new NodeSDK({
    serviceName: 'links',
    traceExporter: new OTLPTraceExporter({ url: `${endpoint.replace(/\/$/, '')}/v1/traces` }),
    instrumentations: [
      new HttpInstrumentation({
        ignoreIncomingRequestHook: (request) => probePaths.has(request.url ?? ''),
      }),
      new PgInstrumentation({ enhancedDatabaseReporting: false }),
    ],
  });
  sdk.start();
  return { shutdown: () => sdk.shutdown() };
};
