import { parser } from '@prometheus-io/lezer-promql';

/** The metric names a PromQL expression reads, and what keeps it from being checked. */
export interface PromqlNames {
  readonly names: readonly string[];
  readonly problems: readonly string[];
}

/** Grafana's interval variables stand where PromQL needs a duration; any valid duration parses the same. */
const withGrafanaIntervals = (expression: string): string =>
  expression.replace(/\$__(rate_interval|interval|range)\b/g, '5m');

const unquote = (literal: string): string => literal.slice(1, -1).replace(/\\(.)/g, '$1');

/**
 * Parses with Prometheus' own grammar (lezer-promql). A name comes from a selector's identifier
 * (`http_requests_total{...}`) or from an exact `__name__` matcher; a `__name__` regex cannot be checked
 * against a list, so it is a problem, as is any syntax error.
 */
export const promqlNames = (expression: string): PromqlNames => {
  const text = withGrafanaIntervals(expression);
  const names = new Set<string>();
  const problems: string[] = [];
  parser.parse(text).iterate({
    enter: (node) => {
      if (node.type.isError) {
        problems.push(
          `syntax error at offset ${node.from}: ${JSON.stringify(text.slice(node.from, node.from + 20))}`,
        );
      } else if (node.name === 'VectorSelector') {
        const identifier = node.node.getChild('Identifier');
        if (identifier) names.add(text.slice(identifier.from, identifier.to));
      } else if (node.name === 'UnquotedLabelMatcher') {
        const label = node.node.getChild('LabelName');
        if (!label || text.slice(label.from, label.to) !== '__name__') return;
        const op = node.node.getChild('MatchOp');
        const value = node.node.getChild('StringLiteral');
        if (op?.getChild('EqlSingle') && value) names.add(unquote(text.slice(value.from, value.to)));
        else
          problems.push(
            `a __name__ matcher other than = cannot be checked: ${text.slice(node.from, node.to)}`,
          );
      }
    },
  });
  return { names: [...names].sort(), problems };
};
