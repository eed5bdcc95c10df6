import { access } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { type ClusterSpec, cluster } from '../src/spec/clusters.js';
import { environment, environments } from '../src/spec/environments.js';
import type { KubeObject } from '../src/synth/object.js';
import { clusterView, hostedEnvironments, readInputs, renderDirectories } from '../src/synth/render.js';
import { fixtureInputs, fixturePointer } from './synth-fixtures.js';

const REPO_ROOT = join(import.meta.dirname, '..', '..', '..');
const objects = renderDirectories(fixtureInputs()).flatMap(({ objects }) => objects);
const viewOf = (target: ClusterSpec): KubeObject[] =>
  clusterView(target, fixtureInputs()).flatMap(({ objects }) => objects);
const find = (kind: string, namespace: string, name?: string): KubeObject[] =>
  objects.filter(
    (o) =>
      o.kind === kind &&
      o.metadata.namespace === namespace &&
      (name === undefined || o.metadata.name === name),
  );
const one = (kind: string, namespace: string, name?: string): KubeObject => {
  const [found] = find(kind, namespace, name);
  if (!found) throw new Error(`no ${kind} ${name ?? ''} in ${namespace}`);
  return found;
};
const spec = <T>(object: KubeObject): T => object.spec as T;

interface RolloutSpec {
  replicas: number;
  template: {
    spec: { topologySpreadConstraints: Record<string, unknown>[]; containers: { image: string }[] };
  };
  strategy: { canary: { steps: Record<string, { duration?: string } | number>[] } };
}
type HpaSpec = { minReplicas: number };
type PdbSpec = { maxUnavailable?: number; minAvailable?: number };
type NetworkPolicySpec = { podSelector: unknown; policyTypes: string[]; egress?: Rule[]; ingress?: Rule[] };
type AlertRule = { alert?: string; annotations?: { runbook_url?: string } };

type Peer = { podSelector?: unknown; namespaceSelector?: unknown; ipBlock?: { cidr: string } };
type Rule = { to?: Peer[]; from?: Peer[]; ports?: { port?: number }[] };

describe('prod survives a zone outage and a node drain', () => {
  const prod = environment('prod');
  it('runs at least 3 replicas, autoscaling from there', () => {
    expect(spec<HpaSpec>(one('HorizontalPodAutoscaler', prod.namespace)).minReplicas).toBeGreaterThanOrEqual(
      3,
    );
    expect(spec<RolloutSpec>(one('Rollout', prod.namespace)).replicas).toBeGreaterThanOrEqual(3);
  });

  it('spreads pods across zones, strictly', () => {
    const spread = spec<RolloutSpec>(one('Rollout', prod.namespace)).template.spec
      .topologySpreadConstraints as Record<string, unknown>[];
    expect(spread).toContainEqual(
      expect.objectContaining({
        topologyKey: 'topology.kubernetes.io/zone',
        maxSkew: 1,
        whenUnsatisfiable: 'DoNotSchedule',
      }),
    );
  });

  it('has a PDB that keeps pods up yet still lets a drain evict one at a time', () => {
    const pdb = spec<PdbSpec>(one('PodDisruptionBudget', prod.namespace));
    const min = spec<HpaSpec>(one('HorizontalPodAutoscaler', prod.namespace)).minReplicas;
    const allowedDisruptions = pdb.maxUnavailable ?? min - (pdb.minAvailable ?? min);
    expect(allowedDisruptions).toBeGreaterThanOrEqual(1);
    expect(allowedDisruptions).toBeLessThan(min);
  });
});

describe('no environment can reach another environment’s database', () => {
  it.each(environments.map((env) => [env.name, env] as const))(
    '%s: every path to 5432 stays in its own namespace or prod’s RDS subnets',
    (_name, env) => {
      const policies = find('NetworkPolicy', env.namespace);
      expect(policies.map((p) => spec<NetworkPolicySpec>(p))).toContainEqual({
        podSelector: {},
        policyTypes: ['Ingress', 'Egress'],
      });
      const egressTo5432 = policies
        .flatMap((p) => spec<NetworkPolicySpec>(p).egress ?? [])
        .filter((rule) => rule.ports?.some((port) => port.port === 5432));
      expect(egressTo5432.length).toBeGreaterThan(0);
      for (const peer of egressTo5432.flatMap((rule) => rule.to ?? [])) {
        expect(peer.namespaceSelector).toBeUndefined();
        if (peer.ipBlock) {
          expect(env.database.kind).toBe('rds');
          expect(fixtureInputs().prodDatabase.subnetCidrs).toContain(peer.ipBlock.cidr);
        }
      }
      const databaseIngress = policies
        .flatMap((p) => spec<NetworkPolicySpec>(p).ingress ?? [])
        .filter((rule) => rule.ports?.some((port) => port.port === 5432));
      for (const peer of databaseIngress.flatMap((rule) => rule.from ?? [])) {
        // Only the CNPG operator comes from outside the namespace.
        if (peer.namespaceSelector)
          expect(peer.namespaceSelector).toEqual({
            matchLabels: { 'kubernetes.io/metadata.name': 'cnpg-system' },
          });
      }
    },
  );
});

