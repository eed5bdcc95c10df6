// The ceiling for the redirect benchmark: plain node:http answering a fixed 302, nothing else.
// Usage: tsx bench/ceiling-server.ts <port> [work µs]. With a work figure it first spins the CPU for that long per
// request: bench/redirect-layers.ts uses it to show how fast the share of the ceiling falls with any work at all.
import { createServer } from 'node:http';

const port = Number(process.argv[2]);
const workMs = Number(process.argv[3] ?? 0) / 1000;

const work = (): void => {
  const until = performance.now() + workMs;
  while (performance.now() < until);
};

createServer((_request, response) => {
  if (workMs > 0) work();
  response.writeHead(302, { location: 'https://example.com/' });
  response.end();
}).listen(port, '127.0.0.1');
