import { stringify } from 'yaml';
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

/** Argo CD Notifications' GitHub token; read from the environment and passed on stdin, never on a command line. */
export const notificationsSecret = (token: string): Manifest => ({
  apiVersion: 'v1',
  kind: 'Secret',
  metadata: { name: 'argocd-notifications-secret', namespace: ARGOCD_NAMESPACE },
  type: 'Opaque',
  stringData: { 'github-token': token },
});

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
