// Where the redirect's gap to the ceiling goes: the same fixed 302 answered by node:http, by node:http after a
// fixed amount of pure CPU work (the budget curve), by bare Fastify, with the service's per-request log line, with
// the hooks every links request passes through, and with the warm path that answers a cached code ahead of all
// that, as links does. Layers are measured in interleaved rounds (median of each) so a noisy neighbour hits them
// alike. Prints figures; asserts nothing.
// Run: npm run bench:layers
import { availableParallelism, loadavg } from 'node:os';
import { connections, type Measured, measureBenchServer, warmSeconds } from './measure.js';
import { fixed, machineLoad, median, percent, table } from './report.js';

const seconds = Number(process.env.BENCH_SECONDS ?? 4);
const rounds = Number(process.env.BENCH_ROUNDS ?? 3);

const layers = [
  { name: 'node:http fixed 302 (ceiling)', script: 'ceiling-server.ts', args: [] },
  { name: 'node:http after 5 µs of work', script: 'ceiling-server.ts', args: ['5'] },
  { name: 'node:http after 15 µs of work', script: 'ceiling-server.ts', args: ['15'] },
  { name: 'node:http after 30 µs of work', script: 'ceiling-server.ts', args: ['30'] },
  { name: 'Fastify, one route', script: 'redirect-layer-server.ts', args: ['fastify'] },
  { name: '+ the service log line per request', script: 'redirect-layer-server.ts', args: ['access-log'] },
  { name: '+ cookies, security headers, metrics', script: 'redirect-layer-server.ts', args: ['hooks'] },
  { name: '+ the warm path in front (as links now)', script: 'redirect-layer-server.ts', args: ['warm'] },
] as const;

const runs: Measured[][] = layers.map(() => []);
for (let round = 0; round < rounds; round++) {
  for (const [i, layer] of layers.entries()) {
    runs[i]?.push(await measureBenchServer(layer.script, layer.args, seconds));
  }
}

const medians = runs.map((measured) => ({
  requestsPerSecond: median(measured.map((m) => m.requestsPerSecond)),
  cpuUsPerRequest: median(measured.map((m) => m.cpuUsPerRequest)),
}));
const [ceiling] = medians;
if (ceiling === undefined) throw new Error('no layers measured');

console.log(
  `wrk -t1 -c${connections}, ${warmSeconds} s warm-up + ${seconds} s per layer, ${rounds} interleaved rounds ` +
    `(medians), loopback, ${process.version}, ${machineLoad(loadavg(), availableParallelism())}\n`,
);
console.log(
  table(
    ['layer', 'req/s', 'CPU µs/req', 'µs over ceiling', 'req/s vs ceiling', 'CPU vs ceiling'],
    medians.map((m, i) => [
      layers[i]?.name ?? '',
      fixed(m.requestsPerSecond),
      fixed(m.cpuUsPerRequest, 1),
      i === 0 ? '' : fixed(m.cpuUsPerRequest - ceiling.cpuUsPerRequest, 1),
      percent(m.requestsPerSecond, ceiling.requestsPerSecond),
      percent(ceiling.cpuUsPerRequest, m.cpuUsPerRequest),
    ]),
  ),
);
