import { describe, expect, it } from 'vitest';
import { renderDirectories } from '../src/synth/render.js';
import { validateObjects } from '../src/synth/validate.js';
import { fixtureInputs } from './synth-fixtures.js';

const objects = renderDirectories(
  fixtureInputs({
    observability: {
      rules: {
        groups: [{ name: 'links', rules: [{ alert: 'LinksDown', expr: 'up{job="links"} == 0', for: '5m' }] }],
      },
      dashboards: new Map([['links-overview', '{"title":"Links"}']]),
    },
  }),
).flatMap(({ objects }) => objects);

describe('schema validation of every rendered object', () => {
  it('accepts every object synth renders, for every environment and the platform', async () => {
    expect(objects.length).toBeGreaterThan(90);
    expect(await validateObjects(objects)).toEqual([]);
  });

  it('covers every kind synth renders, the add-ons CRDs included', () => {
    const kinds = new Set(objects.map((object) => object.kind));
    for (const kind of [
      'Rollout',
      'AnalysisTemplate',
      'ExternalSecret',
      'Cluster',
      'HTTPRoute',
      'ServiceMonitor',
      'PrometheusRule',
      'Application',
      'AppProject',
      'Gateway',
      'ClusterIssuer',
    ]) {
      expect(kinds).toContain(kind);
    }
  });

  it('catches a wrongly typed field with its path', async () => {
    const rollout = objects.find((object) => object.kind === 'Rollout');
    if (!rollout) throw new Error('no Rollout rendered');
    const broken = { ...rollout, spec: { ...(rollout.spec as object), replicas: 'three' } };
    const findings = await validateObjects([broken]);
    expect(findings).toHaveLength(1);
    expect(findings[0]?.target).toBe('links-dev/Rollout/links');
    expect(findings[0]?.message).toContain('spec/replicas must be integer');
  });

  it("catches a ClusterIssuer the pinned cert-manager's CRD schema refuses (vendored, not downloaded)", async () => {
    const issuer = objects.find(
      (object) => object.kind === 'ClusterIssuer' && 'acme' in (object.spec as object),
    );
    if (!issuer) throw new Error('no ClusterIssuer rendered');
    const { server: _, ...acme } = (issuer.spec as { acme: Record<string, unknown> }).acme;
    const findings = await validateObjects([{ ...issuer, spec: { acme: { ...acme, email: 42 } } }]);
    expect(findings).toHaveLength(1);
    expect(findings[0]?.target).toBe('_cluster/ClusterIssuer/letsencrypt');
    expect(findings[0]?.message).toContain("data/spec/acme must have required property 'server'");
    expect(findings[0]?.message).toContain('data/spec/acme/email must be string');
  });

  it('catches an invalid core object (a Service port that is not a number)', async () => {
    const findings = await validateObjects([
      {
        apiVersion: 'v1',
        kind: 'Service',
        metadata: { name: 'x', namespace: 'n' },
        spec: { ports: [{ port: 'eighty' }] },
      },
    ]);
    expect(findings.map((finding) => finding.message)).toEqual(['data/spec/ports/0/port must be integer']);
  });

  it('refuses a kind it has no schema for, so nothing ships unvalidated', async () => {
    const findings = await validateObjects([
      { apiVersion: 'example.com/v1', kind: 'Widget', metadata: { name: 'w' } },
    ]);
    expect(findings[0]?.message).toBe('no schema for example.com/v1 Widget');
  });
});
