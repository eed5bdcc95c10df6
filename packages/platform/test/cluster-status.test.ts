import { describe, expect, it } from 'vitest';
import {
  type ApplicationList,
  formatStatus,
  parseApplicationList,
  statusRows,
} from '../src/cluster/status.js';
import type { EnvironmentName, ReleasePointer } from '../src/release/pointer.js';

const digest = (char: string) => `sha256:${char.repeat(64)}`;
const pointer = (env: EnvironmentName, image: string, sha: string): ReleasePointer => ({
  env,
  image,
  digest: sha,
  gitSha: '1'.repeat(40),
  releasedAt: '2026-11-23T00:00:00.000Z',
  releasedBy: 'ci',
  promotedFrom: null,
  verifiedAt: null,
  rejected: [],
});

const app = (name: string, namespace: string, sync: string, health: string, images: string[] = []) => ({
  metadata: { name },
  spec: { destination: { namespace } },
  status: { sync: { status: sync }, health: { status: health }, summary: { images } },
});

const list: ApplicationList = {
  items: [
    app('links-dev', 'links-dev', 'Synced', 'Healthy', [`localhost:5001/links@${digest('c')}`]),
    app('links-staging', 'links-staging', 'Synced', 'Healthy', [`ghcr.io/acme/links@${digest('a')}`]),
    app('links-prod', 'links-prod', 'OutOfSync', 'Degraded', [`ghcr.io/acme/links@${digest('9')}`]),
    app('kube-prometheus-stack', 'monitoring', 'Synced', 'Progressing', [
      'quay.io/prometheus/prometheus:v3.0.0',
    ]),
    { metadata: { name: 'brand-new' }, spec: { destination: {} } },
  ],
};

const pointers = new Map<EnvironmentName, ReleasePointer>([
  ['dev', pointer('dev', 'ghcr.io/acme/links', digest('b'))],
  ['staging', pointer('staging', 'ghcr.io/acme/links', digest('a'))],
  ['prod', pointer('prod', 'ghcr.io/acme/links', digest('a'))],
]);

describe('cluster status', () => {
  const rows = statusRows(list, pointers);
  const row = (name: string) => rows.find((candidate) => candidate.application === name);

  it("shows each Application's sync and health, Unknown before Argo CD has looked", () => {
    expect(row('kube-prometheus-stack')).toMatchObject({
      sync: 'Synced',
      health: 'Progressing',
      env: '',
      verdict: '',
    });
    expect(row('brand-new')).toMatchObject({ sync: 'Unknown', health: 'Unknown' });
  });

  it('compares what each env runs with its release pointer in git', () => {
    expect(row('links-staging')?.verdict).toBe('as in git');
    expect(row('links-prod')?.verdict).toBe('DIFFERS from git');
    expect(row('links-dev')?.verdict).toBe('local build (runway up)');
    expect(row('links-dev')?.git).toBe('ghcr.io/acme/links@sha256:bbbbbbbbbbbb…');
  });

  it('prints an aligned table sorted by name', () => {
    const text = formatStatus(rows);
    const [header, ...body] = text.split('\n');
    expect(header).toMatch(/^APPLICATION\s+SYNC\s+HEALTH\s+ENV\s+RUNS\s+GIT SAYS$/);
    expect(body.map((line) => line.split(/\s+/)[0])).toEqual([
      'brand-new',
      'kube-prometheus-stack',
      'links-dev',
      'links-prod',
      'links-staging',
    ]);
    expect(body[3]).toContain('OutOfSync  Degraded');
    expect((body[3]?.indexOf(' prod ') ?? 0) + 1).toBe(header?.indexOf('ENV'));
  });

  it('says how to start when there is nothing yet', () => {
    expect(formatStatus([])).toBe('No Argo CD Applications in the cluster yet: run `npx runway up`.');
  });

  it('rejects output that is not an Application list, naming where', () => {
    expect(() => parseApplicationList('not json')).toThrow(/not JSON/);
    expect(() => parseApplicationList('{"items":[{"metadata":{}}]}')).toThrow(
      /unexpected Application list: \/items\/0/,
    );
    expect(parseApplicationList(JSON.stringify(list)).items).toHaveLength(5);
  });
});
