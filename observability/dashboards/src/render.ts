import { serviceDashboard } from './service-dashboard.js';
import { sloDashboard } from './slo-dashboard.js';

export const regenerateCommand = 'npx tsx observability/dashboards/generate.ts';

/** Every dashboard as the JSON file Grafana's sidecar loads, by file name: deterministic text. */
export const renderDashboards = (): ReadonlyMap<string, string> =>
  new Map([
    ['links-service.json', `${JSON.stringify(serviceDashboard(), null, 2)}\n`],
    ['links-slo.json', `${JSON.stringify(sloDashboard(), null, 2)}\n`],
  ]);
