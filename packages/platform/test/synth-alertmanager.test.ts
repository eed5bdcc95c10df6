import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { checkAlertmanagerWiring } from '../src/synth/alertmanager.js';
import { readInputs, renderFiles } from '../src/synth/render.js';

const root = join(import.meta.dirname, '../../..');
const inputs = await readInputs(root);
const files = renderFiles(inputs);
const rendered = (path: string) => parse(files.get(path) ?? '');
const values = rendered('deploy/clusters/nonprod/apps/application-kube-prometheus-stack.yaml').spec.source
  .helm.valuesObject;
const slackSecret = rendered('deploy/clusters/nonprod/platform/externalsecret-alertmanager-slack.yaml');
const committedConfig: unknown = parse(
  await readFile(join(root, 'observability/alertmanager/alertmanager.yaml'), 'utf8'),
);

const apiUrlFiles = (config: { receivers: { slack_configs?: { api_url_file: string }[] }[] }) =>
  config.receivers.flatMap((receiver) => (receiver.slack_configs ?? []).map((slack) => slack.api_url_file));

describe("the cluster's Alertmanager (kube-prometheus-stack values)", () => {
  it('runs exactly observability/alertmanager/alertmanager.yaml', () => {
    expect(values.alertmanager.config).toEqual(committedConfig);
  });

  it('gets every template file, where the config looks for them', async () => {
    expect(values.alertmanager.templateFiles).toEqual({
      'slack.tmpl': await readFile(join(root, 'observability/alertmanager/templates/slack.tmpl'), 'utf8'),
    });
    // kube-prometheus-stack mounts templateFiles beside alertmanager.yaml, in /etc/alertmanager/config/.
    expect(values.alertmanager.config.templates).toContain('/etc/alertmanager/config/*.tmpl');
  });

  it('mounts the Slack Secret at every api_url_file, with a key for each file', () => {
    const secrets: string[] = values.alertmanager.alertmanagerSpec.secrets;
    const keys = slackSecret.spec.data.map((entry: { secretKey: string }) => entry.secretKey);
    const paths = apiUrlFiles(values.alertmanager.config);
    expect(paths.length).toBeGreaterThan(0);
    for (const path of paths) {
      // The Prometheus Operator mounts each Secret of alertmanagerSpec.secrets at /etc/alertmanager/secrets/<name>/.
      const match = /^\/etc\/alertmanager\/secrets\/([^/]+)\/([^/]+)$/.exec(path);
      expect(match, path).not.toBeNull();
      expect(secrets).toContain(match?.[1]);
      expect(slackSecret.spec.target.name).toBe(match?.[1]);
      expect(keys).toContain(match?.[2]);
    }
  });

  it('takes the webhook URLs from AWS Secrets Manager through the cluster store, which serves monitoring', () => {
    expect(slackSecret.metadata.namespace).toBe('monitoring');
    expect(slackSecret.spec.secretStoreRef).toEqual({
      kind: 'ClusterSecretStore',
      name: 'runway-aws-secrets-manager',
    });
    const store = rendered(
      'deploy/clusters/nonprod/platform/clustersecretstore-runway-aws-secrets-manager.yaml',
    );
    expect(store.spec.conditions).toContainEqual({ namespaces: ['monitoring'] });
    expect(JSON.stringify(values)).not.toMatch(/hooks\.slack\.com/);
  });

  it('keeps the namespace label of kube-state-metrics and Argo Rollouts series (honorLabels)', () => {
    expect(values['kube-state-metrics'].prometheus.monitor.honorLabels).toBe(true);
    const monitor = rendered('deploy/clusters/nonprod/platform/servicemonitor-argo-rollouts.yaml');
    expect(monitor.metadata.namespace).toBe('argo-rollouts');
    expect(monitor.spec.endpoints).toEqual([expect.objectContaining({ port: 'metrics', honorLabels: true })]);
    const rollouts = rendered('deploy/clusters/nonprod/apps/application-argo-rollouts.yaml');
    expect(rollouts.spec.source.helm.valuesObject.controller.metrics).toEqual({ enabled: true });
  });
});

describe('checkAlertmanagerWiring', () => {
  const config = committedConfig as {
    receivers: { name: string; slack_configs?: Record<string, unknown>[] }[];
  };
  const withSlack = (slack: Record<string, unknown>) => ({
    ...config,
    receivers: [{ name: 'slack', slack_configs: [slack] }],
  });
  const templates = new Map([['slack.tmpl', '{{ define "x" }}{{ end }}']]);

  it('accepts the committed config', () => {
    expect(() => checkAlertmanagerWiring({ config, templates })).not.toThrow();
  });

  it.each([
    [
      'a file outside the mounted Secret',
      { api_url_file: '/etc/alertmanager/secrets/other/paging-webhook-url' },
    ],
    ['a key the Secret does not have', { api_url_file: '/etc/alertmanager/secrets/alertmanager-slack/typo' }],
    ['an inline webhook (it would be in git)', { api_url: `https://hooks.${'slack'}.com/services/x` }],
  ])('refuses %s', (_, slack) => {
    expect(() => checkAlertmanagerWiring({ config: withSlack(slack), templates })).toThrow(/api_url_file/);
  });

  it('refuses templates looked for where the chart does not mount them', () => {
    expect(() =>
      checkAlertmanagerWiring({ config: { ...config, templates: ['/etc/alertmanager/*.tmpl'] }, templates }),
    ).toThrow(/templates must include/);
  });
});
