import { createServer } from 'node:http';
import { freePort } from './free-port.js';

/** A loopback web site that short links point to; it records every path it was asked for. */
export interface Destination {
  readonly url: string;
  readonly hits: readonly string[];
  stop(): Promise<void>;
}

export const startDestination = async (): Promise<Destination> => {
  const port = await freePort();
  const hits: string[] = [];
  const server = createServer((request, response) => {
    hits.push(request.url ?? '');
    response.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
    response.end('<!doctype html><title>Destination</title><h1>You arrived</h1>');
  });
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${port}`,
    hits,
    stop: () =>
      new Promise((resolve, reject) => server.close((error) => (error ? reject(error) : resolve()))),
  };
};
