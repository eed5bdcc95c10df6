import * as dashboard from '@grafana/grafana-foundation-sdk/dashboard';
import {
  addSections,
  datasourceVariable,
  labelVariable,
  type Section,
  singleStat,
  thresholdLines,
  thresholds,
  timeSeries,
} from './panels.js';

interface Slo {
  readonly name: string;
  readonly objective: string;
  /** The recorded SLI: the share of bad requests, per window (`env:<sli>:ratio_rate<window>`). */
  readonly sli: string;
  readonly budget: number;
}

const slos: readonly Slo[] = [
  {
    name: 'Availability',
    objective: '99.9 % of requests not 5xx',
    sli: 'slo_availability_errors',
    budget: 0.001,
  },
  {
    name: 'Latency',
    objective: '99 % of requests under 300 ms',
    sli: 'slo_latency_slow_requests',
    budget: 0.01,
  },
];

const windows = ['5m', '30m', '1h', '2h', '6h', '1d', '3d'] as const;

/**
 * The 30-day budget left: 1 − (bad share over 30 days ÷ budget). The 5-minute ratios are averaged over time,
 * which weighs quiet and busy periods alike: close enough for a budget view, and cheap.
 */
const budgetRemaining = (slo: Slo): string =>
  `1 - avg_over_time(env:${slo.sli}:ratio_rate5m{env="$env"}[30d]) / ${slo.budget}`;

const sloSection = (slo: Slo): Section => ({
  title: `${slo.name}: ${slo.objective}`,
  panels: [
    [
      singleStat(
        `${slo.name} error budget remaining (30 days)`,
        `Share of the 30-day error budget (${slo.budget}) not yet spent. Below 0: the objective is missed.`,
        'percentunit',
        budgetRemaining(slo),
      ).thresholds(
        thresholds('red', [
          [0, 'orange'],
          [0.25, 'green'],
        ]),
      ),
      6,
    ],
    [
      singleStat(
        `${slo.name} SLI (30 days)`,
        `Share of good requests over 30 days; the objective is ${slo.objective}.`,
        'percentunit',
        `1 - avg_over_time(env:${slo.sli}:ratio_rate5m{env="$env"}[30d])`,
      ).thresholds(thresholds('red', [[1 - slo.budget, 'green']])),
      6,
    ],
    [
      timeSeries(
        `${slo.name} burn rate`,
        'Budget consumption relative to the sustainable rate (1 = the budget lasts exactly 30 days), per window. Pages at 14.4 (1h and 5m) or 6 (6h and 30m); tickets at 3 (1d and 2h) or 1 (3d and 6h).',
        'short',
        windows.map(
          (window) => [`env:${slo.sli}:ratio_rate${window}{env="$env"} / ${slo.budget}`, window] as const,
        ),
      )
        .thresholds(
          thresholds('green', [
            [1, 'yellow'],
            [3, 'orange'],
            [6, 'red'],
            [14.4, 'dark-red'],
          ]),
        )
        .thresholdsStyle(thresholdLines()),
      12,
    ],
  ],
});

/** Error budgets and burn rates of the links SLOs in one environment. */
export const sloDashboard = (): dashboard.Dashboard => {
  const builder = new dashboard.DashboardBuilder('Links / SLOs')
    .uid('links-slo')
    .description(
      'Error budgets and burn rates of the links SLOs (availability 99.9 %, latency 99 % under 300 ms).',
    )
    .tags(['runway', 'links', 'slo'])
    .editable()
    .refresh('1m')
    .time({ from: 'now-7d', to: 'now' })
    .timezone('utc')
    .withVariable(datasourceVariable())
    .withVariable(labelVariable('env', 'Environment', 'env:slo_availability_errors:ratio_rate5m'));
  addSections(builder, slos.map(sloSection), 8);
  return builder.build();
};