describe('releases', () => {
  const steps = (env: 'dev' | 'prod') =>
    spec<RolloutSpec>(one('Rollout', environment(env).namespace)).strategy.canary.steps;

  it('dev auto-promotes: CI commits the release and no canary step waits for a human', () => {
    expect(environment('dev').releaseArrival).toBe('ci-commit');
    const pauses = steps('dev').flatMap((step) => (typeof step.pause === 'object' ? [step.pause] : []));
    expect(pauses.every((pause) => pause.duration !== undefined)).toBe(true);
    const app = objects.find(
      (o) => o.kind === 'Application' && o.metadata.name === 'links-dev',
    ) as KubeObject;
    expect(spec<{ syncPolicy: { automated: unknown } }>(app).syncPolicy.automated).toEqual({
      prune: true,
      selfHeal: true,
    });
  });

  it('prod runs only the approved release pointer, and every prod canary step is analysed', async () => {
    expect(environment('prod').releaseArrival).toBe('approved-promotion-pr');
    const pointer = { ...fixturePointer('prod'), digest: `sha256:${'d'.repeat(64)}` };
    const rendered = renderDirectories(
      fixtureInputs({ pointers: { ...fixtureInputs().pointers, prod: pointer } }),
    ).flatMap((d) => d.objects);
    const rollout = rendered.find(
      (o) => o.kind === 'Rollout' && o.metadata.namespace === 'links-prod',
    ) as KubeObject;
    expect(spec<RolloutSpec>(rollout).template.spec.containers[0]?.image).toBe(
      `ghcr.io/runway-dev/links@sha256:${'d'.repeat(64)}`,
    );
    const prodSteps = steps('prod');
    prodSteps.forEach((step, index) => {
      if ('setWeight' in step) expect(prodSteps[index + 1]).toHaveProperty('analysis');
    });
  });
});

