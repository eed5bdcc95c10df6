// Throughput and p99 of the hot path (GET /:code, warm) and of an authenticated GET /api/v1/links, on the real
// PostgreSQL, next to a bare node:http server answering a fixed 302 on the same loopback setup: the ceiling.
// Prints figures; asserts nothing. Run: npm run build -w @runway/links && npx tsx bench/http.ts
import { availableParallelism, loadavg } from 'node:os';
import { createAccount, createLink } from '../e2e/support/links-api.js';
import { migrateDatabase, startLinks } from '../e2e/support/links-process.js';
import { createTestDatabase } from '../e2e/support/test-database.js';
import { environments } from '../packages/platform/src/spec/environments.js';
import { mebibytes, nodeOptionsFor } from '../packages/platform/src/synth/node-heap.js';
import { assertBuiltService } from './built-service.js';
import { connections, type Measured, measure, measureBenchServer, warmSeconds } from './measure.js';
import { createMemoryCgroup } from './memory-cgroup.js';
import { fixed, machineLoad, percent, table } from './report.js';
import { samplePeakRss } from './rss.js';

const seconds = Number(process.env.BENCH_SECONDS ?? 8);
const linksPerAccount = 20;
/** Production logs at info: a line per request the app answers, warm redirects at debug. */
const logLevel = process.env.BENCH_LOG_LEVEL ?? 'info';

const row = (name: string, result: Measured): string[] => [
  name,
  fixed(result.requestsPerSecond),
  fixed(result.p50Ms, 2),
  fixed(result.p99Ms, 2),
  fixed(result.cpuUsPerRequest, 1),
];

/** Prod's memory limit and the NODE_OPTIONS synth gives its pods: the service measured as prod runs it. */
const prodLimit =
  environments.find((environment) => environment.name === 'prod')?.resources.limits.memory ?? '';
const prodMemoryMiB = mebibytes(prodLimit);
const prodNodeOptions = nodeOptionsFor(prodLimit);

interface LinksFigures {
  readonly redirect: Measured;
  readonly list: Measured;
  readonly peakRssMiB: number;
}

/** One links process from dist/ with 20 links: the warm redirect, then the authenticated list. */
const measureLinks = async (databaseUrl: string, cgroupProcs?: string): Promise<LinksFigures> => {
  const links = await startLinks({
    databaseUrl,
    runtime: 'dist',
    output: 'discard',
    ...(cgroupProcs === undefined
      ? { env: { LOG_LEVEL: logLevel } }
      : { env: { LOG_LEVEL: logLevel, NODE_OPTIONS: prodNodeOptions }, cgroupProcs }),
  });
  try {
    const account = await createAccount(links.baseUrl);
    const created = [];
    for (let i = 0; i < linksPerAccount; i++) {
      created.push(await createLink(links.baseUrl, account.token, `https://example.com/bench/${i}`));
    }
    const code = created[0]?.code ?? '';
    const rss = samplePeakRss(links.pid);
    const redirect = await measure(`${links.baseUrl}/${code}`, links.pid, seconds);
    const list = await measure(`${links.baseUrl}/api/v1/links`, links.pid, seconds, {
      authorization: `Bearer ${account.token}`,
    });
    return { redirect, list, peakRssMiB: rss.stop() };
  } finally {
    await links.stop();
  }
};

assertBuiltService();
const database = await createTestDatabase('bench_http');
try {
  await migrateDatabase(database.url, 'dist');
  const ceiling = await measureBenchServer('ceiling-server.ts', [], seconds);
  const free = await measureLinks(database.url);
  const cgroup = createMemoryCgroup(prodMemoryMiB);
  let limited: LinksFigures | undefined;
  try {
    if (cgroup !== undefined) limited = await measureLinks(database.url, cgroup.procs);
  } finally {
    cgroup?.remove();
  }
  const inLimit = ` in ${prodMemoryMiB} MiB`;

  console.log(
    `wrk -t1 -c${connections}, ${warmSeconds} s warm-up + ${seconds} s per target, loopback, ` +
      `links from dist/ on PostgreSQL (LOG_LEVEL=${logLevel}), ` +
      `${process.version}, ${machineLoad(loadavg(), availableParallelism())}\n`,
  );
  console.log(
    table(
      ['target', 'req/s', 'p50 ms', 'p99 ms', 'CPU µs/req'],
      [
        row('node:http fixed 302 (ceiling)', ceiling),
        row('links GET /:code (warm)', free.redirect),
        row(`links GET /api/v1/links (Bearer, ${linksPerAccount} links)`, free.list),
        ...(limited === undefined
          ? []
          : [
              row(`links GET /:code (warm)${inLimit}`, limited.redirect),
              row(`links GET /api/v1/links${inLimit}`, limited.list),
            ]),
      ],
    ),
  );
  console.log(
    `\nGET /:code throughput = ${percent(free.redirect.requestsPerSecond, ceiling.requestsPerSecond)} of the ` +
      'ceiling (target ≥ 70 %)',
  );
  console.log(
    `GET /:code CPU per request = ${percent(ceiling.cpuUsPerRequest, free.redirect.cpuUsPerRequest)} of the ` +
      "ceiling's efficiency (its CPU per request over links')",
  );
  console.log(
    `GET /api/v1/links throughput = ${percent(free.list.requestsPerSecond, ceiling.requestsPerSecond)} of the ` +
      'ceiling; CPU per request target ≤ 100 µs',
  );
  console.log(`links RSS under load: peak ${fixed(free.peakRssMiB)} MiB`);
  console.log(
    limited === undefined
      ? `not measured in prod's memory limit (${prodMemoryMiB} MiB): this process cannot make a memory cgroup`
      : `"in ${prodMemoryMiB} MiB": prod's memory limit (a memory cgroup, as the kubelet gives the pod) and ` +
          `prod's NODE_OPTIONS=${prodNodeOptions}; RSS peak ${fixed(limited.peakRssMiB)} MiB`,
  );
} finally {
  await database.drop();
}
