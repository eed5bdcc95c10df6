import { stringify } from 'yaml';
import {
  ARGOCD_NAMESPACE,
  ARGOCD_NODE_PORT,
  RECONCILIATION_TIMEOUT,
  ROOT_APP_NAME,
  ROOT_APP_PATH,
} from './settings.js';

/** The Kubernetes objects `runway up` applies itself (everything else comes from git through Argo CD). */
export type Manifest = Readonly<Record<string, unknown>>;

export const toYaml = (manifests: readonly Manifest[]): string =>
  manifests.map((manifest) => stringify(manifest, { lineWidth: 0 })).join('---\n');

export const namespace = (name: string): Manifest => ({
  apiVersion: 'v1',
  kind: 'Namespace',
  metadata: { name },
});

/**
 * Argo CD reads `timeout.reconciliation` at start-up, so this ConfigMap is applied before Argo CD itself; jitter is
 * zeroed because it is added on top of the timeout and would push the worst case past 60 s.
 */
export const argocdConfig = (): Manifest => ({
  apiVersion: 'v1',
  kind: 'ConfigMap',
  metadata: { name: 'argocd-cm', namespace: ARGOCD_NAMESPACE },
  data: { 'timeout.reconciliation': RECONCILIATION_TIMEOUT, 'timeout.reconciliation.jitter': '0s' },
});

export interface GitHubRepository {
  readonly owner: string;
  readonly name: string;
}

export const gitHubRepository = (url: string): GitHubRepository | undefined => {
  const match = /github\.com[/:]([^/]+)\/([^/]+?)(?:\.git)?\/?$/.exec(url);
  return match?.[1] && match[2] ? { owner: match[1], name: match[2] } : undefined;
};

/**
 * DESIGN decision 6: an aborted canary degrades the env's Application; Argo CD Notifications turns that into a GitHub
 * `repository_dispatch`, and the rollback workflow moves the release pointer back in git.
 */
export const notificationsConfig = (repository: GitHubRepository): Manifest => ({
  apiVersion: 'v1',
  kind: 'ConfigMap',
  metadata: { name: 'argocd-notifications-cm', namespace: ARGOCD_NAMESPACE },
  data: {
    'service.webhook.github-dispatch': stringify({
      url: `https://api.github.com/repos/${repository.owner}/${repository.name}/dispatches`,
      headers: [
        { name: 'Authorization', value: 'Bearer $github-token' },
        { name: 'Accept', value: 'application/vnd.github+json' },
      ],
    }),
    'trigger.on-rollout-aborted': stringify([
      {
        when: "app.status.health.status == 'Degraded'",
        oncePer: 'app.status.sync.revision',
        send: ['rollout-aborted'],
      },
    ]),
    'template.rollout-aborted': stringify({
      webhook: {
        'github-dispatch': {
          method: 'POST',
          body: '{"event_type":"rollout-aborted","client_payload":{"application":"{{.app.metadata.name}}","namespace":"{{.app.spec.destination.namespace}}","revision":"{{.app.status.sync.revision}}"}}',
        },
      },
    }),
    subscriptions: stringify([{ recipients: ['github-dispatch'], triggers: ['on-rollout-aborted'] }]),
  },
});

/** The token is read from the environment and passed on stdin, never on a command line. */
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

export interface RootOptions {
  readonly repoUrl: string;
  readonly revision: string;
  /** Children that read this repository: `runway up` points them at the same repo/revision and may set the local image. */
  readonly overriddenChildren: readonly string[];
}

/**
 * The app of apps. The fields `runway up` sets on children (source repo, revision, local image) are ignored in the
 * diff and kept on sync, so self-heal does not undo the local override while everything else stays under git.
 */
export const rootApplication = (options: RootOptions): Manifest => ({
  apiVersion: 'argoproj.io/v1alpha1',
  kind: 'Application',
  metadata: {
    name: ROOT_APP_NAME,
    namespace: ARGOCD_NAMESPACE,
    finalizers: ['resources-finalizer.argocd.argoproj.io'],
  },
  spec: {
    project: 'default',
    source: {
      repoURL: options.repoUrl,
      targetRevision: options.revision,
      path: ROOT_APP_PATH,
      directory: { recurse: true },
    },
    destination: { server: 'https://kubernetes.default.svc', namespace: ARGOCD_NAMESPACE },
    syncPolicy: {
      automated: { prune: true, selfHeal: true },
      syncOptions: ['RespectIgnoreDifferences=true'],
    },
    ignoreDifferences: options.overriddenChildren.map((name) => ({
      group: 'argoproj.io',
      kind: 'Application',
      name,
      namespace: ARGOCD_NAMESPACE,
      jsonPointers: ['/spec/source/repoURL', '/spec/source/targetRevision', '/spec/source/kustomize'],
    })),
  },
});

export interface ChildOverride {
  readonly repoUrl: string;
  readonly revision: string;
  /** `old=new@digest` kustomize image substitutions (the local build in the local env). */
  readonly images?: readonly string[];
}

/** The merge patch `runway up` puts on a child Application; the release pointer in git is left untouched. */
export const childOverridePatch = (override: ChildOverride): string =>
  JSON.stringify({
    spec: {
      source: {
        repoURL: override.repoUrl,
        targetRevision: override.revision,
        ...(override.images ? { kustomize: { images: override.images } } : {}),
      },
    },
  });
