import { promqlNames } from './promql-names.js';
import type { RuleFile } from './rule-file.js';

/** A PromQL expression and where it was found, for messages a reader can act on. */
export interface SourcedExpression {
  readonly source: string;
  readonly expr: string;
}

export const ruleExpressions = (file: RuleFile): SourcedExpression[] =>
  file.groups.flatMap((group) =>
    group.rules.map((rule) => ({
      source: `rules ${group.name}/${'alert' in rule ? rule.alert : rule.record}`,
      expr: rule.expr,
    })),
  );

interface DashboardJson {
  title?: string;
  panels?: { title?: string; targets?: { expr?: string }[] }[];
  templating?: { list?: { name?: string; query?: unknown }[] };
}

/** `label_values(<selector>, <label>)`: the selector is PromQL; `label_values(<label>)` reads no metric. */
const variableExpression = (query: unknown): string | undefined => {
  const text = typeof query === 'string' ? query : (query as { query?: unknown } | null)?.query;
  if (typeof text !== 'string') return undefined;
  return /^label_values\((.+),\s*[a-zA-Z_][a-zA-Z0-9_]*\s*\)$/s.exec(text.trim())?.[1];
};

/** Every query of a Grafana dashboard: panel targets and the metric selectors of query variables. */
export const dashboardExpressions = (file: string, dashboard: DashboardJson): SourcedExpression[] => [
  ...(dashboard.panels ?? []).flatMap((panel) =>
    (panel.targets ?? []).flatMap((target) =>
      target.expr === undefined ? [] : [{ source: `${file} panel "${panel.title}"`, expr: target.expr }],
    ),
  ),
  ...(dashboard.templating?.list ?? []).flatMap((variable) => {
    const expr = variableExpression(variable.query);
    return expr === undefined ? [] : [{ source: `${file} variable $${variable.name}`, expr }];
  }),
];

/** One line per name outside `allowed` and per expression that cannot be checked; empty when all is well. */
export const catalogViolations = (
  expressions: readonly SourcedExpression[],
  allowed: ReadonlySet<string>,
): string[] =>
  expressions.flatMap(({ source, expr }) => {
    const { names, problems } = promqlNames(expr);
    return [
      ...problems.map((problem) => `${source}: ${problem}`),
      ...names
        .filter((name) => !allowed.has(name))
        .map((name) => `${source}: ${name} is not in docs/metrics.md`),
    ];
  });
