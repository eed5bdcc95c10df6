import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse, stringify } from 'yaml';
import { type LocalAlertmanager, startAlertmanager } from '../src/live/alertmanager-process.js';
import {
  type ReceivedPost,
  startWebhookReceiver,
  type WebhookReceiver,
} from '../src/live/webhook-receiver.js';
import { paths } from '../src/paths.js';
import { allRules, isAlertingRule, parseRuleFile } from '../src/rule-file.js';
import { runTool } from '../src/tools.js';

const configText = readFileSync(paths.alertmanagerConfig, 'utf8');
const scratch = mkdtempSync(join(tmpdir(), 'runway-alertmanager-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

/** The real config with only the templates' path changed from the pod's to the repository's. */
const checkableConfig = (templatesGlob: string = paths.alertmanagerTemplatesGlob): string => {
  const file = join(scratch, `checkable-${Math.random().toString(36).slice(2)}.yaml`);
  writeFileSync(file, stringify({ ...(parse(configText) as object), templates: [templatesGlob] }));
  return file;
};

const routeOf = async (labels: Record<string, string>): Promise<string> => {
  const pairs = Object.entries(labels).map(([name, value]) => `${name}=${value}`);
  const result = await runTool('amtool', [
    'config',
    'routes',
    'test',
    `--config.file=${checkableConfig()}`,
    ...pairs,
  ]);
  expect(result.code, result.stderr).toBe(0);
  return result.stdout.trim();
};

describe('alertmanager.yaml', () => {
  it('passes amtool check-config, templates included', async () => {
    const result = await runTool('amtool', ['check-config', checkableConfig()]);
    expect(result.code, result.stdout + result.stderr).toBe(0);
    expect(result.stdout).toContain('1 templates');
    expect(result.stdout).toContain('1 inhibit rules');
  });

  it('fails amtool check-config with a broken template', async () => {
    writeFileSync(join(scratch, 'broken.tmpl'), '{{ define "runway.slack.title" }}{{ .Status ');
    const result = await runTool('amtool', ['check-config', checkableConfig(join(scratch, '*.tmpl'))]);
    expect(result.code).not.toBe(0);
    expect(result.stdout).toContain('FAILED');
  });

  const severityRoutes = { critical: 'slack-paging', warning: 'slack-alerts' } as const;
  const alerts = allRules(parseRuleFile(readFileSync(paths.rules, 'utf8'))).filter(isAlertingRule);

  it.each(alerts.map((alert) => [alert.alert, alert.labels?.severity ?? ''] as const))(
    'routes %s (%s) by its severity',
    async (alertname, severity) => {
      expect(await routeOf({ alertname, severity, env: 'prod', namespace: 'links-prod' })).toBe(
        severityRoutes[severity as keyof typeof severityRoutes],
      );
    },
  );

  it('routes unlabelled alerts to the alerts channel and drops the Watchdog', async () => {
    expect(await routeOf({ alertname: 'SomethingNew' })).toBe('slack-alerts');
    expect(await routeOf({ alertname: 'Watchdog', severity: 'none' })).toBe('blackhole');
  });

  it('reads every Slack webhook URL from a file, never from the config', () => {
    expect(configText).not.toMatch(/api_url:|slack_api_url:|hooks\.slack\.com/);
    const receivers = (parse(configText) as { receivers: { slack_configs?: { api_url_file?: string }[] }[] })
      .receivers;
    const slackConfigs = receivers.flatMap((receiver) => receiver.slack_configs ?? []);
    expect(slackConfigs.length).toBe(2);
    for (const slack of slackConfigs) expect(slack.api_url_file).toMatch(/^\/etc\/alertmanager\/secrets\//);
  });
});

/** What Alertmanager's Slack integration sends (the fields the templates fill). */
interface SlackPayload {
  channel: string;
  attachments: { title: string; title_link: string; text: string; color: string }[];
}
const slack = (post: ReceivedPost): SlackPayload => post.body as SlackPayload;
const titleOf = (post: ReceivedPost): string => slack(post).attachments?.[0]?.title ?? '';

describe('a running Alertmanager with the real config', () => {
  let receiver: WebhookReceiver;
  let alertmanager: LocalAlertmanager | undefined;

  beforeAll(async () => {
    receiver = await startWebhookReceiver();
    alertmanager = await startAlertmanager({
      dir: scratch,
      webhookBaseUrl: receiver.url,
      groupWait: '1s',
      groupInterval: '1s',
    });
  });

  afterAll(async () => {
    await alertmanager?.process.stop();
    await receiver?.close();
  });

  const post = async (alerts: { labels: Record<string, string>; annotations?: Record<string, string> }[]) => {
    const url = alertmanager?.url ?? '';
    const response = await fetch(`${url}/api/v2/alerts`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(alerts),
    });
    expect(response.status).toBe(200);
  };

  const errorRate = (env: string) => ({
    labels: {
      alertname: 'HighErrorRate',
      severity: 'critical',
      job: 'links',
      namespace: `links-${env}`,
      env,
    },
    annotations: {
      summary: `links ${env}: 12% of requests fail with 5xx`,
      description: 'More than 5 % of requests were answered 5xx.',
      runbook_url: 'https://github.com/runway-dev/runway/blob/main/docs/runbooks/HighErrorRate.md',
    },
  });

  it('posts a critical alert to the paging webhook with summary, env, runbook and silence links', async () => {
    await post([errorRate('prod')]);
    const message = slack(
      await receiver.waitFor((p) => titleOf(p).includes('HighErrorRate · env prod'), 15_000),
    );
    const received = receiver.posts.find((p) => slack(p) === message);
    expect(received?.path).toBe('/slack-paging');
    expect(message.channel).toBe('#links-paging');
    const [attachment] = message.attachments;
    expect(attachment?.title).toBe('[FIRING:1] HighErrorRate · env prod');
    expect(attachment?.color).toBe('danger');
    expect(attachment?.text).toContain('*Firing:* links prod: 12% of requests fail with 5xx');
    expect(attachment?.text).toContain('*Env:* prod (namespace links-prod)');
    expect(attachment?.text).toContain(
      '<https://github.com/runway-dev/runway/blob/main/docs/runbooks/HighErrorRate.md|',
    );
    expect(attachment?.text).toContain(
      `<${alertmanager?.url}/#/silences/new?filter=%7Balertname%3D%22HighErrorRate%22%2Cenv%3D%22prod%22%2Cjob%3D%22links%22%2Cnamespace%3D%22links-prod%22%2Cseverity%3D%22critical%22%7D|`,
    );
  });

  it('posts a warning to the alerts webhook', async () => {
    await post([
      {
        labels: { alertname: 'HPAMaxedOut', severity: 'warning', namespace: 'links-dev', env: 'dev' },
        annotations: { summary: 'links dev: autoscaler at its maximum of 3 replicas', runbook_url: 'x' },
      },
    ]);
    const received = await receiver.waitFor((p) => titleOf(p).includes('HPAMaxedOut'), 15_000);
    expect(received.path).toBe('/slack-alerts');
    expect(slack(received).channel).toBe('#links-alerts');
    expect(slack(received).attachments[0]?.color).toBe('warning');
  });

  it('lets LinksDown inhibit HighErrorRate for the same service and env only', async () => {
    await post([
      {
        labels: {
          alertname: 'LinksDown',
          severity: 'critical',
          job: 'links',
          namespace: 'links-staging',
          env: 'staging',
        },
        annotations: { summary: 'links staging: no instance can be scraped' },
      },
    ]);
    await receiver.waitFor((p) => titleOf(p).includes('LinksDown · env staging'), 15_000);
    await post([errorRate('staging'), errorRate('dev')]);
    await receiver.waitFor((p) => titleOf(p).includes('HighErrorRate · env dev'), 15_000);

    const response = await fetch(`${alertmanager?.url}/api/v2/alerts?filter=alertname%3D%22HighErrorRate%22`);
    const current = (await response.json()) as {
      labels: { env: string };
      status: { inhibitedBy: string[] };
    }[];
    const inhibited = Object.fromEntries(current.map((a) => [a.labels.env, a.status.inhibitedBy.length > 0]));
    expect(inhibited).toEqual({ staging: true, dev: false, prod: false });
    expect(receiver.posts.some((p) => titleOf(p).includes('HighErrorRate · env staging'))).toBe(false);
  });
});
