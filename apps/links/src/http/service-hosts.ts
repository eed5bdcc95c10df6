import type { FastifyRequest } from 'fastify';

/**
 * The names a request reached the service by: the Host header the gateway routed on, and the forwarded host when
 * a trusted proxy sent one. A client's X-Forwarded-Host alone cannot hide the real name, since both are kept.
 */
export const serviceHostsOf = (request: FastifyRequest): string[] =>
  [request.host, request.headers.host].filter((host): host is string => host !== undefined && host !== '');
