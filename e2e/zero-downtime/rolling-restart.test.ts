// Two instances behind a real nginx under steady load; each is restarted in turn with SIGTERM, as a rolling
// update does. The service's shutdown sequence (readiness 503, grace, drain) plus the proxy's retry of refused
// idempotent requests must add up to zero failed requests, and the clicks flushed at shutdown to zero lost clicks.
import autocannon, { type Result } from 'autocannon';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ApiAccount, type ApiLink, createAccount, createLink, getLink } from '../support/links-api.js';
import { type LinksProcess, migrateDatabase, startLinks } from '../support/links-process.js';
import { type RunningNginx, startNginx } from '../support/nginx.js';
import { pollUntil } from '../support/poll.js';
import { createTestDatabase, type TestDatabase } from '../support/test-database.js';

const loadSeconds = 25;
const requestsPerSecond = 300;
const connections = 8;

let database: TestDatabase;
let nginx: RunningNginx | undefined;
const instances: LinksProcess[] = [];

const start = (previous?: LinksProcess) =>
  startLinks({
    databaseUrl: database.url,
    port: previous?.port,
    opsPort: previous?.opsPort,
    // One hop, as behind the gateway: nginx appends the peer it saw, like Envoy.
    env: { TRUST_PROXY: '1', SHUTDOWN_GRACE_MS: '1000' },
  });

beforeAll(async () => {
  database = await createTestDatabase('zero_downtime');
  await migrateDatabase(database.url);
  instances.push(...(await Promise.all([start(), start()])));
  nginx = await startNginx({ upstreamPorts: instances.map((instance) => instance.port) });
});

afterAll(async () => {
  await Promise.allSettled([nginx?.stop(), ...instances.map((instance) => instance.stop())]);
  await database?.drop();
});

const failures = (result: Result) => ({
  errors: result.errors,
  timeouts: result.timeouts,
  '1xx': result['1xx'],
  '4xx': result['4xx'],
  '5xx': result['5xx'],
});

describe('rolling restart behind nginx', () => {
  it('loses no request and no click while each instance is restarted with SIGTERM', async () => {
    if (!nginx) throw new Error('nginx did not start');
    const proxy = nginx.url;
    const account: ApiAccount = await createAccount(proxy);
    const link: ApiLink = await createLink(proxy, account.token, 'https://example.com/rolling-restart');
    const clicks = async () => (await getLink(proxy, account.token, link.code)).clicks;

    const load = autocannon({
      url: `${proxy}/${link.code}`,
      connections,
      overallRate: requestsPerSecond,
      duration: loadSeconds,
      timeout: 5,
    });
    let loadRunning = true;
    const finished = Promise.resolve(load).finally(() => {
      loadRunning = false;
    });

    await pollUntil('redirects to be counted', async () => ((await clicks()) > 0 ? true : undefined));
    const exitCodes: (number | null)[] = [];
    for (const [slot, old] of instances.entries()) {
      exitCodes.push(await old.stop('SIGTERM'));
      instances[slot] = await start(old);
    }
    const restartedUnderLoad = loadRunning;
    const result = await finished;

    console.log(
      `rolling restart: ${result['2xx'] + result.non2xx} responses in ` +
        `${result.duration} s, ${result['3xx']} redirects, failures ${JSON.stringify(failures(result))}, ` +
        `status codes ${JSON.stringify(result.statusCodeStats)}, exit codes ${exitCodes.join(', ')}`,
    );
    if (result['5xx'] > 0) console.log(`nginx error.log (start):\n${nginx.errorLog().slice(0, 4000)}`);

    expect(restartedUnderLoad, `both restarts must finish within the ${loadSeconds} s of load`).toBe(true);
    expect(exitCodes).toEqual([0, 0]);
    expect(failures(result)).toEqual({ errors: 0, timeouts: 0, '1xx': 0, '4xx': 0, '5xx': 0 });
    expect(result['3xx']).toBeGreaterThan(requestsPerSecond * 5);

    // Every redirect answered is a click counted, whichever instance served it and however it stopped. A few more
    // may be counted: requests the server answered after the load generator stopped waiting (one per connection).
    const counted = await pollUntil('every redirect to be counted', async () => {
      const now = await clicks();
      return now >= result['3xx'] ? now : undefined;
    });
    console.log(`rolling restart: ${counted} clicks counted for ${result['3xx']} redirects`);
    expect(counted - result['3xx']).toBeLessThanOrEqual(connections);
  });
});
