import type { EnvironmentSpec } from '../spec/environments.js';
import { platform } from '../spec/repository.js';
import { HEALTH_GATE_LABEL } from './argocd.js';
import { type KubeObject, meta } from './object.js';

const argocdLabels = { 'app.kubernetes.io/part-of': 'argocd' };

/**
 * Argo CD only waits for a child Application's health in app-of-apps sync waves when it knows how to assess it;
 * this restores the check Argo CD 1.8 removed (docs/operator-manual/health.md at v3.3), so operators really are
 * healthy before the waves after them. An Application labelled `runway.dev/health-gate: none` (the cluster config
 * and each environment's app-of-apps) reports Healthy to its parent, so no wave and no parent waits on it.
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
  `if obj.metadata ~= nil and obj.metadata.labels ~= nil and obj.metadata.labels["${HEALTH_GATE_LABEL}"] == "none" then`,
  // tostring: an Application whose status.health has no status yet would make `..` fail the whole script.
  '  hs.message = "not gated; its own health: " .. tostring(hs.status)',
  '  hs.status = "Healthy"',
  'end',
  'return hs',
  '',
].join('\n');

/** A CloudNativePG cluster is healthy once the operator says so; the app's PreSync migration waits for it. */
const CNPG_CLUSTER_HEALTH = [
  'hs = { status = "Progressing", message = "waiting for the database" }',
  'if obj.status ~= nil and obj.status.phase ~= nil then',
  '  hs.message = obj.status.phase',
  '  if obj.status.phase == "Cluster in healthy state" then',
  '    hs.status = "Healthy"',
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
    // Decision 6: git changes reach the cluster within a minute even without the webhook. The controller reads both
    // at start only, so `runway up` applies this whole ConfigMap before Argo CD starts (one field manager).
    'timeout.reconciliation': '60s',
    'timeout.reconciliation.jitter': '0s',
    'application.resourceTrackingMethod': 'annotation',
    'resource.customizations.health.argoproj.io_Application': APPLICATION_HEALTH,
    'resource.customizations.health.postgresql.cnpg.io_Cluster': CNPG_CLUSTER_HEALTH,
    'exec.enabled': 'false',
    'admin.enabled': 'true',
  },
});

/**
 * Who may do what, per environment (Argo CD project = `links-<env>`). Syncs happen by themselves from git; a manual
 * sync, and even more an override (sync with parameters or manifests not in git), bypasses review, so both narrow as
 * an environment gets closer to users:
 * - dev: developers sync, override and drive the rollout (promote, abort, retry);
 * - staging: release managers sync and drive the rollout;
 * - prod: nobody syncs by hand; release managers may only abort a canary; platform admins are the break-glass role.
 */
export const argocdRbacCm = (environments: readonly EnvironmentSpec[]): KubeObject => {
  const project = (name: string) => environments.find((env) => env.name === name)?.namespace ?? name;
  const readAll = (role: string) => [
    `p, ${role}, applications, get, */*, allow`,
    `p, ${role}, logs, get, */*, allow`,
  ];
  const drive = (role: string, env: string) => [
    `p, ${role}, applications, sync, ${project(env)}/*, allow`,
    `p, ${role}, applications, action/argoproj.io/Rollout/*, ${project(env)}/*, allow`,
  ];
  const lines = [
    ...readAll('role:developer'),
    ...drive('role:developer', 'dev'),
    `p, role:developer, applications, override, ${project('dev')}/*, allow`,
    ...readAll('role:release-manager'),
    ...drive('role:release-manager', 'dev'),
    ...drive('role:release-manager', 'staging'),
    `p, role:release-manager, applications, action/argoproj.io/Rollout/abort, ${project('prod')}/*, allow`,
    'p, role:platform-admin, *, *, */*, allow',
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
