import { type FastifyReply, type FastifyRequest, LogController } from 'fastify';

const probePaths = new Set(['/livez', '/readyz']);

/**
 * One log line per request, written when it completes (half the volume of Fastify's default pair), with the
 * route template next to the URL. Probes log at debug: a kubelet polling every few seconds is not news.
 */
export class RequestLogController extends LogController {
  constructor() {
    super({ requestIdLogLabel: 'reqId' });
  }

  override incomingRequest(): void {}

  override requestCompleted(
    error: Error | null | undefined,
    request: FastifyRequest,
    reply: FastifyReply,
  ): void {
    const fields = {
      req: { method: request.method, url: request.url, route: request.routeOptions.url ?? 'unmatched' },
      res: { statusCode: reply.statusCode },
      responseTime: reply.elapsedTime,
    };
    if (error) reply.log.error({ ...fields, err: error }, 'request errored');
    else if (probePaths.has(request.url)) reply.log.debug(fields, 'request completed');
    else reply.log.info(fields, 'request completed');
  }
}
