import type { EnvironmentSpec } from '../spec/environments.js';
import { platform, repository } from '../spec/repository.js';
import { ROLLOUT_ABORTED_TRIGGER } from './argocd.js';
import { type KubeObject, meta } from './object.js';

const argocdLabels = { 'app.kubernetes.io/part-of': 'argocd' };

/**
 * Argo CD only waits for a child Application's health in app-of-apps sync waves when it knows how to assess it;
 * this restores the check Argo CD 1.8 removed, so operators really are healthy before the apps that need them.
 */
const APPLICATION_HEALTH = [
  'hs = {}',
  'hs.status = "Progressing"',
  'hs.message = ""',
  'if obj.status ~= nil and obj.status.health ~= nil then',
  '  hs.status = obj.status.health.status',
  '  if obj.status.health.message ~= nil then',
  '    hs.message = obj.status.health.message',
  '  end',
  'end',
  'return hs',
  '',
].join('\n');

export const argocdCm = (): KubeObject => ({
  apiVersion: 'v1',
  kind: 'ConfigMap',
  metadata: meta('argocd-cm', platform.argocdNamespace, argocdLabels),
  data: {
    // Decision 6: git changes reach the cluster within a minute even without the webhook.
    'timeout.reconciliation': '60s',
    'application.resourceTrackingMethod': 'annotation',
    'resource.customizations.health.argoproj.io_Application': APPLICATION_HEALTH,
    'exec.enabled': 'false',
    'admin.enabled': 'true',
  },
});

/**
 * Who may do what, per environment (project = `links-<env>`). Syncs normally happen by themselves from git; a
 * manual sync or an override (sync with local changes) bypasses review, so it is narrowed as the env gets closer
 * to users. Rollout actions (abort, retry, promote) are the on-call's tools.
 */
export const argocdRbacCm = (environments: readonly EnvironmentSpec[]): KubeObject => {
  const project = (name: string) => environments.find((env) => env.name === name)?.namespace ?? name;
  const lines = [
    'p, role:developer, applications, get, */*, allow',
    'p, role:developer, logs, get, */*, allow',
    `p, role:developer, applications, sync, ${project('dev')}/*, allow`,
    `p, role:developer, applications, action/argoproj.io/Rollout/*, ${project('dev')}/*, allow`,
    'p, role:release-manager, applications, get, */*, allow',
    'p, role:release-manager, logs, get, */*, allow',
    ...['dev', 'staging'].flatMap((env) => [
      `p, role:release-manager, applications, sync, ${project(env)}/*, allow`,
      `p, role:release-manager, applications, action/argoproj.io/Rollout/*, ${project(env)}/*, allow`,
    ]),
    `p, role:release-manager, applications, action/argoproj.io/Rollout/abort, ${project('prod')}/*, allow`,
    'p, role:platform-admin, *, *, */*, allow',
    ...environments.map((env) => `p, role:platform-admin, applications, override, ${env.namespace}/*, allow`),
    'g, runway-dev:developers, role:developer',
    'g, runway-dev:release-managers, role:release-manager',
    'g, runway-dev:platform, role:platform-admin',
    '',
  ];
  return {
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: meta('argocd-rbac-cm', platform.argocdNamespace, argocdLabels),
    data: { 'policy.default': 'role:readonly', 'policy.csv': lines.join('\n'), scopes: '[groups]' },
  };
};

const DISPATCH_BODY = JSON.stringify({
  event_type: 'rollout-aborted',
  client_payload: {
    env: '{{.app.metadata.labels.env}}',
    application: '{{.app.metadata.name}}',
    revision: '{{.app.status.sync.revision}}',
    message: '{{.app.status.health.message}}',
  },
});

/**
 * An aborted canary leaves the Rollout Degraded; tell GitHub (repository_dispatch `rollout-aborted`) so the
 * rollback workflow moves the release pointer back. The token lives in argocd-notifications-secret, never in git.
 */
export const argocdNotificationsCm = (): KubeObject => ({
  apiVersion: 'v1',
  kind: 'ConfigMap',
  metadata: meta('argocd-notifications-cm', platform.argocdNamespace, argocdLabels),
  data: {
    'service.webhook.github': [
      'url: https://api.github.com',
      'headers:',
      '  - name: Authorization',
      '    value: Bearer $github-token',
      '  - name: Accept',
      '    value: application/vnd.github+json',
      '',
    ].join('\n'),
    'template.rollout-aborted': [
      'webhook:',
      '  github:',
      '    method: POST',
      `    path: /repos/${repository.slug}/dispatches`,
      `    body: '${DISPATCH_BODY}'`,
      '',
    ].join('\n'),
    [`trigger.${ROLLOUT_ABORTED_TRIGGER}`]: [
      "- when: app.status.health.status == 'Degraded'",
      '  oncePer: app.status.sync.revision',
      '  send: [rollout-aborted]',
      '',
    ].join('\n'),
  },
});
