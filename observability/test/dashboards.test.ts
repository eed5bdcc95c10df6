import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { regenerateCommand, renderDashboards } from '../dashboards/src/render.js';
import { paths } from '../src/paths.js';

interface Dashboard {
  uid: string;
  templating: { list: { name: string; multi?: boolean; includeAll?: boolean }[] };
  panels: {
    type: string;
    title: string;
    gridPos: { x: number; y: number; w: number; h: number };
    targets?: { expr: string }[];
  }[];
}

const rendered = renderDashboards();
const dashboard = (file: string): Dashboard => JSON.parse(rendered.get(file) ?? '{}') as Dashboard;

describe('generated dashboards', () => {
  it('are committed as generated (stale JSON fails with the command to run)', () => {
    const committed = readdirSync(paths.dashboardsDir)
      .filter((file) => file.endsWith('.json'))
      .sort();
    expect(committed, `regenerate with: ${regenerateCommand}`).toEqual([...rendered.keys()].sort());
    for (const [file, json] of rendered) {
      const onDisk = readFileSync(join(paths.dashboardsDir, file), 'utf8');
      expect(onDisk === json, `${file} is stale: run ${regenerateCommand}`).toBe(true);
    }
  });

  it('render the same text every time', () => {
    expect([...renderDashboards()]).toEqual([...rendered]);
  });

  it('give the service dashboard env, namespace and pod variables', () => {
    const variables = dashboard('links-service.json').templating.list;
    expect(variables.map((v) => v.name)).toEqual(['datasource', 'env', 'namespace', 'pod']);
    expect(variables.find((v) => v.name === 'pod')).toMatchObject({ multi: true, includeAll: true });
  });

  it('give the service dashboard every panel the issue asks for', () => {
    const titles = dashboard('links-service.json').panels.map((panel) => panel.title);
    expect(titles).toEqual(
      expect.arrayContaining([
        'Request rate by route',
        'Error % by route',
        'p50 latency by route',
        'p95 latency by route',
        'p99 latency by route',
        'Pod restarts',
        'CPU % of limit',
        'Memory % of limit',
        'HPA replicas',
        'Redirects per second',
        'Login outcomes',
        'DB pool usage',
        'Event-loop lag (p99)',
      ]),
    );
  });

  it('filter every service query by the chosen namespace', () => {
    for (const panel of dashboard('links-service.json').panels) {
      for (const target of panel.targets ?? [])
        expect(target.expr, panel.title).toContain('namespace="$namespace"');
    }
  });

  it('give the SLO dashboard budgets remaining and burn rates for both SLOs', () => {
    const panels = dashboard('links-slo.json').panels;
    const titles = panels.map((panel) => panel.title);
    for (const slo of ['Availability', 'Latency']) {
      expect(titles).toContain(`${slo} error budget remaining (30 days)`);
      expect(titles).toContain(`${slo} burn rate`);
    }
    const burn = panels.find((panel) => panel.title === 'Availability burn rate');
    expect(burn?.targets?.map((t) => t.expr)).toContain(
      'env:slo_availability_errors:ratio_rate1h{env="$env"} / 0.001',
    );
  });

  it('lay panels out without overlap inside the 24-column grid', () => {
    for (const file of rendered.keys()) {
      const boxes = dashboard(file).panels.map((panel) => panel.gridPos);
      for (const [i, a] of boxes.entries()) {
        expect(a.x + a.w).toBeLessThanOrEqual(24);
        for (const b of boxes.slice(i + 1)) {
          const overlap = a.x < b.x + b.w && b.x < a.x + a.w && a.y < b.y + b.h && b.y < a.y + a.h;
          expect(overlap, `${file}: ${JSON.stringify(a)} overlaps ${JSON.stringify(b)}`).toBe(false);
        }
      }
    }
  });
});
