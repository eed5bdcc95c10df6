// Throughput and p99 of the hot path (GET /:code, warm) and of an authenticated GET /api/v1/links, on the real
// PostgreSQL, next to a bare node:http server answering a fixed 302 on the same loopback setup: the ceiling.
// Prints figures; asserts nothing. Run: npm run build -w @runway/links && npx tsx bench/http.ts
import { availableParallelism, loadavg } from 'node:os';
import { createAccount, createLink } from '../e2e/support/links-api.js';
import { migrateDatabase, startLinks } from '../e2e/support/links-process.js';
import { createTestDatabase } from '../e2e/support/test-database.js';
import { assertBuiltService } from './built-service.js';
import { connections, type Measured, measure, measureBenchServer, warmSeconds } from './measure.js';
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

assertBuiltService();
const database = await createTestDatabase('bench_http');
try {
  await migrateDatabase(database.url, 'dist');
  const ceiling = await measureBenchServer('ceiling-server.ts', [], seconds);

  const links = await startLinks({
    databaseUrl: database.url,
    runtime: 'dist',
    output: 'discard',
    env: { LOG_LEVEL: logLevel },
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
    const peakRss = rss.stop();

    console.log(
      `wrk -t1 -c${connections}, ${warmSeconds} s warm-up + ${seconds} s per target, loopback, ` +
        `links from dist/ on PostgreSQL (LOG_LEVEL=${logLevel}), ${process.version}, ` +
        `${machineLoad(loadavg(), availableParallelism())}\n`,
    );
    console.log(
      table(
        ['target', 'req/s', 'p50 ms', 'p99 ms', 'CPU µs/req'],
        [
          row('node:http fixed 302 (ceiling)', ceiling),
          row('links GET /:code (warm)', redirect),
          row(`links GET /api/v1/links (Bearer, ${linksPerAccount} links)`, list),
        ],
      ),
    );
    console.log(
      `\nGET /:code throughput = ${percent(redirect.requestsPerSecond, ceiling.requestsPerSecond)} of the ceiling ` +
        '(target ≥ 70 %)',
    );
    console.log(
      `GET /:code CPU per request = ${percent(ceiling.cpuUsPerRequest, redirect.cpuUsPerRequest)} of the ` +
        "ceiling's efficiency (its CPU per request over links')",
    );
    console.log(
      `GET /api/v1/links throughput = ${percent(list.requestsPerSecond, ceiling.requestsPerSecond)} of the ceiling`,
    );
    console.log(`links RSS under load: peak ${fixed(peakRss)} MiB`);
  } finally {
    await links.stop();
  }
} finally {
  await database.drop();
}