describe.each([cluster('nonprod'), cluster('prod')])(
  'HTTPS at the gateway of $name: nothing is served in clear text, every hostname has a certificate',
  (eks) => {
    const objects = viewOf(eks);
    const environments = hostedEnvironments(eks);
    const one = (kind: string, namespace: string, name: string): KubeObject => {
      const found = objects.find(
        (o) => o.kind === kind && o.metadata.namespace === namespace && o.metadata.name === name,
      );
      if (!found) throw new Error(`no ${kind} ${name} in ${namespace}`);
      return found;
    };
    type ParentRef = { name: string; namespace?: string; sectionName?: string };
    type Listener = {
      name: string;
      protocol: string;
      port: number;
      hostname?: string;
      tls?: { mode: string; certificateRefs: { kind?: string; name: string }[] };
      allowedRoutes: { namespaces: { from: string; selector?: { matchLabels: Record<string, string> } } };
    };
    type RouteRule = { backendRefs?: unknown[]; filters?: { type: string; requestRedirect?: unknown }[] };
    type RouteSpec = { parentRefs: ParentRef[]; hostnames: string[]; rules: RouteRule[] };

    const gateway = one('Gateway', 'gateway', 'runway');
    const listeners = spec<{ listeners: Listener[] }>(gateway).listeners;
    const listener = (name: string | undefined) => listeners.find((l) => l.name === name);
    const routes = objects.filter((o) => o.kind === 'HTTPRoute');
    // A parentRef without a namespace means the route's own namespace.
    const attachments = (route: KubeObject) =>
      spec<RouteSpec>(route).parentRefs.filter(
        (ref) => ref.name === 'runway' && (ref.namespace ?? route.metadata.namespace) === 'gateway',
      );

    it.each(environments.map((env) => [env.name, env] as const))(
      '%s: the app route attaches only to the HTTPS listener for its own hostname',
      (_name, env) => {
        const route = one('HTTPRoute', env.namespace, 'links');
        expect(spec<RouteSpec>(route).parentRefs).toHaveLength(1);
        const [ref] = attachments(route);
        const target = listener(ref?.sectionName);
        expect(target).toMatchObject({ protocol: 'HTTPS', port: 443, hostname: env.hostname });
        expect(spec<RouteSpec>(route).hostnames).toEqual([env.hostname]);
        expect(target?.allowedRoutes.namespaces.selector?.matchLabels['kubernetes.io/metadata.name']).toBe(
          env.namespace,
        );
      },
    );

    it('the HTTP listener only redirects to HTTPS (301), and admits no route from an app namespace', () => {
      const http = listeners.filter((l) => l.protocol === 'HTTP');
      expect(http).toEqual([expect.objectContaining({ name: 'http', port: 80 })]);
      expect(http[0]?.allowedRoutes).toEqual({ namespaces: { from: 'Same' } });
      const onHttp = routes.filter((route) => attachments(route).some((ref) => ref.sectionName === 'http'));
      expect(onHttp.map((route) => `${route.metadata.namespace}/${route.metadata.name}`)).toEqual([
        'gateway/https-redirect',
      ]);
      const redirect = spec<RouteSpec>(onHttp[0] as KubeObject);
      expect(redirect.hostnames.sort()).toEqual(environments.map((env) => env.hostname).sort());
      for (const rule of redirect.rules) {
        expect(rule.backendRefs).toBeUndefined();
        expect(rule.filters).toEqual([
          { type: 'RequestRedirect', requestRedirect: { scheme: 'https', statusCode: 301 } },
        ]);
      }
    });

    it('every HTTPS listener terminates TLS for one environment hostname, with a certificate Secret of its own', () => {
      const https = listeners.filter((l) => l.protocol === 'HTTPS');
      expect(https.map((l) => l.hostname).sort()).toEqual(environments.map((env) => env.hostname).sort());
      for (const l of https) {
        expect(l.tls?.mode).toBe('Terminate');
        expect(l.tls?.certificateRefs).toEqual([{ kind: 'Secret', name: expect.any(String) }]);
      }
      const secrets = https.map((l) => l.tls?.certificateRefs[0]?.name);
      expect(new Set(secrets).size).toBe(https.length);
    });

    it('the ClusterIssuer the Gateway names exists and answers HTTP-01 through the HTTP listener', () => {
      const issuerName = gateway.metadata.annotations?.['cert-manager.io/cluster-issuer'];
      const issuers = objects.filter((o) => o.kind === 'ClusterIssuer' && o.metadata.name === issuerName);
      expect(issuers).toHaveLength(1);
      const acme = spec<{
        acme: {
          server: string;
          email: string;
          solvers: { http01: { gatewayHTTPRoute: { parentRefs: ParentRef[] } } }[];
        };
      }>(issuers[0] as KubeObject).acme;
      expect(acme.server).toBe('https://acme-v02.api.letsencrypt.org/directory');
      expect(acme.email).toMatch(/^[^@\s]+@[^@\s]+$/);
      for (const solver of acme.solvers) {
        expect(solver.http01.gatewayHTTPRoute.parentRefs).toEqual([
          expect.objectContaining({ name: 'runway', namespace: 'gateway', sectionName: 'http' }),
        ]);
      }
    });

    it("cert-manager's Gateway API support is on, and cert-manager syncs after the Gateway API CRDs arrive", () => {
      const app = (name: string) =>
        objects.find((o) => o.kind === 'Application' && o.metadata.name === name) as KubeObject;
      const wave = (o: KubeObject) => Number(o.metadata.annotations?.['argocd.argoproj.io/sync-wave']);
      const values = spec<{ source: { helm: { valuesObject: { config: Record<string, unknown> } } } }>(
        app('cert-manager'),
      ).source.helm.valuesObject.config;
      expect(values).toEqual({
        apiVersion: 'controller.config.cert-manager.io/v1alpha1',
        kind: 'ControllerConfiguration',
        enableGatewayAPI: true,
      });
      expect(wave(app('cert-manager'))).toBeGreaterThan(wave(app('envoy-gateway')));
      const platformConfig = app('platform-config');
      expect(wave(platformConfig)).toBeGreaterThan(wave(app('cert-manager')));
    });
  },
);

