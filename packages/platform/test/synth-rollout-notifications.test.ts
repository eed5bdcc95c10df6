import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { environments } from '../src/spec/environments.js';
import type { KubeObject } from '../src/synth/object.js';
import {
  COMPLETED_WHEN,
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
    expect(parse(data['trigger.on-rollout-completed'] as string)).toEqual([
      { when: COMPLETED_WHEN, send: ['rollout-completed'] },
    ]);
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

  it('names the environment, the digest, the time and the newest analysis run’s phase and message', () => {
    // Every interpolated field, asserted: each reads the Rollout (.rollout), its analysis runs or the clock.
    // Not the Rollout's status.phase/message: the event is recorded on the Rollout before its new condition.
    expect(PAYLOAD_FIELDS).toEqual({
      env: '(index .rollout.metadata.annotations "runway.dev/environment")',
      digest: '(splitList "@" (index .rollout.spec.template.spec.containers 0).image | last)',
      at: '(dateInZone "2006-01-02T15:04:05Z07:00" now "UTC")',
      analysis: '(dig "status" "phase" "" (first (.analysisRuns | default list) | default dict))',
      message: '(dig "status" "message" "" (first (.analysisRuns | default list) | default dict))',
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

/**
 * An approximation of antonmedv/expr v1.15.5 for the operators the trigger condition uses (&&, ==, !=, >=, >,
 * indexing, member access, `len`, `filter` with `#` closures), so the condition can be run against the
 * AnalysisRuns each kind of completion leaves (argo-rollouts v1.8.3). Member access on nil is nil, as in expr on
 * maps; the translation refuses any other syntax so the model cannot silently drift from the condition.
 */
const evaluateCondition = (condition: string, vars: { analysisRuns: unknown; rollout: unknown }): boolean => {
  const js = condition
    .replaceAll(/\{#/g, '((item) => item')
    .replaceAll('}', ')')
    .replaceAll('#', 'item')
    .replaceAll(/\.(?=[a-z])/g, '?.')
    .replaceAll(/\bnil\b/g, 'null')
    .replaceAll(/\[0\]/g, '?.[0]');
  if (/[^\w\s.?()[\]'=!&<>,+-]/.test(js.replaceAll('=>', ''))) throw new Error(`untranslated syntax: ${js}`);
  const len = (value: unknown[] | null | undefined) => value?.length ?? 0;
  const filter = (value: unknown[] | null | undefined, keep: (item: unknown) => boolean) =>
    (value ?? []).filter(keep);
  return new Function('len', 'filter', 'analysisRuns', 'rollout', `return (${js});`)(
    len,
    filter,
    vars.analysisRuns,
    vars.rollout,
  ) as boolean;
};

describe('the completion signal fires only for a canary whose analyses succeeded (decision 19)', () => {
  const rolloutOf = (env: (typeof environments)[number]) => ({
    spec: {
      strategy: {
        canary: {
          steps: env.canary.flatMap((step) => [
            { setWeight: step.weight },
            ...(step.analysis ? [{ analysis: { templates: [{ templateName: 'links' }] } }] : []),
          ]),
        },
      },
    },
  });
  const run = (phase: string, terminate = false) => ({ spec: { terminate }, status: { phase, message: '' } });
  /** AnalysisRuns of the current revision, newest first, as record.go hands them to the condition. */
  const completions = (steps: number) =>
    ({
      'canary, every analysis successful': {
        runs: Array.from({ length: steps }, () => run('Successful')),
        fires: true,
      },
      'initial deploy: no stable ReplicaSet, no analysis (analysisRuns is nil)': { runs: null, fires: false },
      'promote --full before any analysis': { runs: null, fires: false },
      'promote --full during an analysis: the run terminated, still Successful': {
        runs: [run('Successful', true), ...Array.from({ length: steps - 1 }, () => run('Successful'))],
        fires: false,
      },
      'promote --full after the first analysis only': {
        runs: steps > 1 ? [run('Successful')] : [run('Successful', true)],
        fires: false,
      },
      'newest analysis failed (a retried revision)': {
        runs: [run('Failed'), ...Array.from({ length: steps }, () => run('Successful'))],
        fires: false,
      },
    }) as const;

  for (const env of environments) {
    const steps = env.canary.filter((step) => step.analysis).length;
    it(`${env.name}: fires only after all ${steps} analysis step(s) succeeded`, () => {
      expect(steps).toBeGreaterThan(0);
      for (const [name, { runs, fires }] of Object.entries(completions(steps))) {
        expect(evaluateCondition(COMPLETED_WHEN, { analysisRuns: runs, rollout: rolloutOf(env) }), name).toBe(
          fires,
        );
      }
    });
  }

  it('finds the weaker conditions wrong: none, and "any run Successful"', () => {
    const env = environments.find((e) => e.name === 'prod') ?? environments[0];
    if (env === undefined) throw new Error('no environments');
    const steps = env.canary.filter((step) => step.analysis).length;
    const wrong = (condition: string) =>
      Object.entries(completions(steps))
        .filter(
          ([, { runs, fires }]) =>
            evaluateCondition(condition, { analysisRuns: runs, rollout: rolloutOf(env) }) !== fires,
        )
        .map(([name]) => name);
    expect(wrong('true')).toContain(
      'initial deploy: no stable ReplicaSet, no analysis (analysisRuns is nil)',
    );
    expect(
      wrong("analysisRuns != nil && len(filter(analysisRuns, {#.status.phase == 'Successful'})) > 0"),
    ).toEqual([
      'promote --full during an analysis: the run terminated, still Successful',
      'promote --full after the first analysis only',
      'newest analysis failed (a retried revision)',
    ]);
  });
});
