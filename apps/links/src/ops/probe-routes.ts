import { Type } from 'typebox';
import type { TypedApp } from '../http/typed-app.js';
import type { ReadinessProbe } from './readiness.js';

export interface BuildInfo {
  version: string;
  gitSha: string;
  buildTime: string;
  imageDigest: string;
}

const Probe = Type.Object({ status: Type.String(), reason: Type.Optional(Type.String()) });
const probeSchema = { tags: ['ops'], response: { 200: Probe, 503: Probe } };

/** Probes and build identity on the public port (8080). */
export const probeRoutes = async (app: TypedApp, deps: { readiness: ReadinessProbe; build: BuildInfo }) => {
  app.get('/livez', { schema: probeSchema }, async () => ({ status: 'ok' }));

  app.get('/readyz', { schema: probeSchema }, async (_request, reply) => {
    const result = await deps.readiness.check();
    return result.ready
      ? { status: 'ready' }
      : reply
          .code(503)
          .header('cache-control', 'no-store')
          .send({ status: 'not ready', reason: result.reason });
  });

  app.get(
    '/version',
    {
      schema: {
        tags: ['ops'],
        response: {
          200: Type.Object({
            version: Type.String(),
            gitSha: Type.String(),
            buildTime: Type.String(),
            imageDigest: Type.String(),
          }),
        },
      },
    },
    async () => deps.build,
  );
};
