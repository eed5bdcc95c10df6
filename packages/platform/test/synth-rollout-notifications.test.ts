import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { environments } from '../src/spec/environments.js';
import type { KubeObject } from '../src/synth/object.js';
import {
  dispatchBody,
  ENVIRONMENT_ANNOTATION,
  PAYLOAD_FIELDS,
  rolloutNotificationAnnotations,
  rolloutNotificationsConfigMap,
} from '../src/synth/rollout-notifications.js';

/**
 * The webhook body is a Go text/template with sprig (notifications-engine 7a069766e954 pkg/services/webhook.go),
 * which escapes nothing. A body is JSON-safe only if its whole output comes from one `toJson`: no literal text
 * around the action, one action, piped last to toJson. Returns what breaks that, empty when nothing does.
 */
const jsonSafetyFindings = (body: string): string[] => {
  const actions = [...body.matchAll(/\{\{(.*?)\}\}/gs)];
  const findings: string[] = [];
  if (actions.length !== 1) findings.push(`${actions.length} template actions, expected exactly one`);
  const outside = body.replaceAll(/\{\{.*?\}\}/gs, '').trim();
  if (outside !== '') findings.push(`literal text around the action: ${outside.slice(0, 40)}`);
  for (const [, action] of actions) {
    if (!/\|\s*toJson\s*$/.test(action ?? '')) findings.push(`action not piped to toJson: ${action?.trim()}`);
  }
  return findings;
};

const data = rolloutNotificationsConfigMap().data as Record<string, string>;
const webhookOf = (eventType: string) =>
  parse(data[`template.${eventType}`] as string) as {
    webhook: { github: { method: string; path: string; body: string } };
  };

describe('release signals from the Rollout (Argo Rollouts v1.8.3 notifications)', () => {
  it('lives where the controller reads it: argo-rollouts-notification-configmap in its namespace', () => {
    const configMap: KubeObject = rolloutNotificationsConfigMap();
    expect(configMap.metadata).toMatchObject({
      name: 'argo-rollouts-notification-configmap',
      namespace: 'argo-rollouts',
    });
    expect(data['trigger.on-rollout-completed']).toBe('- send: [rollout-completed]\n');
    expect(data['trigger.on-rollout-aborted']).toBe('- send: [rollout-aborted]\n');
    expect(parse(data['service.webhook.github'] as string)).toMatchObject({ url: 'https://api.github.com' });
  });

  it('sends each signal as a repository_dispatch whose whole body is one toJson (defect 10)', () => {
    for (const eventType of ['rollout-completed', 'rollout-aborted']) {
      const { method, path, body } = webhookOf(eventType).webhook.github;
      expect([method, path]).toEqual(['POST', '/repos/runway-dev/runway/dispatches']);
      expect(body).toBe(dispatchBody(eventType));
      expect(jsonSafetyFindings(body)).toEqual([]);
      expect(body).toContain(`dict "event_type" "${eventType}" "client_payload" (dict `);
    }
  });

  it('finds the old, hand-written JSON body unsafe (a message with a quote broke it)', () => {
    const old =
      '{"event_type":"rollout-aborted","client_payload":{"env":"{{.app.metadata.labels.env}}","message":"{{.app.status.health.message}}"}}';
    expect(jsonSafetyFindings(old)).toEqual([
      '2 template actions, expected exactly one',
      'literal text around the action: {"event_type":"rollout-aborted","client_',
      'action not piped to toJson: .app.metadata.labels.env',
      'action not piped to toJson: .app.status.health.message',
    ]);
  });

  it('names the environment, the digest and the time of the event, from the Rollout itself', () => {
    // Every interpolated field, asserted: each reads the Rollout (.rollout) or the clock, nothing else.
    expect(PAYLOAD_FIELDS).toEqual({
      env: '(index .rollout.metadata.annotations "runway.dev/environment")',
      digest: '(splitList "@" (index .rollout.spec.template.spec.containers 0).image | last)',
      at: '(dateInZone "2006-01-02T15:04:05Z07:00" now "UTC")',
      phase: '(.rollout.status.phase | default "")',
      message: '(.rollout.status.message | default "")',
    });
    const body = dispatchBody('rollout-completed');
    for (const expression of Object.values(PAYLOAD_FIELDS)) expect(body).toContain(expression);
  });

  it('subscribes every environment’s Rollout to both signals with a recipient, and names its environment', () => {
    for (const env of environments) {
      const annotations = rolloutNotificationAnnotations(env);
      expect(annotations[ENVIRONMENT_ANNOTATION]).toBe(env.name);
      for (const trigger of ['on-rollout-completed', 'on-rollout-aborted']) {
        // notifications-engine drops an empty recipient, so '' would subscribe nobody.
        expect(annotations[`notifications.argoproj.io/subscribe.${trigger}.github`]).toMatch(/\S/);
      }
    }
  });
});
