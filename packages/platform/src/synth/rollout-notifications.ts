import type { EnvironmentSpec } from '../spec/environments.js';
import { repository } from '../spec/repository.js';
import { type KubeObject, meta } from './object.js';

/**
 * The release signals of decision 19, carried by Argo Rollouts' own notifications (Argo Rollouts v1.8.3, the
 * app version of chart argo-rollouts 2.40.2):
 * - the controller turns its event reasons into triggers, `RolloutCompleted` → `on-rollout-completed` and
 *   `RolloutAborted` → `on-rollout-aborted` (utils/record/record.go `translateReasonToTrigger`; the reasons in
 *   utils/conditions/conditions.go), and sends while it records the event, so the time of sending is the time of
 *   the completion or abort;
 * - it reads the ConfigMap `argo-rollouts-notification-configmap` and the Secret `argo-rollouts-notification-secret`
 *   in its own namespace (record.go `NotificationConfigMap`, `NotificationSecret`);
 * - a Rollout subscribes with the annotation `notifications.argoproj.io/subscribe.<trigger>.<service>`
 *   (docs/features/notifications.md);
 * - a template sees `.rollout` (the Rollout as a map), `.analysisRuns`, `.time` and `.secrets` (record.go
 *   `NewAPIFactorySettings`).
 * The webhook body is rendered with Go's text/template and sprig's TxtFuncMap (notifications-engine
 * 7a069766e954, pkg/services/webhook.go and pkg/templates/service.go), which escapes nothing: a quote or a newline
 * in a value breaks hand-written JSON. So each body is one action, a `dict` piped to sprig's `toJson`: the JSON
 * comes from Go's encoder whatever the values hold.
 */

/** Where the controller reads its notification settings: its own namespace (the add-on's). */
export const ROLLOUTS_NAMESPACE = 'argo-rollouts';
export const NOTIFICATION_CONFIGMAP = 'argo-rollouts-notification-configmap';
export const NOTIFICATION_SECRET = 'argo-rollouts-notification-secret';
/** The key of the GitHub token in NOTIFICATION_SECRET; `$github-token` in the service refers to it. */
export const GITHUB_TOKEN_KEY = 'github-token';
/** The Rollout's annotation that names its environment in every signal. */
export const ENVIRONMENT_ANNOTATION = 'runway.dev/environment';

/** The signals: the Rollout's trigger and the repository_dispatch event type the workflows listen to. */
export const SIGNALS = [
  { trigger: 'on-rollout-completed', eventType: 'rollout-completed' },
  { trigger: 'on-rollout-aborted', eventType: 'rollout-aborted' },
] as const;

const SERVICE = 'github';
/** The first container's image, `<repository>@sha256:…`: the digest is what follows the `@`. */
const IMAGE = '(index .rollout.spec.template.spec.containers 0).image';

/**
 * The newest AnalysisRun of the Rollout's current revision, or an empty map when none ran. `.analysisRuns` holds the
 * runs labelled with the current pod hash and revision, newest first, or is nil when there are none
 * (argo-rollouts v1.8.3 utils/record/record.go `getAnalysisRunsFilterWithLabels`).
 */
const NEWEST_RUN = '(first (.analysisRuns | default list) | default dict)';

/**
 * Every value a signal carries, as a template expression. None is written into JSON by hand: toJson encodes them.
 * `analysis` is the newest AnalysisRun's phase ('' when none ran): `runway verify` requires `Successful`.
 * `message` is that run's free-text message (e.g. the failed metric), the reason of a rollback. The Rollout's own
 * `status.phase` and `status.message` are not sent: the controller records the event on the Rollout as it was
 * before the new condition (rollout/sync.go), so they describe the previous state.
 */
export const PAYLOAD_FIELDS: Readonly<Record<string, string>> = {
  env: `(index .rollout.metadata.annotations "${ENVIRONMENT_ANNOTATION}")`,
  digest: `(splitList "@" ${IMAGE} | last)`,
  // UTC, RFC 3339: what `runway verify --at` and `runway rollback --at` read.
  at: '(dateInZone "2006-01-02T15:04:05Z07:00" now "UTC")',
  analysis: `(dig "status" "phase" "" ${NEWEST_RUN})`,
  message: `(dig "status" "message" "" ${NEWEST_RUN})`,
};

