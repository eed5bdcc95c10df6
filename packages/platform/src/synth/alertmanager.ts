import { RunwayError } from '../errors.js';
import type { ClusterSpec } from '../spec/clusters.js';
import { platform } from '../spec/repository.js';
import { type KubeObject, meta } from './object.js';
import { fromSecretsManager } from './secrets.js';

/** The Secret holding the Slack webhook URLs; observability/alertmanager/alertmanager.yaml reads its keys as files. */
export const SLACK_SECRET_NAME = 'alertmanager-slack';
export const SLACK_SECRET_KEYS = ['paging-webhook-url', 'alerts-webhook-url'] as const;
/** Where the Prometheus Operator mounts each Secret named in `alertmanagerSpec.secrets`. */
export const SLACK_SECRET_MOUNT = `/etc/alertmanager/secrets/${SLACK_SECRET_NAME}`;
/** Where kube-prometheus-stack puts `alertmanager.templateFiles` (beside alertmanager.yaml in the config Secret). */
export const TEMPLATES_GLOB = '/etc/alertmanager/config/*.tmpl';
/** Secrets Manager entry (JSON with SLACK_SECRET_KEYS) per cluster; created out of band, docs/secrets.md. */
export const slackSecretRemoteKey = (cluster: ClusterSpec): string =>
  `runway/${cluster.name}/alertmanager-slack`;

/** What observability/alertmanager provides: the config as parsed YAML, and the templates by file name. */
export interface AlertmanagerInputs {
  readonly config: Readonly<Record<string, unknown>>;
  readonly templates: ReadonlyMap<string, string>;
}

const apiUrlFiles = (config: Readonly<Record<string, unknown>>): string[] => {
  const receivers = Array.isArray(config.receivers) ? (config.receivers as unknown[]) : [];
  return receivers.flatMap((receiver) => {
    const slack = (receiver as { slack_configs?: unknown }).slack_configs;
    return (Array.isArray(slack) ? slack : []).map(
      (entry) => (entry as { api_url_file?: unknown }).api_url_file,
    );
  }) as string[];
};

const mountedFiles = new Set(SLACK_SECRET_KEYS.map((key) => `${SLACK_SECRET_MOUNT}/${key}`));

/**
 * Refuses a config the cluster could not run: a Slack receiver reading a file the mounted Secret does not have (or
 * an inline `api_url`, which would put the webhook in git), or templates looked for where they are not mounted.
 */
export const checkAlertmanagerWiring = (inputs: AlertmanagerInputs): void => {
  const files = apiUrlFiles(inputs.config);
  const unmounted = files.filter((file) => typeof file !== 'string' || !mountedFiles.has(file));
  if (files.length === 0 || unmounted.length > 0) {
    throw new RunwayError(
      'SYNTH_INPUT_INVALID',
      `observability/alertmanager/alertmanager.yaml: every Slack receiver must read api_url_file from ${SLACK_SECRET_MOUNT}/{${SLACK_SECRET_KEYS.join(',')}}; not mounted: ${unmounted.map(String).join(', ') || '(no Slack receiver)'}`,
    );
  }
  const templates = inputs.config.templates;
  if (inputs.templates.size > 0 && !(Array.isArray(templates) && templates.includes(TEMPLATES_GLOB))) {
    throw new RunwayError(
      'SYNTH_INPUT_INVALID',
      `observability/alertmanager/alertmanager.yaml: templates must include ${TEMPLATES_GLOB}, where the chart mounts templates/*.tmpl`,
    );
  }
};

/**
 * kube-prometheus-stack's `alertmanager` values. The config sets every top-level key of the chart's default config
 * (global, route, receivers, inhibit_rules, templates), so Helm's merge with the defaults leaves exactly this file.
 */
export const alertmanagerValues = (inputs: AlertmanagerInputs): Record<string, unknown> => {
  checkAlertmanagerWiring(inputs);
  return {
    config: inputs.config,
    templateFiles: Object.fromEntries([...inputs.templates].sort(([a], [b]) => a.localeCompare(b))),
    alertmanagerSpec: { secrets: [SLACK_SECRET_NAME] },
  };
};

/** The webhook URLs from AWS Secrets Manager; the value never passes through git. */
export const slackWebhookSecret = (cluster: ClusterSpec): KubeObject =>
  fromSecretsManager(
    SLACK_SECRET_NAME,
    platform.monitoringNamespace,
    SLACK_SECRET_KEYS.map((key) => ({
      secretKey: key,
      remoteRef: { key: slackSecretRemoteKey(cluster), property: key },
    })),
  );

/** Nothing listens on the discard port: on kind a notification fails at once inside the Alertmanager pod. */
const PLACEHOLDER_WEBHOOK = 'http://127.0.0.1:9/';

/** kind has no secret store: the same Secret with placeholder URLs, so Alertmanager starts and its routing runs. */
export const slackPlaceholderSecret = (): KubeObject => ({
  apiVersion: 'v1',
  kind: 'Secret',
  metadata: meta(SLACK_SECRET_NAME, platform.monitoringNamespace),
  type: 'Opaque',
  stringData: Object.fromEntries(SLACK_SECRET_KEYS.map((key) => [key, PLACEHOLDER_WEBHOOK])),
});
