import { stringify } from 'yaml';
import { GITHUB_TOKEN_KEY, NOTIFICATION_SECRET, ROLLOUTS_NAMESPACE } from '../synth/rollout-notifications.js';
import { ARGOCD_NAMESPACE, ARGOCD_NODE_PORT } from './settings.js';

/** The few Kubernetes objects `runway up` applies itself; everything else comes from git through Argo CD. */
export type Manifest = Readonly<Record<string, unknown>>;

export const toYaml = (manifests: readonly Manifest[]): string =>
  manifests.map((manifest) => stringify(manifest, { lineWidth: 0 })).join('---\n');

export const namespace = (name: string): Manifest => ({
  apiVersion: 'v1',
  kind: 'Namespace',
  metadata: { name },
});

/**
 * The GitHub token Argo Rollouts' notifications send the release signals with, where its controller reads it
 * (synth/rollout-notifications.ts); read from the environment and passed on stdin, never on a command line. Its
 * namespace comes with it: the secret is applied before Argo CD installs the add-on that would create it.
 */
export const notificationsSecret = (token: string): Manifest[] => [
  { apiVersion: 'v1', kind: 'Namespace', metadata: { name: ROLLOUTS_NAMESPACE } },
  {
    apiVersion: 'v1',
    kind: 'Secret',
    metadata: { name: NOTIFICATION_SECRET, namespace: ROLLOUTS_NAMESPACE },
    type: 'Opaque',
    stringData: { [GITHUB_TOKEN_KEY]: token },
  },
];

/** Exposes the Argo CD UI on a NodePort that the kind config maps to the host. */
export const argocdServerNodePort = (): Manifest => ({
  apiVersion: 'v1',
  kind: 'Service',
  metadata: { name: 'argocd-server', namespace: ARGOCD_NAMESPACE },
  spec: {
    type: 'NodePort',
    ports: [{ name: 'https', port: 443, protocol: 'TCP', nodePort: ARGOCD_NODE_PORT }],
  },
});