/**
 * When a completion is a verified canary (decision 19: "with its analysis successful"). Argo Rollouts v1.8.3
 * emits RolloutCompleted whenever the stable ReplicaSet changes (rollout/sync.go, via canary.go), also on the
 * initial deploy (`shouldFullPromote`: no stable ReplicaSet, no steps, no analysis), on `promote --full` (steps
 * skipped; a running analysis is terminated, and a terminated run can still be `Successful`, analysis/analysis.go
 * `assessRunStatus`) and on a rollback within the window. So the trigger fires only when the revision has runs,
 * the newest is Successful, and at least as many runs as the canary has analysis steps ended Successful without
 * being terminated. The condition is an antonmedv/expr v1.15.5 expression (the version argo-rollouts v1.8.3
 * pins); it sees the same `rollout` and `analysisRuns` as the template (notifications-engine pkg/api/api.go).
 */
export const COMPLETED_WHEN = [
  'analysisRuns != nil',
  'len(analysisRuns) > 0',
  "analysisRuns[0].status.phase == 'Successful'",
  "len(filter(analysisRuns, {#.status.phase == 'Successful' && #.spec.terminate != true})) >= len(filter(rollout.spec.strategy.canary.steps, {#.analysis != nil}))",
].join(' && ');

/** The triggers that fire only under a condition. */
const CONDITIONS: Readonly<Record<string, string>> = { 'on-rollout-completed': COMPLETED_WHEN };

/** One template action whose output is toJson's: the whole repository_dispatch body. */
export const dispatchBody = (eventType: string): string => {
  const payload = Object.entries(PAYLOAD_FIELDS)
    .map(([key, expression]) => `"${key}" ${expression}`)
    .join(' ');
  return `{{ dict "event_type" "${eventType}" "client_payload" (dict ${payload}) | toJson }}`;
};

const template = (eventType: string): string =>
  [
    'webhook:',
    `  ${SERVICE}:`,
    '    method: POST',
    `    path: /repos/${repository.slug}/dispatches`,
    `    body: '${dispatchBody(eventType).replaceAll("'", "''")}'`,
    '',
  ].join('\n');

/** A trigger: send the signal's template, under its condition when it has one (YAML: the condition in double quotes). */
const triggerOf = (trigger: string, eventType: string): string => {
  const when = CONDITIONS[trigger];
  return when === undefined
    ? `- send: [${eventType}]\n`
    : `- when: ${JSON.stringify(when)}\n  send: [${eventType}]\n`;
};

/** The controller's notification settings: the GitHub webhook service, one template and trigger per signal. */
export const rolloutNotificationsConfigMap = (): KubeObject => ({
  apiVersion: 'v1',
  kind: 'ConfigMap',
  metadata: meta(NOTIFICATION_CONFIGMAP, ROLLOUTS_NAMESPACE),
  data: {
    [`service.webhook.${SERVICE}`]: [
      'url: https://api.github.com',
      'headers:',
      '  - name: Authorization',
      `    value: Bearer $${GITHUB_TOKEN_KEY}`,
      '  - name: Accept',
      '    value: application/vnd.github+json',
      '',
    ].join('\n'),
    ...Object.fromEntries(
      SIGNALS.flatMap(({ trigger, eventType }) => [
        [`template.${eventType}`, template(eventType)],
        [`trigger.${trigger}`, triggerOf(trigger, eventType)],
      ]),
    ),
  },
});

/**
 * A subscription needs a recipient: notifications-engine drops empty ones, so an annotation with the value ''
 * subscribes nobody (pkg/subscriptions/annotations.go `parseRecipients`, at 7a069766e954). The webhook ignores it.
 */
const RECIPIENT = 'repository-dispatch';

/** The annotations a Rollout of `env` carries: its environment, and its subscription to both signals. */
export const rolloutNotificationAnnotations = (
  env: Pick<EnvironmentSpec, 'name'>,
): Record<string, string> => ({
  [ENVIRONMENT_ANNOTATION]: env.name,
  ...Object.fromEntries(
    SIGNALS.map(({ trigger }) => [`notifications.argoproj.io/subscribe.${trigger}.${SERVICE}`, RECIPIENT]),
  ),
});
