import { type Document, parseAllDocuments, stringify } from 'yaml';
import { GATEWAY_NODE_PORT } from './settings.js';

/**
 * What differs on kind from the cloud, applied to the snapshot only (the committed deploy/ stays cloud-correct):
 * the gateway is reached through a fixed NodePort, metrics-server cannot verify kind's self-signed kubelet
 * certificates, and there is no AWS Secrets Manager for Alertmanager's Slack webhooks.
 */
export const GATEWAY_CLASS_PATH = 'deploy/platform/gatewayclass-envoy.yaml';
export const ENVOY_PROXY_PATH = 'deploy/platform/envoyproxy-kind-nodeport.yaml';
export const METRICS_SERVER_PATH = 'deploy/argocd/apps/application-metrics-server.yaml';
export const SLACK_SECRET_PATH = 'deploy/platform/externalsecret-alertmanager-slack.yaml';

const ENVOY_PROXY_NAME = 'kind-nodeport';
/** The Gateway's namespace, created by the platform config, so the EnvoyProxy needs no namespace of its own. */
const ENVOY_PROXY_NAMESPACE = 'gateway';
/** Gateway listener port, which Envoy Gateway also uses as its Service port. */
const GATEWAY_LISTENER_PORT = 80;
/** Nothing listens on the discard port: a notification fails at once inside the Alertmanager pod. */
const PLACEHOLDER_WEBHOOK = 'http://127.0.0.1:9/';

type Files = ReadonlyMap<string, string>;

const HEADER = '# Written by `runway up` into its local snapshot; not in the repository.\n';

/** Envoy's Service as a NodePort on 30080 (kind maps it to localhost:8000), reachable through any node. */
export const envoyProxy = (): Record<string, unknown> => ({
  apiVersion: 'gateway.envoyproxy.io/v1alpha1',
  kind: 'EnvoyProxy',
  metadata: { name: ENVOY_PROXY_NAME, namespace: ENVOY_PROXY_NAMESPACE },
  spec: {
    provider: {
      type: 'Kubernetes',
      kubernetes: {
        envoyService: {
          type: 'NodePort',
          patch: {
            type: 'StrategicMerge',
            value: {
              spec: {
                // Envoy Gateway defaults to Local, which drops traffic reaching the control plane (where kind maps
                // the port) when no Envoy pod runs there.
                externalTrafficPolicy: 'Cluster',
                ports: [{ port: GATEWAY_LISTENER_PORT, nodePort: GATEWAY_NODE_PORT }],
              },
            },
          },
        },
      },
    },
  },
});

const slackPlaceholderSecret = (name: string, namespace: string, keys: readonly string[]) => ({
  apiVersion: 'v1',
  kind: 'Secret',
  metadata: { name, namespace },
  type: 'Opaque',
  stringData: Object.fromEntries(keys.map((key) => [key, PLACEHOLDER_WEBHOOK])),
});

const editDocuments = (content: string, edit: (doc: Document) => boolean): string | undefined => {
  const docs = parseAllDocuments(content);
  const changed = docs.map(edit).some(Boolean);
  return changed ? docs.map((doc) => doc.toString()).join('---\n') : undefined;
};

const withGatewayParameters = (content: string): string | undefined =>
  editDocuments(content, (doc) => {
    if (doc.get('kind') !== 'GatewayClass') return false;
    doc.setIn(['spec', 'parametersRef'], {
      group: 'gateway.envoyproxy.io',
      kind: 'EnvoyProxy',
      name: ENVOY_PROXY_NAME,
      namespace: ENVOY_PROXY_NAMESPACE,
    });
    return true;
  });

const withInsecureKubeletTls = (content: string): string | undefined =>
  editDocuments(content, (doc) => {
    if (doc.get('kind') !== 'Application') return false;
    // kind's kubelets serve self-signed certificates that metrics-server cannot verify.
    doc.setIn(['spec', 'source', 'helm', 'valuesObject', 'args'], ['--kubelet-insecure-tls']);
    return true;
  });

/** The ExternalSecret's target and keys, kept; only the values become placeholders. */
const slackPlaceholder = (content: string): string | undefined => {
  const doc = parseAllDocuments(content).find((candidate) => candidate.get('kind') === 'ExternalSecret');
  if (!doc) return undefined;
  const spec = doc.toJSON().spec as { target?: { name?: string }; data?: { secretKey: string }[] };
  const namespace = doc.getIn(['metadata', 'namespace']);
  if (!spec.target?.name || typeof namespace !== 'string') return undefined;
  return `${HEADER}${stringify(
    slackPlaceholderSecret(
      spec.target.name,
      namespace,
      (spec.data ?? []).map((entry) => entry.secretKey),
    ),
  )}`;
};

/** The snapshot's files that differ on kind, by path (new files included); absent inputs are skipped. */
export const kindOverrides = (files: Files): Map<string, string> => {
  const changed = new Map<string, string>();
  const rewrite = (path: string, edit: (content: string) => string | undefined): boolean => {
    const content = files.get(path);
    const edited = content === undefined ? undefined : edit(content);
    if (edited !== undefined) changed.set(path, edited);
    return edited !== undefined;
  };
  if (rewrite(GATEWAY_CLASS_PATH, withGatewayParameters))
    changed.set(ENVOY_PROXY_PATH, `${HEADER}${stringify(envoyProxy())}`);
  rewrite(METRICS_SERVER_PATH, withInsecureKubeletTls);
  rewrite(SLACK_SECRET_PATH, slackPlaceholder);
  return changed;
};
