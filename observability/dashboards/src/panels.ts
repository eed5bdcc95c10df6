import type * as cog from '@grafana/grafana-foundation-sdk/cog';
import * as common from '@grafana/grafana-foundation-sdk/common';
import * as dashboard from '@grafana/grafana-foundation-sdk/dashboard';
import * as prometheus from '@grafana/grafana-foundation-sdk/prometheus';
import * as stat from '@grafana/grafana-foundation-sdk/stat';
import * as timeseries from '@grafana/grafana-foundation-sdk/timeseries';

/** Every query goes to the Prometheus the `datasource` variable picks (kube-prometheus-stack's by default). */
// biome-ignore lint/suspicious/noTemplateCurlyInString: Grafana's own variable syntax, resolved by Grafana.
export const datasource = { type: 'prometheus', uid: '${datasource}' };

export const datasourceVariable = (): dashboard.DatasourceVariableBuilder =>
  new dashboard.DatasourceVariableBuilder('datasource').label('Data source').type('prometheus');

/** A variable filled from `label_values(<series>, <label>)`, refreshed when the time range changes. */
export const labelVariable = (
  name: string,
  label: string,
  series: string,
  options: { multi?: boolean } = {},
): dashboard.QueryVariableBuilder => {
  const query = `label_values(${series}, ${name})`;
  const variable = new dashboard.QueryVariableBuilder(name)
    .label(label)
    .datasource(datasource)
    .query({ query, refId: `${name}-values` })
    .definition(query)
    .refresh(dashboard.VariableRefresh.OnTimeRangeChanged)
    .sort(dashboard.VariableSort.AlphabeticalAsc);
  return options.multi ? variable.multi(true).includeAll(true).allValue('.*') : variable;
};

export const query = (expr: string, legend: string, refId = 'A'): prometheus.DataqueryBuilder =>
  new prometheus.DataqueryBuilder().datasource(datasource).expr(expr).legendFormat(legend).refId(refId);

export interface Size {
  readonly w: number;
  readonly h: number;
}

/** A time series panel; `queries` are [expr, legend] pairs. */
export const timeSeries = (
  title: string,
  description: string,
  unit: string,
  queries: readonly (readonly [string, string])[],
): timeseries.PanelBuilder => {
  const panel = new timeseries.PanelBuilder()
    .title(title)
    .description(description)
    .datasource(datasource)
    .unit(unit)
    .lineWidth(1)
    .fillOpacity(10)
    .legend(
      new common.VizLegendOptionsBuilder()
        .displayMode(common.LegendDisplayMode.Table)
        .placement(common.LegendPlacement.Bottom)
        .showLegend(true)
        .calcs(['mean', 'max', 'lastNotNull']),
    );
  queries.forEach(([expr, legend], index) => {
    panel.withTarget(query(expr, legend, String.fromCharCode(65 + index)));
  });
  return panel;
};

/** Threshold steps from the lowest: the first colour applies below the first value. */
export const thresholds = (
  base: string,
  steps: readonly (readonly [number, string])[],
): dashboard.ThresholdsConfigBuilder =>
  new dashboard.ThresholdsConfigBuilder()
    .mode(dashboard.ThresholdsMode.Absolute)
    .steps([{ value: null, color: base }, ...steps.map(([value, color]) => ({ value, color }))]);

export const thresholdLines = (): common.GraphThresholdsStyleConfigBuilder =>
  new common.GraphThresholdsStyleConfigBuilder().mode(common.GraphThresholdsStyleMode.Dashed);

export const singleStat = (
  title: string,
  description: string,
  unit: string,
  expr: string,
): stat.PanelBuilder =>
  new stat.PanelBuilder()
    .title(title)
    .description(description)
    .datasource(datasource)
    .unit(unit)
    .decimals(2)
    .graphMode(common.BigValueGraphMode.None)
    .colorMode(common.BigValueColorMode.Background)
    .reduceOptions(new common.ReduceDataOptionsBuilder().calcs(['lastNotNull']))
    .withTarget(query(expr, '').instant());

/** A panel builder of any kind that can be placed on the grid. */
export interface Placeable extends cog.Builder<dashboard.Panel> {
  gridPos(gridPos: dashboard.GridPos): this;
  id(id: number): this;
}

export interface Section {
  readonly title: string;
  readonly panels: readonly (readonly [Placeable, number])[];
}

/**
 * Lays sections out top to bottom on Grafana's 24-column grid: a row header, then the panels left to right
 * with their widths, wrapping when a line is full. Ids and positions are explicit, so the JSON is stable.
 */
export const addSections = (
  builder: dashboard.DashboardBuilder,
  sections: readonly Section[],
  height = 8,
): void => {
  let y = 0;
  let id = 1;
  for (const section of sections) {
    builder.withRow(new dashboard.RowBuilder(section.title).id(id++).gridPos({ x: 0, y, w: 24, h: 1 }));
    y += 1;
    let x = 0;
    for (const [panel, width] of section.panels) {
      if (x + width > 24) {
        x = 0;
        y += height;
      }
      builder.withPanel(panel.id(id++).gridPos({ x, y, w: width, h: height }));
      x += width;
    }
    y += height;
  }
};
