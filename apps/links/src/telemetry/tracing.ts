export interface Tracing {
  shutdown(): Promise<void>;
}

const probePaths = new Set(['/livez', '/readyz']);

/**
 * OpenTelemetry with HTTP and PostgreSQL spans, exported over OTLP/HTTP. Off unless an endpoint is configured,
 * and then the SDK is not even loaded. Must start before pg and http are loaded for their patches to apply.
 */
export const startTracing = async (endpoint: string | undefined): Promise<Tracing | undefined> => {
  if (endpoint === undefined) return undefined;
  const [{ NodeSDK }, { OTLPTraceExporter }, { HttpInstrumentation }, { PgInstrumentation }] =
    await Promise.all([
      import('@opentelemetry/sdk-node'),
      import('@opentelemetry/exporter-trace-otlp-http'),
      import('@opentelemetry/instrumentation-http'),
      import('@opentelemetry/instrumentation-pg'),
    ]);
  const sdk = new NodeSDK({
    serviceName: 'links',
    traceExporter: new OTLPTraceExporter({ url: `${endpoint.replace(/\/$/, '')}/v1/traces` }),
    instrumentations: [
      new HttpInstrumentation({ ignoreIncomingRequestHook: (request) => probePaths.has(request.url ?? '') }),
      new PgInstrumentation(),
    ],
  });
  sdk.start();
  return { shutdown: () => sdk.shutdown() };
};
