import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { compressRuleTimes } from '../../observability/src/compress-time.js';
import {
  type LocalAlertmanager,
  startAlertmanager,
} from '../../observability/src/live/alertmanager-process.js';
import { type LocalPrometheus, startPrometheus } from '../../observability/src/live/prometheus-process.js';
import {
  type ReceivedPost,
  startWebhookReceiver,
  type WebhookReceiver,
} from '../../observability/src/live/webhook-receiver.js';
import { paths } from '../../observability/src/paths.js';
import { parseRuleFile } from '../../observability/src/rule-file.js';
import { type LinksProcess, migrateDatabase, startLinks } from '../support/links-process.js';
import { createTestDatabase, type TestDatabase } from '../support/test-database.js';

/**
 * The whole alert path, live: links (real PostgreSQL, fault switch enabled) → Prometheus scraping its ops port
 * every second with the real rules on a 20x faster clock → Alertmanager with the real config → a loopback
 * stand-in for Slack. A fault makes every request 500; HighErrorRate must page, then resolve.
 */
const timeFactor = 20;
const labels = { namespace: 'links-e2e', env: 'e2e', pod: 'links-e2e-0' };

interface SlackMessage {
  channel: string;
  attachments: { title: string; text: string; color: string }[];
}
const message = (post: ReceivedPost): SlackMessage => post.body as SlackMessage;
const titleOf = (post: ReceivedPost): string => message(post).attachments?.[0]?.title ?? '';

describe('HighErrorRate, from fault to Slack and back', () => {
  const startedAt = performance.now();
  const dir = mkdtempSync(join(tmpdir(), 'runway-alerting-'));
  let receiver: WebhookReceiver | undefined;
  let database: TestDatabase | undefined;
  let links: LinksProcess | undefined;
  let alertmanager: LocalAlertmanager | undefined;
  let prometheus: LocalPrometheus | undefined;
  let traffic: NodeJS.Timeout | undefined;
  const responses = new Map<number, number>();

  const setFault = async (errorRatio: number): Promise<void> => {
    const response = await fetch(`${links?.opsUrl}/faults`, {
      method: 'PUT',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ errorRatio }),
    });
    expect(response.status).toBe(200);
  };

  beforeAll(async () => {
    receiver = await startWebhookReceiver();
    database = await createTestDatabase('alerting');
    await migrateDatabase(database.url);
    links = await startLinks({ databaseUrl: database.url, env: { FAULT_INJECTION: 'enabled' } });
    alertmanager = await startAlertmanager({
      dir,
      webhookBaseUrl: receiver.url,
      groupWait: '1s',
      groupInterval: '2s',
    });
    prometheus = await startPrometheus({
      dir,
      job: 'links',
      target: `127.0.0.1:${links.opsPort}`,
      labels,
      rules: compressRuleTimes(parseRuleFile(readFileSync(paths.rules, 'utf8')), timeFactor),
      alertmanagerUrl: alertmanager.url,
      interval: '1s',
    });
    // Steady user traffic, 20 requests a second: unknown codes answer 404 (not an error) until the fault.
    const baseUrl = links.baseUrl;
    traffic = setInterval(() => {
      fetch(`${baseUrl}/e2e-missing`, { redirect: 'manual' }).then(
        (response) => responses.set(response.status, (responses.get(response.status) ?? 0) + 1),
        () => responses.set(0, (responses.get(0) ?? 0) + 1),
      );
    }, 50);
    const deadline = Date.now() + 30_000;
    while ((await prometheus.query('env:http_requests:rate5m > 0')).length === 0) {
      if (Date.now() > deadline) throw new Error('Prometheus never recorded links traffic');
      await new Promise((resolve) => setTimeout(resolve, 500));
    }
  });

  afterAll(async () => {
    clearInterval(traffic);
    // Each step runs even when an earlier one fails, so nothing started here outlives the test.
    const steps = [
      () => prometheus?.process.stop(),
      () => alertmanager?.process.stop(),
      () => links?.stop(),
      () => receiver?.close(),
      () => database?.drop(),
    ];
    for (const step of steps) await Promise.resolve(step()).catch((error: unknown) => console.error(error));
    rmSync(dir, { recursive: true, force: true });
    console.log(`alerting e2e wall time: ${((performance.now() - startedAt) / 1000).toFixed(1)} s`);
  });

  it('pages #links-paging with the alert, then posts the resolution', async () => {
    if (!receiver || !alertmanager) throw new Error('set-up did not finish');
    expect(receiver.posts.filter((post) => titleOf(post).includes('HighErrorRate'))).toEqual([]);

    const faultAt = Date.now();
    await setFault(1);
    const firing = await receiver.waitFor(
      (post) => post.path === '/slack-paging' && titleOf(post).startsWith('[FIRING:1] HighErrorRate'),
      60_000,
    );
    const fireDelay = (firing.at - faultAt) / 1000;
    console.log(`fault → Slack post: ${fireDelay.toFixed(1)} s (for: 2m / ${timeFactor} = 6 s)`);

    const slack = message(firing);
    expect(slack.channel).toBe('#links-paging');
    const [attachment] = slack.attachments;
    expect(attachment?.title).toBe('[FIRING:1] HighErrorRate · env e2e');
    expect(attachment?.color).toBe('danger');
    expect(attachment?.text).toMatch(/\*Firing:\* links e2e: [\d.]+% of requests fail with 5xx/);
    expect(attachment?.text).toContain('*Env:* e2e (namespace links-e2e) · *Severity:* critical');
    expect(attachment?.text).toContain(
      '<https://github.com/runway-dev/runway/blob/main/docs/runbooks/HighErrorRate.md|',
    );
    expect(attachment?.text).toContain(
      `<${alertmanager.url}/#/silences/new?filter=%7Balertname%3D%22HighErrorRate%22`,
    );

    const active = (await (
      await fetch(`${alertmanager.url}/api/v2/alerts?filter=alertname%3D%22HighErrorRate%22`)
    ).json()) as {
      labels: Record<string, string>;
    }[];
    expect(active.map((alert) => alert.labels)).toEqual([
      { alertname: 'HighErrorRate', severity: 'critical', job: 'links', namespace: 'links-e2e', env: 'e2e' },
    ]);
    expect(
      receiver.posts.some((post) => post.path === '/slack-alerts' && titleOf(post).includes('HighErrorRate')),
    ).toBe(false);
    expect(responses.get(500) ?? 0).toBeGreaterThan(0);

    const clearedAt = Date.now();
    await setFault(0);
    const resolved = await receiver.waitFor(
      (post) => post.path === '/slack-paging' && titleOf(post) === '[RESOLVED] HighErrorRate · env e2e',
      90_000,
    );
    console.log(`fault removed → resolved post: ${((resolved.at - clearedAt) / 1000).toFixed(1)} s`);
    expect(message(resolved).attachments[0]?.color).toBe('good');
    expect(message(resolved).attachments[0]?.text).toContain('*Resolved:* links e2e:');
  });
});
