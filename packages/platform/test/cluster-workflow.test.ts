import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { checkWorkflow } from '../src/policy/workflow.js';
import { runActionlint } from '../src/policy/workflow-actionlint.js';

const PATH = join(import.meta.dirname, '../../../.github/workflows/e2e-kind.yml');

interface Step {
  name?: string;
  uses?: string;
  run?: string;
  if?: string;
  with?: Record<string, unknown>;
}
interface Workflow {
  permissions: Record<string, string>;
  concurrency: { group: string };
  env: Record<string, string>;
  jobs: Record<string, { 'timeout-minutes': number; steps: Step[] }>;
}

/** Shell lines with backslash continuations joined, so one command is one line. */
const logicalLines = (script: string): string[] =>
  script
    .replace(/\\\n\s*/g, ' ')
    .split('\n')
    .map((line) => line.trim());

const WAIT = /\b(kubectl|k)\b.*\swait\s|\brollout status\b|\bargocd app wait\b/;
const UNBOUNDED_LOOP = /^(until|while)\s/;

/** Every wait carries its own --timeout; every polling loop runs under `timeout`. */
const unboundedWaits = (script: string): string[] =>
  logicalLines(script).filter(
    (line) => (WAIT.test(line) && !/--timeout[= ]/.test(line)) || UNBOUNDED_LOOP.test(line),
  );

let text: string;
let workflow: Workflow;
let scripts: string[];

beforeAll(async () => {
  text = await readFile(PATH, 'utf8');
  workflow = parse(text) as Workflow;
  scripts = Object.values(workflow.jobs).flatMap((job) =>
    job.steps.flatMap((step) => (step.run ? [step.run] : [])),
  );
});

describe('e2e-kind.yml', () => {
  it('gives every kubectl/argocd wait a timeout and runs every polling loop under timeout', () => {
    const waits = scripts.flatMap(logicalLines).filter((line) => WAIT.test(line));
    expect(waits.length).toBeGreaterThanOrEqual(5);
    expect(scripts.flatMap(unboundedWaits)).toEqual([]);
    const loops = scripts.flatMap(logicalLines).filter((line) => /\buntil\b/.test(line));
    expect(loops.length).toBeGreaterThan(0);
    expect(loops.every((line) => /^timeout \S+ bash -c /.test(line))).toBe(true);
  });

  it('catches a wait without a timeout (the check above can fail)', () => {
    expect(unboundedWaits('kubectl -n argocd wait application/x --for=create')).toHaveLength(1);
    expect(unboundedWaits('k -n links-dev rollout status rollout/links')).toHaveLength(1);
    expect(unboundedWaits('until curl -fsS http://x; do sleep 1; done')).toHaveLength(1);
    expect(unboundedWaits('k -n argocd wait application/x --for=create --timeout=60s')).toEqual([]);
  });

  it('measures every promise against a bound and fails on a missing or late one', () => {
    const check = workflow.jobs.e2e?.steps.find(
      (step) => step.name === 'every measure present and within its bound',
    );
    for (const measure of [
      'up_to_all_healthy',
      'self_heal',
      'hpa_scale_up',
      'hpa_scale_down',
      'canary_abort',
      'rollback_converged',
    ]) {
      expect(check?.run).toContain(measure);
      expect(scripts.some((script) => script.includes(`record ${measure} `))).toBe(true);
    }
    // runway up's bound is the sum of its plan's step bounds, read from `runway up --dry-run`.
    expect(text).toContain("sed -n 's/^bound of the whole plan: \\([0-9]*\\) s$/\\1/p'");
    expect(text).toContain('timeout "$BOUND_UP" npx runway up');
    expect(workflow.env.BOUND_UP).toBeUndefined();
  });

  it('uploads a diagnostics bundle: Application status and conditions, events, Rollouts and AnalysisRuns, logs', () => {
    const dumps = workflow.jobs.e2e?.steps.find((step) => step.name === 'dumps and logs');
    expect(dumps?.if).toBe('always()');
    for (const part of [
      'applications-status.txt',
      '.status.conditions[*]',
      'events.txt',
      'get rollouts,analysisruns -A -o yaml',
      '-n argocd logs -l app.kubernetes.io/part-of=argocd',
      '-n argo-rollouts logs',
      'logs -l app.kubernetes.io/name=links',
    ])
      expect(dumps?.run).toContain(part);
  });

  it('reaches the app as a user does, on localhost:8000 (the kind mapping of the gateway NodePort), not a port-forward', () => {
    expect(text).toContain('GATEWAY=http://127.0.0.1:8000');
    expect(text).not.toMatch(/port-forward[^\n]*envoy|forward envoy-gateway-system/);
    const requests = scripts
      .flatMap(logicalLines)
      .filter((line) => /autocannon|curl[^\n]*APP_HOST/.test(line));
    expect(requests.length).toBeGreaterThanOrEqual(3);
    for (const line of requests) expect(line).toContain('$GATEWAY');
  });

  it('checks that cert-manager issued dev its certificate', () => {
    const step = workflow.jobs.e2e?.steps.find((candidate) =>
      candidate.name?.startsWith('cert-manager issues'),
    );
    expect(logicalLines(step?.run ?? '')).toContain(
      'k -n "$GATEWAY_NS" wait "certificate/$APP_NS-tls" --for=condition=Ready --timeout=180s',
    );
  });

  it('pins every action by full commit SHA with a version comment', () => {
    const uses = text.split('\n').filter((line) => /^\s*-?\s*uses:/.test(line));
    expect(uses.length).toBeGreaterThanOrEqual(4);
    for (const line of uses) expect(line).toMatch(/uses: [\w.-]+\/[\w.-]+@[0-9a-f]{40} # v\d+\.\d+\.\d+$/);
  });

  it('is read-only, bounded in time, cancels superseded runs, and keeps no git credentials', () => {
    expect(workflow.permissions).toEqual({ contents: 'read' });
    expect(workflow.concurrency.group).toMatch(/github\.ref/);
    for (const job of Object.values(workflow.jobs)) expect(job['timeout-minutes']).toBeLessThanOrEqual(100);
    const checkout = workflow.jobs.e2e?.steps.find((step) => step.uses?.startsWith('actions/checkout@'));
    expect(checkout?.with?.['persist-credentials']).toBe(false);
  });

  it('uploads timings, dumps and logs even when a step failed', () => {
    const upload = workflow.jobs.e2e?.steps.find((step) => step.uses?.startsWith('actions/upload-artifact@'));
    expect(upload).toMatchObject({ if: 'always()', with: { path: '/tmp/runway-e2e' } });
  });

  it('passes the workflow policy and actionlint', async () => {
    expect(checkWorkflow('e2e-kind.yml', text)).toEqual([]);
    expect(await runActionlint('e2e-kind.yml', text)).toEqual([]);
  });
});
