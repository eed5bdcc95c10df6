// Start-up time (process spawn → first 200 from /readyz on PostgreSQL) and idle memory of the service, from the
// compiled dist/ as the image runs it, plus the tsx development runner for comparison. Prints figures; asserts
// nothing. Run: npm run build -w @runway/links && npx tsx bench/startup.ts
import { availableParallelism, loadavg } from 'node:os';
import { setTimeout as sleep } from 'node:timers/promises';
import {
  type LinksProcess,
  migrateDatabase,
  type Runtime,
  startLinks,
} from '../e2e/support/links-process.js';
import { createTestDatabase } from '../e2e/support/test-database.js';
import { assertBuiltService } from './built-service.js';
import { fixed, machineLoad, median, table } from './report.js';
import { rssMiB } from './rss.js';

const distRuns = 5;
const tsxRuns = 2;
/** How long the process sits without traffic before its memory is read. */
const idleMs = 2000;

interface Sample {
  readonly readyMs: number;
  readonly idleRss: number;
}

const startOnce = async (databaseUrl: string, runtime: Runtime): Promise<Sample> => {
  const links: LinksProcess = await startLinks({
    databaseUrl,
    runtime,
    output: 'discard',
    readyPollMs: 2,
    env: { LOG_LEVEL: 'info' },
  });
  try {
    await sleep(idleMs);
    return { readyMs: links.readyAfterMs, idleRss: rssMiB(links.pid) };
  } finally {
    await links.stop();
  }
};

const summary = (name: string, samples: readonly Sample[]): string[] => {
  const ready = samples.map((sample) => sample.readyMs);
  return [
    name,
    String(samples.length),
    fixed(median(ready)),
    fixed(Math.min(...ready)),
    fixed(Math.max(...ready)),
    fixed(median(samples.map((sample) => sample.idleRss))),
  ];
};

assertBuiltService();
const database = await createTestDatabase('bench_startup');
try {
  await migrateDatabase(database.url, 'dist');
  const runs = async (runtime: Runtime, count: number) => {
    const samples: Sample[] = [];
    for (let i = 0; i < count; i++) samples.push(await startOnce(database.url, runtime));
    return samples;
  };
  const dist = await runs('dist', distRuns);
  const tsx = await runs('tsx', tsxRuns);
  console.log(
    `start-up: spawn → /readyz 200 on PostgreSQL; idle RSS after ${idleMs} ms; ${process.version}; ` +
      `${machineLoad(loadavg(), availableParallelism())}\n`,
  );
  console.log(
    table(
      ['runner', 'runs', 'median ms', 'min ms', 'max ms', 'idle RSS MiB'],
      [summary('node dist/main.js', dist), summary('node --import tsx src/main.ts', tsx)],
    ),
  );
  console.log('\ntargets: start-up ≤ 500 ms and idle RSS ≤ 90 MiB (node dist/main.js)');
} finally {
  await database.drop();
}
