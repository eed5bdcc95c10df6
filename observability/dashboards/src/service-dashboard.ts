import * as dashboard from '@grafana/grafana-foundation-sdk/dashboard';
import { addSections, datasourceVariable, labelVariable, thresholds, timeSeries } from './panels.js';

/** Selectors for the chosen namespace and pods: service series by `job`, Kubernetes series by container. */
const service = 'job="links", namespace="$namespace", pod=~"$pod"';
const container = 'namespace="$namespace", container="links", pod=~"$pod"';
const userTraffic = `${service}, route!~"/livez|/readyz"`;

const quantileByRoute = (quantile: number) =>
  timeSeries(
    `p${Math.round(quantile * 100)} latency by route`,
    `The ${Math.round(quantile * 100)}th percentile of request duration per route template (from the histogram buckets).`,
    's',
    [
      [
        `histogram_quantile(${quantile}, sum by (route, le) (rate(http_request_duration_seconds_bucket{${service}}[$__rate_interval])))`,
        '{{route}}',
      ],
    ],
  );

/** The links service in one environment: RED per route, business outcomes, pods, autoscaling, runtime. */
export const serviceDashboard = (): dashboard.Dashboard => {
  const builder = new dashboard.DashboardBuilder('Links / Service')
    .uid('links-service')
    .description(
      'The links service in one environment: traffic, errors and latency per route, pods and runtime.',
    )
    .tags(['runway', 'links'])
    .editable()
    .refresh('30s')
    .time({ from: 'now-3h', to: 'now' })
    .timezone('utc')
    .withVariable(datasourceVariable())
    .withVariable(labelVariable('env', 'Environment', 'links_build_info{job="links"}'))
    .withVariable(labelVariable('namespace', 'Namespace', 'links_build_info{job="links", env="$env"}'))
    .withVariable(
      labelVariable('pod', 'Pod', 'links_build_info{job="links", namespace="$namespace"}', { multi: true }),
    );

  addSections(builder, [
    {
      title: 'Traffic and errors',
      panels: [
        [
          timeSeries('Request rate by route', 'Requests completed per second, by route template.', 'reqps', [
            [`sum by (route) (rate(http_requests_total{${service}}[$__rate_interval]))`, '{{route}}'],
          ]),
          8,
        ],
        [
          timeSeries(
            'Error % by route',
            'Share of requests answered 5xx, by route template. HighErrorRate fires above 5 % of all user requests.',
            'percentunit',
            [
              [
                `sum by (route) (rate(http_requests_total{${service}, status_code=~"5.."}[$__rate_interval])) / sum by (route) (rate(http_requests_total{${service}}[$__rate_interval]))`,
                '{{route}}',
              ],
              [
                `sum(rate(http_requests_total{${userTraffic}, status_code=~"5.."}[$__rate_interval])) / sum(rate(http_requests_total{${userTraffic}}[$__rate_interval]))`,
                'all user requests',
              ],
            ],
          ).thresholds(thresholds('green', [[0.05, 'red']])),
          8,
        ],
        [
          timeSeries('Redirects per second', 'Public GET /:code lookups, by outcome.', 'reqps', [
            [`sum by (outcome) (rate(links_redirects_total{${service}}[$__rate_interval]))`, '{{outcome}}'],
          ]),
          8,
        ],
        [quantileByRoute(0.5), 8],
        [quantileByRoute(0.95), 8],
        [quantileByRoute(0.99), 8],
        [
          timeSeries(
            'Login outcomes',
            'Login attempts per second: success, failure (bad credentials), throttled.',
            'reqps',
            [[`sum by (outcome) (rate(links_logins_total{${service}}[$__rate_interval]))`, '{{outcome}}']],
          ),
          12,
        ],
        [
          timeSeries('Sign-ups and links created', 'Accounts and short links created per second.', 'ops', [
            [`sum(rate(links_signups_total{${service}}[$__rate_interval]))`, 'sign-ups'],
            [`sum(rate(links_created_total{${service}}[$__rate_interval]))`, 'links created'],
          ]),
          12,
        ],
      ],
    },
    {
      title: 'Pods and autoscaling',
      panels: [
        [
          timeSeries(
            'CPU % of limit',
            'CPU used by the links container, as a share of its CPU limit, per pod.',
            'percentunit',
            [
              [
                `sum by (pod) (rate(container_cpu_usage_seconds_total{${container}}[$__rate_interval])) / sum by (pod) (kube_pod_container_resource_limits{${container}, resource="cpu"})`,
                '{{pod}}',
              ],
            ],
          ).thresholds(thresholds('green', [[0.8, 'red']])),
          8,
        ],
        [
          timeSeries(
            'Memory % of limit',
            'Working-set memory of the links container (what the OOM killer compares), as a share of its limit, per pod.',
            'percentunit',
            [
              [
                `sum by (pod) (container_memory_working_set_bytes{${container}}) / sum by (pod) (kube_pod_container_resource_limits{${container}, resource="memory"})`,
                '{{pod}}',
              ],
            ],
          ).thresholds(thresholds('green', [[0.9, 'red']])),
          8,
        ],
        [
          timeSeries('Pod restarts', 'Container restarts in the last hour, per pod.', 'short', [
            [
              `sum by (pod) (increase(kube_pod_container_status_restarts_total{${container}}[1h]))`,
              '{{pod}}',
            ],
          ]),
          8,
        ],
        [
          timeSeries(
            'HPA replicas',
            'Current and desired replicas of the autoscaler, and its bounds.',
            'short',
            [
              [
                'max(kube_horizontalpodautoscaler_status_current_replicas{namespace="$namespace"})',
                'current',
              ],
              [
                'max(kube_horizontalpodautoscaler_status_desired_replicas{namespace="$namespace"})',
                'desired',
              ],
              ['max(kube_horizontalpodautoscaler_spec_max_replicas{namespace="$namespace"})', 'max'],
              ['max(kube_horizontalpodautoscaler_spec_min_replicas{namespace="$namespace"})', 'min'],
            ],
          ),
          12,
        ],
        [
          timeSeries('Rollout replicas', 'Desired and available replicas of the Argo Rollout.', 'short', [
            ['max(rollout_info_replicas_desired{namespace="$namespace"})', 'desired'],
            ['max(rollout_info_replicas_available{namespace="$namespace"})', 'available'],
          ]),
          12,
        ],
      ],
    },
    {
      title: 'Runtime and database',
      panels: [
        [
          timeSeries(
            'DB pool usage',
            'Open connections as a share of the configured pool size, per pod. Near 100 % with requests waiting means the pool is the bottleneck.',
            'percentunit',
            [
              [
                `sum by (pod) (links_db_pool_connections{${service}, state="total"}) / sum by (pod) (links_db_pool_max{${service}})`,
                '{{pod}}',
              ],
            ],
          ),
          8,
        ],
        [
          timeSeries('DB pool waiting', 'Queries queued for a free connection, per pod.', 'short', [
            [`sum by (pod) (links_db_pool_connections{${service}, state="waiting"})`, '{{pod}}'],
          ]),
          8,
        ],
        [
          timeSeries(
            'Event-loop lag (p99)',
            '99th percentile of event-loop delay per pod: CPU-bound work blocks every request.',
            's',
            [[`max by (pod) (nodejs_eventloop_lag_p99_seconds{${service}})`, '{{pod}}']],
          ),
          8,
        ],
        [
          timeSeries(
            'Clicks pending and flushes',
            'Clicks held in memory, and batch flushes per second by outcome.',
            'short',
            [
              [`sum(links_clicks_pending{${service}})`, 'pending'],
              [
                `sum by (outcome) (rate(links_click_flushes_total{${service}}[$__rate_interval]))`,
                'flushes {{outcome}}',
              ],
            ],
          ),
          12,
        ],
        [
          timeSeries('Heap used', 'V8 heap used per pod.', 'bytes', [
            [`sum by (pod) (nodejs_heap_size_used_bytes{${service}})`, '{{pod}}'],
          ]),
          12,
        ],
      ],
    },
  ]);
  return builder.build();
};
