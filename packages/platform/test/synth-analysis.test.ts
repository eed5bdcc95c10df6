import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { environment } from '../src/spec/environments.js';
import { errorRatioQuery, p95LatencyQuery } from '../src/synth/analysis.js';

const run = promisify(execFile);
const prod = environment('prod');
const CANARY = 'links-5d8f7c9b4-x2k9q';
const STABLE = 'links-7c4b8d6f9-p3m2n';
/** What Argo Rollouts substitutes for `{{args.canary-hash}}`. */
const withHash = (query: string) => query.replaceAll('{{args.canary-hash}}', '5d8f7c9b4');

const requests = (pod: string, route: string, status: string, perMinute: number) => ({
  series: `http_requests_total{job="links",namespace="links-prod",env="prod",pod="${pod}",method="GET",route="${route}",status_code="${status}"}`,
  values: `0+${perMinute}x10`,
});
const bucket = (pod: string, le: string, perMinute: number) => ({
  series: `http_request_duration_seconds_bucket{job="links",namespace="links-prod",env="prod",pod="${pod}",method="GET",route="/:code",status_code="200",le="${le}"}`,
  values: `0+${perMinute}x10`,
});

describe('canary analysis queries, evaluated by promtool on synthetic series', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'runway-analysis-'));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  const promtoolTest = async (
    series: { series: string; values: string }[],
    expected: Record<string, number>,
  ) => {
    const rules = {
      groups: [
        {
          name: 'canary',
          rules: [
            { record: 'canary_error_ratio', expr: withHash(errorRatioQuery(prod)) },
            { record: 'canary_p95_seconds', expr: withHash(p95LatencyQuery(prod)) },
          ],
        },
      ],
    };
    const test = {
      rule_files: ['rules.yaml'],
      evaluation_interval: '1m',
      tests: [
        {
          interval: '1m',
          input_series: series,
          promql_expr_test: Object.entries(expected).map(([name, value]) => ({
            expr: name,
            eval_time: '5m',
            exp_samples: [{ labels: name, value }],
          })),
        },
      ],
    };
    await writeFile(join(dir, 'rules.yaml'), stringify(rules));
    await writeFile(join(dir, 'test.yaml'), stringify(test));
    return run('promtool', ['test', 'rules', 'test.yaml'], { cwd: dir }).then(
      () => 'passed',
      (error: { stdout: string; stderr: string }) => `${error.stdout}${error.stderr}`,
    );
  };

  it('measures only the canary’s own pods: a failing stable pod and failing probes do not count', async () => {
    const result = await promtoolTest(
      [
        requests(CANARY, '/:code', '200', 50),
        requests(CANARY, '/:code', '500', 50),
        requests(CANARY, '/livez', '500', 100),
        requests(STABLE, '/:code', '500', 500),
        bucket(CANARY, '0.05', 0),
        bucket(CANARY, '0.1', 100),
        bucket(CANARY, '+Inf', 100),
        bucket(STABLE, '0.05', 0),
        bucket(STABLE, '5', 0),
        bucket(STABLE, '+Inf', 500),
      ],
      // Half the canary requests failed; every canary request took 50–100 ms (p95 interpolates to 97.5 ms).
      { canary_error_ratio: 0.5, canary_p95_seconds: 0.0975 },
    );
    expect(result).toBe('passed');
  });
});
