import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import Fastify, { type FastifyBaseLogger } from 'fastify';
import { Type } from 'typebox';
import type { FaultSwitch } from './fault-switch.js';
import type { Metrics } from './metrics.js';

const Faults = Type.Object(
  { errorRatio: Type.Number({ minimum: 0, maximum: 1 }) },
  { additionalProperties: false },
);

/**
 * The ops port (9464): /metrics, and /faults when fault injection is enabled. A separate server, so the public
 * port can never serve these.
 */
export const createOpsServer = (deps: {
  metrics: Metrics;
  faults: FaultSwitch;
  logger: FastifyBaseLogger;
}) => {
  // Scrapes every few seconds would drown the log: the ops server logs warnings and worse only.
  const logger = deps.logger.child({ server: 'ops' }, { level: 'warn' });
  const ops = Fastify({ loggerInstance: logger }).withTypeProvider<TypeBoxTypeProvider>();

  ops.get('/metrics', { schema: { response: { 200: Type.String() } } }, async (_request, reply) =>
    reply.type(deps.metrics.registry.contentType).send(await deps.metrics.registry.metrics()),
  );

  if (deps.faults.enabled) {
    ops.get('/faults', { schema: { response: { 200: Faults } } }, async () => ({
      errorRatio: deps.faults.errorRatio(),
    }));
    ops.put('/faults', { schema: { body: Faults, response: { 200: Faults } } }, async (request) => {
      deps.faults.setErrorRatio(request.body.errorRatio);
      request.log.warn({ errorRatio: request.body.errorRatio }, 'fault injection ratio changed');
      return { errorRatio: deps.faults.errorRatio() };
    });
  }
  return ops;
};
