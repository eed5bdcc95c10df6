import type { FastifyInstance } from 'fastify';
import { AppError } from './app-error.js';

const hasBody = (headers: Readonly<Record<string, string | string[] | undefined>>): boolean =>
  headers['transfer-encoding'] !== undefined ||
  (headers['content-length'] !== undefined && headers['content-length'] !== '0');

/**
 * Request bodies are read as sent: a body with a content coding (gzip, br, …) would be parsed as if it were plain.
 * RFC 9110 §15.5.16: an unsupported content coding is 415, with Accept-Encoding naming what is accepted.
 */
export const refuseEncodedBodies = (app: FastifyInstance): void => {
  app.addHook('onRequest', (request, _reply, done) => {
    const coding = request.headers['content-encoding']?.trim().toLowerCase();
    if (coding === undefined || coding === '' || coding === 'identity' || !hasBody(request.headers)) {
      done();
      return;
    }
    done(
      new AppError(
        'UNSUPPORTED_MEDIA_TYPE',
        `Content-Encoding "${coding}" is not accepted: send the body uncompressed.`,
        {
          'accept-encoding': 'identity',
        },
      ),
    );
  });
};
