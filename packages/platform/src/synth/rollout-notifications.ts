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
 * Every value a signal carries, as a template expression. None is written into JSON by hand: toJson encodes them.
 * `message` is free text (the Rollout's status message, e.g. the failed metric); the others are constrained, and
 * the workflows check each against a strict pattern anyway.
 */
export const PAYLOAD_FIELDS: Readonly<Record<string, string>> = {
  env: `(index .rollout.metadata.annotations "${ENVIRONMENT_ANNOTATION}")`,
  digest: `(splitList "@" ${IMAGE} | last)`,
  // UTC, RFC 3339: what `runway verify --at` and `runway rollback --at` read.
  at: '(dateInZone "2006-01-02T15:04:05Z07:00" now "UTC")',
  phase: '(.rollout.status.phase | default "")',
  message: '(.rollout.status.message | default "")',
};

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
        [`trigger.${trigger}`, `- send: [${eventType}]\n`],
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
