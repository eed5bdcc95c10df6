import { type Document, parseAllDocuments, stringify } from 'yaml';
import {
  APP_HOSTNAME,
  ENV_NAMESPACE_PREFIX,
  GATEWAY_NODE_PORT,
  LOCAL_ENV,
  LOCAL_ENV_DIR,
} from './settings.js';

/**
 * What differs on kind from the cloud, applied to the snapshot only (the committed deploy/ stays cloud-correct):
 * the gateway is reached through a fixed NodePort, metrics-server cannot verify kind's self-signed kubelet
 * certificates, there is no AWS Secrets Manager for Alertmanager's Slack webhooks, and Let's Encrypt cannot reach
 * a kind cluster to validate a certificate.
 */
export const GATEWAY_CLASS_PATH = 'deploy/platform/gatewayclass-envoy.yaml';
export const ENVOY_PROXY_PATH = 'deploy/platform/envoyproxy-kind-nodeport.yaml';
export const METRICS_SERVER_PATH = 'deploy/argocd/apps/application-metrics-server.yaml';
export const SLACK_SECRET_PATH = 'deploy/platform/externalsecret-alertmanager-slack.yaml';
export const CLUSTER_ISSUER_PATH = 'deploy/platform/clusterissuer-letsencrypt.yaml';
export const GATEWAY_PATH = 'deploy/platform/gateway-runway.yaml';
export const HTTPS_REDIRECT_PATH = 'deploy/platform/httproute-https-redirect.yaml';
export const APP_ROUTE_PATH = `${LOCAL_ENV_DIR}/app/httproute-links.yaml`;

const ENVOY_PROXY_NAME = 'kind-nodeport';
/** The Gateway's namespace, created by the platform config, so the EnvoyProxy needs no namespace of its own. */
const GATEWAY_NAMESPACE = 'gateway';
const ENVOY_PROXY_NAMESPACE = GATEWAY_NAMESPACE;
const GATEWAY_NAME = 'runway';
/** The Gateway's plain-HTTP listener, the one kind maps to localhost:8000. */
const HTTP_LISTENER = 'http';
const LOCAL_NAMESPACE = `${ENV_NAMESPACE_PREFIX}${LOCAL_ENV}`;
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

/**
 * Same name, so the Gateway's cert-manager annotation still resolves: cert-manager issues every HTTPS listener a
 * self-signed certificate through the same Gateway API path the cloud uses, with no ACME server to reach.
 */
const withSelfSignedIssuer = (content: string): string | undefined =>
  editDocuments(content, (doc) => {
    if (doc.get('kind') !== 'ClusterIssuer') return false;
    doc.set('spec', { selfSigned: {} });
    return true;
  });

/**
 * kind maps only the HTTP NodePort to the host, so locally dev is also served on the HTTP listener (the
 * Gateway admits its namespace there, its route attaches there, and the redirect leaves its hostname out).
 */
const withLocalEnvOnHttp = (content: string): string | undefined =>
  editDocuments(content, (doc) => {
    if (doc.get('kind') !== 'Gateway') return false;
    const listeners = (doc.toJSON() as { spec?: { listeners?: { name: string }[] } }).spec?.listeners ?? [];
    const index = listeners.findIndex((listener) => listener.name === HTTP_LISTENER);
    if (index < 0) return false;
    doc.setIn(['spec', 'listeners', index, 'allowedRoutes'], {
      namespaces: {
        from: 'Selector',
        selector: {
          matchExpressions: [
            {
              key: 'kubernetes.io/metadata.name',
              operator: 'In',
              values: [GATEWAY_NAMESPACE, LOCAL_NAMESPACE],
            },
          ],
        },
      },
    });
    return true;
  });

const withHttpParent = (content: string): string | undefined =>
  editDocuments(content, (doc) => {
    if (doc.get('kind') !== 'HTTPRoute') return false;
    const parents = (doc.toJSON() as { spec?: { parentRefs?: { sectionName?: string }[] } }).spec?.parentRefs;
    if (!parents || parents.some((parent) => parent.sectionName === HTTP_LISTENER)) return false;
    doc.setIn(
      ['spec', 'parentRefs'],
      [...parents, { name: GATEWAY_NAME, namespace: GATEWAY_NAMESPACE, sectionName: HTTP_LISTENER }],
    );
    return true;
  });

const withoutLocalHostname = (content: string): string | undefined =>
  editDocuments(content, (doc) => {
    if (doc.get('kind') !== 'HTTPRoute') return false;
    const hostnames = (doc.toJSON() as { spec?: { hostnames?: string[] } }).spec?.hostnames ?? [];
    if (!hostnames.includes(APP_HOSTNAME)) return false;
    doc.setIn(
      ['spec', 'hostnames'],
      hostnames.filter((hostname) => hostname !== APP_HOSTNAME),
    );
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
  rewrite(CLUSTER_ISSUER_PATH, withSelfSignedIssuer);
  rewrite(GATEWAY_PATH, withLocalEnvOnHttp);
  rewrite(APP_ROUTE_PATH, withHttpParent);
  rewrite(HTTPS_REDIRECT_PATH, withoutLocalHostname);
  return changed;
};
