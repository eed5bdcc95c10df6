import { Type } from 'typebox';
import type { TypedApp } from '../http/typed-app.js';
import type { ReadinessProbe } from './readiness.js';

export interface BuildInfo {
  version: string;
  gitSha: string;
  buildTime: string;
  imageDigest: string;
}

const probeProperties = { status: Type.String(), reason: Type.Optional(Type.String()) };
const probe = (ok: string) => ({
  tags: ['ops'],
  response: {
    200: Type.Object(probeProperties, { description: ok }),
    503: Type.Object(probeProperties, {
      description: 'Not ready: `reason` says why (draining, database, schema).',
    }),
  },
});

/** Probes and build identity on the public port (8080). */
export const probeRoutes = async (app: TypedApp, deps: { readiness: ReadinessProbe; build: BuildInfo }) => {
  app.get(
    '/livez',
    { schema: { tags: ['ops'], response: { 200: probe('Alive.').response[200] } } },
    async () => ({
      status: 'ok',
    }),
  );

  app.get('/readyz', { schema: probe('Ready to serve.') }, async (_request, reply) => {
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
          200: Type.Object(
            {
              version: Type.String(),
              gitSha: Type.String(),
              buildTime: Type.String(),
              imageDigest: Type.String(),
            },
            { description: 'What this process runs.' },
          ),
        },
      },
    },
    async () => deps.build,
  );
};