describe('alerts', () => {
  it('every alert’s runbook_url points at a runbook file in this repository', async () => {
    const rules = (await readInputs(REPO_ROOT)).observability.rules;
    const alerts = (rules?.groups ?? []).flatMap((group) =>
      ((group as { rules?: AlertRule[] }).rules ?? []).filter((rule) => rule.alert),
    );
    for (const alert of alerts) {
      const url = alert.annotations?.runbook_url ?? '';
      const path = url.match(/\/blob\/[^/]+\/(.+?)(#.*)?$/)?.[1];
      expect(path, `${alert.alert} has runbook_url ${url}`).toBeDefined();
      await expect(access(join(REPO_ROOT, path as string))).resolves.toBeUndefined();
    }
  });
});

describe('the GitOps loop', () => {
  const objects = viewOf(cluster('nonprod'));
  const environments = hostedEnvironments(cluster('nonprod'));
  const argocd = (kind: string, name: string) =>
    objects.find(
      (o) => o.kind === kind && o.metadata.name === name && o.metadata.namespace === 'argocd',
    ) as KubeObject;
  const data = (name: string) => argocd('ConfigMap', name).data as Record<string, string>;

  it('reconciles within 60 s', () => {
    expect(data('argocd-cm')['timeout.reconciliation']).toBe('60s');
  });

  it('reports completed and aborted rollouts from the Rollout itself, not from Argo CD Application health', () => {
    expect(objects.some((o) => o.metadata.name === 'argocd-notifications-cm')).toBe(false);
    const notifications = objects.find((o) => o.metadata.name === 'argo-rollouts-notification-configmap');
    expect(notifications?.metadata.namespace).toBe('argo-rollouts');
    for (const env of environments) {
      const application = argocd('Application', env.namespace);
      expect(
        Object.keys(application.metadata.annotations ?? {}).filter((key) => key.startsWith('notifications.')),
      ).toEqual([]);
      const rollout = objects.find((o) => o.kind === 'Rollout' && o.metadata.namespace === env.namespace);
      expect(rollout?.metadata.annotations).toMatchObject({
        'runway.dev/environment': env.name,
        'notifications.argoproj.io/subscribe.on-rollout-completed.github': 'repository-dispatch',
        'notifications.argoproj.io/subscribe.on-rollout-aborted.github': 'repository-dispatch',
      });
    }
  });

  it('pins every add-on chart to an exact version and syncs add-ons before the environments', () => {
    const apps = objects.filter((o) => o.kind === 'Application' && o.metadata.namespace === 'argocd');
    const wave = (o: KubeObject) => Number(o.metadata.annotations?.['argocd.argoproj.io/sync-wave']);
    const charts = apps.filter(
      (o) => !spec<{ source: { repoURL: string } }>(o).source.repoURL.includes('runway-dev/runway'),
    );
    expect(charts.map((o) => o.metadata.name).sort()).toEqual([
      'argo-rollouts',
      'aws-load-balancer-controller',
      'cert-manager',
      'cloudnative-pg',
      'envoy-gateway',
      'external-secrets',
      'kube-prometheus-stack',
      'metrics-server',
    ]);
    for (const chart of charts) {
      expect(spec<{ source: { targetRevision: string } }>(chart).source.targetRevision).toMatch(
        /^v?\d+\.\d+\.\d+$/,
      );
    }
    const environmentsWave = Math.min(...apps.filter((o) => o.metadata.labels?.env).map(wave));
    expect(Math.max(...charts.map(wave))).toBeLessThan(environmentsWave);
  });

  it('lets an environment project deploy only to its own namespace from this repository', () => {
    for (const env of environments) {
      const project = spec<{
        sourceRepos: string[];
        destinations: { namespace: string }[];
        clusterResourceWhitelist: unknown[];
      }>(argocd('AppProject', env.namespace));
      expect(project.sourceRepos).toEqual(['https://github.com/runway-dev/runway.git']);
      expect(project.destinations.map((d) => d.namespace)).toEqual([env.namespace]);
      expect(project.clusterResourceWhitelist).toEqual([{ group: '', kind: 'Namespace' }]);
    }
  });

  it('whitelists every namespaced kind an environment renders, so no sync is refused', () => {
    for (const env of environments) {
      const allowed = spec<{ namespaceResourceWhitelist: { group: string; kind: string }[] }>(
        argocd('AppProject', env.namespace),
      ).namespaceResourceWhitelist.map(({ group, kind }) => `${group}/${kind}`);
      const rendered = objects
        .filter((o) => o.metadata.namespace === env.namespace)
        .map((o) => `${o.apiVersion.includes('/') ? o.apiVersion.split('/')[0] : ''}/${o.kind}`);
      expect(allowed).toEqual(expect.arrayContaining([...new Set(rendered)]));
    }
  });
});

describe('who may sync and override (argocd-rbac-cm)', () => {
  const rbac = objects.find(
    (o) => o.kind === 'ConfigMap' && o.metadata.name === 'argocd-rbac-cm',
  ) as KubeObject;
  const csv = (rbac.data as Record<string, string>)['policy.csv'] as string;
  const grants = csv
    .split('\n')
    .filter((line) => line.startsWith('p, '))
    .map((line) => line.split(', ').slice(1));
  const glob = (pattern: string, value: string) =>
    new RegExp(`^${pattern.replaceAll(/[.]/g, '\\.').replaceAll('*', '.*')}$`).test(value);
  const may = (role: string, action: string, object: string) =>
    grants.some(
      ([r, resource, a, o, effect]) =>
        r === role &&
        glob(resource ?? '', 'applications') &&
        glob(a ?? '', action) &&
        glob(o ?? '', object) &&
        effect === 'allow',
    );

  it.each([
    ['role:developer', 'sync', 'links-dev/links-dev', true],
    ['role:developer', 'override', 'links-dev/links-dev', true],
    ['role:developer', 'sync', 'links-staging/links-staging', false],
    ['role:release-manager', 'sync', 'links-staging/links-staging', true],
    ['role:release-manager', 'override', 'links-staging/links-staging', false],
    ['role:release-manager', 'sync', 'links-prod/links-prod', false],
    ['role:release-manager', 'action/argoproj.io/Rollout/abort', 'links-prod/links-prod', true],
    ['role:developer', 'sync', 'links-prod/links-prod', false],
    ['role:platform-admin', 'override', 'links-prod/links-prod', true],
  ])('%s %s %s: %s', (role, action, object, expected) => {
    expect(may(role, action, object)).toBe(expected);
  });
});

describe('scaling and scraping', () => {
  it.each(environments.map((env) => [env.name, env] as const))(
    '%s: HPA on CPU 70 %% scales down gently',
    (_name, env) => {
      const hpa = spec<{
        minReplicas: number;
        maxReplicas: number;
        metrics: { resource: { target: { averageUtilization: number } } }[];
        behavior: { scaleDown: { stabilizationWindowSeconds: number; policies: unknown[] } };
      }>(one('HorizontalPodAutoscaler', env.namespace));
      expect([hpa.minReplicas, hpa.maxReplicas]).toEqual([env.replicas.min, env.replicas.max]);
      expect(hpa.metrics[0]?.resource.target.averageUtilization).toBe(70);
      expect(hpa.behavior.scaleDown).toEqual({
        stabilizationWindowSeconds: 60,
        policies: [{ type: 'Percent', value: 50, periodSeconds: 15 }],
      });
    },
  );

  it.each(environments.map((env) => [env.name, env] as const))(
    '%s: series get job="links" and env from the pod (docs/metrics.md)',
    (_name, env) => {
      const monitor = spec<{
        jobLabel: string;
        podTargetLabels: string[];
        selector: { matchLabels: Record<string, string> };
        endpoints: { port: string }[];
      }>(one('ServiceMonitor', env.namespace));
      const scraped = find('Service', env.namespace).filter((svc) =>
        Object.entries(monitor.selector.matchLabels).every(
          ([key, value]) => svc.metadata.labels?.[key] === value,
        ),
      );
      expect(scraped).toHaveLength(1);
      expect(scraped[0]?.metadata.labels?.[monitor.jobLabel]).toBe('links');
      expect(spec<{ ports: { name: string; port: number }[] }>(scraped[0] as KubeObject).ports).toEqual([
        expect.objectContaining({ name: monitor.endpoints[0]?.port, port: 9464 }),
      ]);
      expect(monitor.podTargetLabels).toEqual(['env']);
      expect(
        spec<RolloutSpec & { template: { metadata: { labels: Record<string, string> } } }>(
          one('Rollout', env.namespace),
        ).template.metadata.labels.env,
      ).toBe(env.name);
    },
  );
});
