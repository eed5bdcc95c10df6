import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  catalogViolations,
  dashboardExpressions,
  ruleExpressions,
  type SourcedExpression,
} from '../src/expressions.js';
import { parseCatalog, selectableNames } from '../src/metrics-catalog.js';
import { paths } from '../src/paths.js';
import { promqlNames } from '../src/promql-names.js';
import { allRules, parseRuleFile } from '../src/rule-file.js';

const catalogText = readFileSync(paths.metricsCatalog, 'utf8');
const rules = parseRuleFile(readFileSync(paths.rules, 'utf8'));
const recorded = allRules(rules).flatMap((rule) => ('record' in rule ? [rule.record] : []));
const dashboards = readdirSync(paths.dashboardsDir)
  .filter((file) => file.endsWith('.json'))
  .sort()
  .map((file) => [file, JSON.parse(readFileSync(join(paths.dashboardsDir, file), 'utf8'))] as const);

const expressions: SourcedExpression[] = [
  ...ruleExpressions(rules),
  ...dashboards.flatMap(([file, dashboard]) => dashboardExpressions(file, dashboard)),
];

/** The rows of one `##`/`###` section of docs/metrics.md, by a prefix of its heading. */
const sectionNames = (headingPrefix: string): string[] => {
  const start = catalogText.indexOf(`\n${headingPrefix}`);
  expect(start, `docs/metrics.md has a section "${headingPrefix}"`).toBeGreaterThan(0);
  const rest = catalogText.slice(start + 1);
  const end = rest.slice(1).search(/\n#{2,3} /);
  return parseCatalog(end < 0 ? rest : rest.slice(0, end + 1)).map((entry) => entry.name);
};

describe('PromQL names in rules and dashboards', () => {
  it('finds the expressions to check', () => {
    expect(ruleExpressions(rules).length).toBe(36);
    expect(dashboards.map(([file]) => file)).toEqual(['links-service.json', 'links-slo.json']);
    expect(expressions.length).toBeGreaterThan(70);
  });

  it('uses only names from docs/metrics.md', () => {
    expect(catalogViolations(expressions, selectableNames(parseCatalog(catalogText)))).toEqual([]);
  });

  it('lists exactly the recorded series in the catalog', () => {
    expect(sectionNames('### Recorded series').sort()).toEqual([...recorded].sort());
  });

  it('lists no platform metric that nothing uses', () => {
    const used = new Set(expressions.flatMap(({ expr }) => promqlNames(expr).names));
    expect(sectionNames('## Platform metrics').filter((name) => !used.has(name))).toEqual([]);
  });

  it('reports a name outside the catalog, and where it is', () => {
    const violations = catalogViolations(
      [
        {
          source: 'rules g/Bad',
          expr: 'sum(rate(http_requests_total[5m])) / sum(rate(http_requests_count[5m]))',
        },
      ],
      new Set(['http_requests_total']),
    );
    expect(violations).toEqual(['rules g/Bad: http_requests_count is not in docs/metrics.md']);
  });

  it('knows a histogram only by its _bucket, _count and _sum series', () => {
    const allowed = selectableNames([{ name: 'http_request_duration_seconds', type: 'histogram' }]);
    expect([...allowed].sort()).toEqual([
      'http_request_duration_seconds_bucket',
      'http_request_duration_seconds_count',
      'http_request_duration_seconds_sum',
    ]);
  });
});

describe('promqlNames', () => {
  it('takes names from selectors, not from functions, labels, keywords or strings', () => {
    const expr =
      'sum by (job, env) (rate(http_requests_total{job="links",route="up"}[5m])) / on (env) group_left ' +
      'max(up) or vector(0) unless label_replace(env:x:rate5m offset 5m, "a", "$1", "b", "(.*)")';
    expect(promqlNames(expr)).toEqual({ names: ['env:x:rate5m', 'http_requests_total', 'up'], problems: [] });
  });

  it('reads an exact __name__ matcher, and refuses a regex one', () => {
    expect(promqlNames('{__name__="links_created_total"}').names).toEqual(['links_created_total']);
    expect(promqlNames('{__name__=~"links_.+"}').problems).toHaveLength(1);
  });

  it('accepts Grafana interval variables and reports syntax errors', () => {
    expect(promqlNames('rate(links_created_total{pod=~"$pod"}[$__rate_interval])')).toEqual({
      names: ['links_created_total'],
      problems: [],
    });
    expect(promqlNames('sum(rate(links_created_total[5m])').problems.length).toBeGreaterThan(0);
  });

  it('reads the selector of a label_values() variable', () => {
    const found = dashboardExpressions('d.json', {
      templating: {
        list: [{ name: 'env', query: { query: 'label_values(links_build_info{job="links"}, env)' } }],
      },
    });
    expect(found).toEqual([{ source: 'd.json variable $env', expr: 'links_build_info{job="links"}' }]);
  });
});
