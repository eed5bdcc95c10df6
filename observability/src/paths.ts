import { fileURLToPath } from 'node:url';

const at = (relative: string): string => fileURLToPath(new URL(relative, import.meta.url));

/** The files observability/ owns or reads, from the repository root. */
export const paths = {
  root: at('../../'),
  rules: at('../rules/links.rules.yaml'),
  ruleTestsDir: at('../rules/tests/'),
  alertmanagerConfig: at('../alertmanager/alertmanager.yaml'),
  alertmanagerTemplatesGlob: `${at('../alertmanager/templates/')}*.tmpl`,
  dashboardsDir: at('../dashboards/generated/'),
  metricsCatalog: at('../../docs/metrics.md'),
  runbooksDir: at('../../docs/runbooks/'),
} as const;
