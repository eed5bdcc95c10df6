import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { type ClusterSpec, cluster, clusters } from '../src/spec/clusters.js';
import { environment } from '../src/spec/environments.js';
import { errorRatioQuery, p95LatencyQuery } from '../src/synth/analysis.js';
import {
  clientSideAddons,
  clusterPrerequisites,
  crossEnvironmentWaits,
  healthCycles,
  inertRolloutFields,
  unsatisfiable,
} from '../src/synth/invariants.js';
import type { KubeObject } from '../src/synth/object.js';
import { clusterView, type RenderedDirectory, verifyObjects } from '../src/synth/render.js';
import { fromSecretsManager } from '../src/synth/secrets.js';
import { fixtureInputs } from './synth-fixtures.js';

const inputs = fixtureInputs();
const viewOf = (target: ClusterSpec): RenderedDirectory[] => clusterView(target, inputs);

const find = (view: readonly RenderedDirectory[], kind: string, name: string): KubeObject => {
  const found = view.flatMap((dir) => dir.objects).find((o) => o.kind === kind && o.metadata.name === name);
  if (!found) throw new Error(`no ${kind} ${name}`);
  return found;
};
const withObjects = (
  view: readonly RenderedDirectory[],
  dir: string,
  objects: readonly KubeObject[],
): RenderedDirectory[] => [...view.filter((d) => d.dir !== dir), { dir, objects }];
const dirOf = (view: readonly RenderedDirectory[], suffix: string): RenderedDirectory => {
  const found = view.find((d) => d.dir.endsWith(suffix));
  if (!found) throw new Error(`no directory ${suffix}`);
  return found;
};

describe.each(clusters.map((c) => [c.name, c] as const))('the %s cluster tree holds', (_name, target) => {
  const view = viewOf(target);

  it('no Application health cycle', () => {
    expect(healthCycles(view)).toEqual([]);
  });
  it('server-side apply on every add-on', () => {
    expect(clientSideAddons(view)).toEqual([]);
  });
  it('only what can be satisfied on this cluster', () => {
    expect(unsatisfiable(target, view)).toEqual([]);
  });
  it('no environment waiting on anything outside itself', () => {
    expect(crossEnvironmentWaits(view)).toEqual([]);
  });
  it('no Rollout field that does nothing', () => {
    expect(inertRolloutFields(view)).toEqual([]);
  });
  it('what the cluster needs to come up (EKS: volumes, the LB controller, the NLB), and no AWS on kind', () => {
    expect(clusterPrerequisites(target, view)).toEqual([]);
  });
});

describe('issue 14: each EKS prerequisite check finds a tree that breaks it', () => {
  const nonprod = cluster('nonprod');
  const view = viewOf(nonprod);
  const platformDir = dirOf(view, '/platform');
  const apps = dirOf(view, '/apps');
  const replaced = (dir: RenderedDirectory, name: string, by: readonly KubeObject[]): RenderedDirectory[] =>
    withObjects(view, dir.dir, [...dir.objects.filter((o) => o.metadata.name !== name), ...by]);
  const storageClass = find(view, 'StorageClass', 'gp3-encrypted');
  const controller = find(view, 'Application', 'aws-load-balancer-controller');
  const proxy = find(view, 'EnvoyProxy', 'runway-proxy');
  const gatewayClass = find(view, 'GatewayClass', 'envoy');

  it('an EKS tree without a default StorageClass', () => {
    expect(clusterPrerequisites(nonprod, replaced(platformDir, 'gp3-encrypted', []))).toEqual([
      'cluster nonprod: 0 default StorageClasses; PVCs without a class need one',
    ]);
  });

  it('a default class that is not encrypted with the volumes key, bound before scheduling', () => {
    const params = storageClass.parameters as Record<string, string>;
    const plain = {
      ...storageClass,
      volumeBindingMode: 'Immediate',
      parameters: { type: params.type as string, kmsKeyId: 'arn:aws:kms:eu-west-1:000000000000:key/other' },
    };
    expect(clusterPrerequisites(nonprod, replaced(platformDir, 'gp3-encrypted', [plain]))).toEqual([
      '_cluster/StorageClass/gp3-encrypted: volumeBindingMode is Immediate, not WaitForFirstConsumer',
      '_cluster/StorageClass/gp3-encrypted: parameters.encrypted is undefined, not true',
      `_cluster/StorageClass/gp3-encrypted: parameters.kmsKeyId is arn:aws:kms:eu-west-1:000000000000:key/other, not ${nonprod.provider === 'eks' ? nonprod.aws.volumesKmsKeyArn : ''}`,
    ]);
  });

  it('a kind tree with the AWS Load Balancer Controller', () => {
    const kind = cluster('kind');
    const kindView = viewOf(kind);
    const kindApps = dirOf(kindView, '/apps');
    expect(
      clusterPrerequisites(kind, withObjects(kindView, kindApps.dir, [...kindApps.objects, controller])),
    ).toEqual([
      'argocd/Application/aws-load-balancer-controller: the AWS Load Balancer Controller on kind, with no AWS',
    ]);
  });

  it('an EKS tree without the controller, or with it under another service account, in the same wave as envoy-gateway', () => {
    expect(clusterPrerequisites(nonprod, replaced(apps, 'aws-load-balancer-controller', []))).toEqual([
      'cluster nonprod: 0 AWS Load Balancer Controllers, not one',
    ]);
    const spec = controller.spec as { source: { helm: { valuesObject: Record<string, unknown> } } };
    const misplaced = {
      ...controller,
      metadata: { ...controller.metadata, annotations: { 'argocd.argoproj.io/sync-wave': '-30' } },
      spec: {
        ...spec,
        source: {
          ...spec.source,
          helm: {
            ...spec.source.helm,
            valuesObject: { ...spec.source.helm.valuesObject, serviceAccount: { create: true, name: 'lbc' } },
          },
        },
      },
    };
    expect(
      clusterPrerequisites(nonprod, replaced(apps, 'aws-load-balancer-controller', [misplaced])),
    ).toEqual([
      "argocd/Application/aws-load-balancer-controller: runs as kube-system/lbc, not the Pod Identity association's kube-system/aws-load-balancer-controller",
      'argocd/Application/aws-load-balancer-controller: not before argocd/Application/metrics-server, whose Services its webhook rejects',
      'argocd/Application/aws-load-balancer-controller: not before argocd/Application/envoy-gateway, whose Services its webhook rejects',
    ]);
  });

  it('a GatewayClass on EKS without the parametersRef, or with one that names no namespace', () => {
    const bare = {
      ...gatewayClass,
      spec: { controllerName: 'gateway.envoyproxy.io/gatewayclass-controller' },
    };
    expect(clusterPrerequisites(nonprod, replaced(platformDir, 'envoy', [bare]))).toEqual([
      '_cluster/GatewayClass/envoy: no parametersRef to a gateway.envoyproxy.io EnvoyProxy with its namespace; no NLB',
    ]);
    const spec = gatewayClass.spec as { parametersRef: Record<string, string> };
    const { namespace: _dropped, ...withoutNamespace } = spec.parametersRef;
    const defaultNamespace = { ...gatewayClass, spec: { ...spec, parametersRef: withoutNamespace } };
    expect(clusterPrerequisites(nonprod, replaced(platformDir, 'envoy', [defaultNamespace]))).toEqual([
      '_cluster/GatewayClass/envoy: no parametersRef to a gateway.envoyproxy.io EnvoyProxy with its namespace; no NLB',
    ]);
  });

  it('the StorageClass and the EnvoyProxy are schema-checked (EnvoyProxy: Envoy Gateway v1.7.1 CRD)', async () => {
    expect(await verifyObjects([storageClass, proxy])).toEqual([]);
    const hostProvider = { ...proxy, spec: { provider: { type: 'Docker' } } };
    const numericMode = { ...storageClass, volumeBindingMode: 1 };
    const findings = await verifyObjects([hostProvider, numericMode]);
    expect(findings.map((finding) => [finding.policy, finding.target])).toEqual([
      ['schema/valid', 'envoy-gateway-system/EnvoyProxy/runway-proxy'],
      ['schema/valid', '_cluster/StorageClass/gp3-encrypted'],
    ]);
  });

  it('an EnvoyProxy without the NLB annotations, or none at all', () => {
    const spec = proxy.spec as {
      provider: { kubernetes: { envoyService: { annotations: Record<string, string> } } };
    };
    const classic = {
      ...proxy,
      spec: {
        provider: {
          ...spec.provider,
          kubernetes: {
            envoyService: {
              annotations: { 'service.beta.kubernetes.io/aws-load-balancer-type': 'external' },
            },
          },
        },
      },
    };
    expect(clusterPrerequisites(nonprod, replaced(platformDir, 'runway-proxy', [classic]))).toEqual([
      'envoy-gateway-system/EnvoyProxy/runway-proxy: the proxy Service lacks service.beta.kubernetes.io/aws-load-balancer-nlb-target-type: ip',
      'envoy-gateway-system/EnvoyProxy/runway-proxy: the proxy Service lacks service.beta.kubernetes.io/aws-load-balancer-scheme: internet-facing',
    ]);
    expect(clusterPrerequisites(nonprod, replaced(platformDir, 'runway-proxy', []))).toEqual([
      '_cluster/GatewayClass/envoy: its EnvoyProxy envoy-gateway-system/runway-proxy is not rendered',
    ]);
  });
});

describe('each invariant finds the defect it guards against (fixtures break the rendered trees)', () => {
  const kind = cluster('kind');
  const nonprod = cluster('nonprod');

  it('defect 2: root in a directory argocd-config syncs is a health cycle', () => {
    const view = viewOf(nonprod);
    const argocd = dirOf(view, '/argocd');
    const broken = withObjects(view, argocd.dir, [...argocd.objects, find(view, 'Application', 'root')]);
    expect(healthCycles(broken)).toEqual([
      "health cycle: root → argocd-config → root (each waits on the next's health, the last is the first)",
    ]);
  });

  it('defect 1: an add-on syncing client-side', () => {
    const view = viewOf(nonprod);
    const apps = dirOf(view, '/apps');
    const eso = find(view, 'Application', 'external-secrets');
    const spec = eso.spec as { syncPolicy: { syncOptions: string[] } };
    const clientSide = {
      ...eso,
      spec: {
        ...spec,
        syncPolicy: { ...spec.syncPolicy, syncOptions: ['PruneLast=true', 'CreateNamespace=true'] },
      },
    };
    const broken = withObjects(view, apps.dir, [...apps.objects.filter((o) => o !== eso), clientSide]);
    expect(clientSideAddons(broken)).toEqual([
      'argocd/Application/external-secrets: an add-on without ServerSideApply=true; its CRDs can exceed the apply limit',
    ]);
  });

  it('defect 3: an IRSA auth block on the store, and a Slack key outside the identity’s prefixes', () => {
    const view = viewOf(nonprod);
    const platformDir = dirOf(view, '/platform');
    const store = find(view, 'ClusterSecretStore', 'runway-aws-secrets-manager');
    const spec = store.spec as { provider: { aws: Record<string, unknown> } };
    const irsa = {
      ...store,
      spec: {
        ...spec,
        provider: {
          aws: {
            ...spec.provider.aws,
            auth: { jwt: { serviceAccountRef: { name: 'external-secrets', namespace: 'external-secrets' } } },
          },
        },
      },
    };
    // Before the fix: one platform-wide key, which no cluster's Pod Identity role is scoped to.
    const platformWide = fromSecretsManager('alertmanager-slack', 'monitoring', [
      { secretKey: 'alerts-webhook-url', remoteRef: { key: 'runway/platform/alertmanager-slack' } },
    ]);
    // An ARN is judged by the name it carries: prod's database secret is not nonprod's to read.
    const prodByArn = fromSecretsManager('links-database', 'monitoring', [
      {
        secretKey: 'password',
        remoteRef: { key: inputs.prodDatabase.appUserSecretArn, property: 'password' },
      },
    ]);
    const others = platformDir.objects.filter((o) => o !== store);
    expect(
      unsatisfiable(nonprod, withObjects(view, platformDir.dir, [...others, irsa, platformWide, prodByArn])),
    ).toEqual([
      '_cluster/ClusterSecretStore/runway-aws-secrets-manager: an auth block bypasses EKS Pod Identity; remove it',
      "monitoring/ExternalSecret/alertmanager-slack: runway/platform/alertmanager-slack is outside what cluster nonprod's identity may read",
      `monitoring/ExternalSecret/links-database: ${inputs.prodDatabase.appUserSecretArn} is outside what cluster nonprod's identity may read`,
    ]);
  });

  it('defects 3 and 4: a cloud store and a cloud environment on kind', () => {
    const view = viewOf(kind);
    const cloud = viewOf(nonprod);
    const staging = cloud.filter((d) => d.dir.includes('/staging'));
    const store = find(cloud, 'ClusterSecretStore', 'runway-aws-secrets-manager');
    const platformDir = dirOf(view, '/platform');
    const broken = [...withObjects(view, platformDir.dir, [...platformDir.objects, store]), ...staging];
    const findings = unsatisfiable(kind, broken);
    expect(findings).toContain(
      '_cluster/ClusterSecretStore/runway-aws-secrets-manager: a cloud secret store on kind, where nothing can authenticate to it',
    );
    expect(findings).toContain(
      'argocd/Application/links-staging: deploys links-staging, which cluster kind does not host',
    );
    expect(findings).toContain(
      "links-staging/ExternalSecret/links-session: runway/staging/session-secret is outside what cluster kind's identity may read",
    );
    expect(findings).toContain(
      'links-staging/HTTPRoute/links: no listener gateway/runway/https-staging on this cluster',
    );
  });

  it('defect 5: two environments under one app-of-apps wait on each other', () => {
    const view = viewOf(nonprod);
    const dev = dirOf(view, '/envs/dev');
    const staging = dirOf(view, '/envs/staging');
    const merged = withObjects(
      view.filter((d) => d !== staging),
      dev.dir,
      [...dev.objects, ...staging.objects],
    );
    expect(crossEnvironmentWaits(merged)).toEqual([
      'argocd/Application/links-dev waits on argocd/Application/links-staging-base, outside env dev',
      'argocd/Application/links-staging waits on argocd/Application/links-dev-base, outside env staging',
    ]);
  });

  it('defect 10: abortScaleDownDelaySeconds on a basic canary', () => {
    const view = viewOf(kind);
    const rollout = find(view, 'Rollout', 'links');
    const spec = rollout.spec as { strategy: { canary: Record<string, unknown> } };
    const broken = {
      ...rollout,
      spec: { ...spec, strategy: { canary: { ...spec.strategy.canary, abortScaleDownDelaySeconds: 30 } } },
    };
    expect(inertRolloutFields([{ dir: 'x', objects: [broken] }])).toEqual([
      'links-dev/Rollout/links: abortScaleDownDelaySeconds does nothing without trafficRouting',
    ]);
  });

  it('defect 5: a gated environment with a later wave after it', () => {
    const view = viewOf(nonprod);
    const apps = dirOf(view, '/apps');
    const gated = apps.objects.map((o) =>
      o.metadata.name === 'env-dev' ? { ...o, metadata: { ...o.metadata, labels: { env: 'dev' } } } : o,
    );
    const later = {
      ...find(view, 'Application', 'platform-config'),
      metadata: {
        ...find(view, 'Application', 'platform-config').metadata,
        annotations: { 'argocd.argoproj.io/sync-wave': '5' },
        labels: {},
      },
    };
    const broken = withObjects(view, apps.dir, [
      ...gated.filter((o) => o.metadata.name !== 'platform-config'),
      later,
    ]);
    expect(crossEnvironmentWaits(broken)).toEqual([
      'argocd/Application/platform-config waits on argocd/Application/env-dev, outside any env',
    ]);
  });
});

/** What Argo Rollouts v1.8.4 does with a measurement (`utils/evaluate/evaluate.go`, no failureCondition). */
type Outcome = 'Successful' | 'Failed' | 'Error';
const evaluate = (result: readonly number[], condition: string): Outcome => {
  const guarded = /^len\(result\) == 1 && result\[0\] < ([\d.]+)$/.exec(condition);
  if (guarded)
    return result.length === 1 && (result[0] as number) < Number(guarded[1]) ? 'Successful' : 'Failed';
  const bare = /^result\[0\] < ([\d.]+)$/.exec(condition);
  // expr-lang: indexing an empty array is a runtime error, so the measurement is Error.
  if (bare)
    return result.length === 0 ? 'Error' : (result[0] as number) < Number(bare[1]) ? 'Successful' : 'Failed';
  throw new Error(`the test's evaluator does not know the condition ${condition}; extend it`);
};

describe('defect 8: an analysis over no data is never a pass (promtool evaluates the queries)', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'runway-nodata-'));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  /** The query's values when only the stable pods have series (the canary has not been scraped yet). */
  const valuesWithoutCanaryData = async (query: string): Promise<number[]> => {
    const expr = query.replaceAll('{{args.canary-hash}}', '5d8f7c9b4');
    await writeFile(
      join(dir, 'rules.yaml'),
      stringify({ groups: [{ name: 'g', rules: [{ record: 'measured', expr }] }] }),
    );
    const stable =
      'job="links",namespace="links-dev",pod="links-7c4b8d6f9-p3m2n",method="GET",route="/:code",status_code="200"';
    const test = {
      rule_files: ['rules.yaml'],
      evaluation_interval: '1m',
      tests: [
        {
          interval: '1m',
          input_series: [
            { series: `http_requests_total{${stable}}`, values: '0+60x10' },
            { series: `http_request_duration_seconds_bucket{${stable},le="+Inf"}`, values: '0+60x10' },
          ],
          promql_expr_test: [{ expr: 'measured', eval_time: '5m', exp_samples: [] }],
        },
      ],
    };
    await writeFile(join(dir, 'test.yaml'), stringify(test));
    // promtool passes when the result is empty, and otherwise prints what it got: `got: {labels} <value>`.
    return run('promtool', ['test', 'rules', 'test.yaml'], { cwd: dir }).then(
      () => [],
      (error: { stdout: string; stderr: string }) => {
        const got = `${error.stdout}${error.stderr}`.split('got:')[1] ?? '';
        return [...got.matchAll(/\}\s+(\S+)/g)].map((match) => Number(match[1]));
      },
    );
  };
  const run = promisify(execFile);
  const dev = environment('dev');
  const rendered = [
    ['error-ratio', errorRatioQuery(dev), 'len(result) == 1 && result[0] < 0.05'],
    ['p95-latency', p95LatencyQuery(dev), 'len(result) == 1 && result[0] < 0.3'],
  ] as const;

  it.each(rendered)(
    '%s: no canary series gives no value, and the measurement fails',
    async (_name, query, condition) => {
      const values = await valuesWithoutCanaryData(query);
      expect(values).toEqual([]);
      expect(evaluate(values, condition)).toBe('Failed');
    },
  );

  it('the queries before the fix made no data a 0 that passed', async () => {
    const canary =
      'job="links",namespace="links-dev",pod=~"links-{{args.canary-hash}}-.*",route!~"/livez|/readyz"';
    const before = `(sum(rate(http_requests_total{${canary},status_code=~"5.."}[2m])) or vector(0)) / (sum(rate(http_requests_total{${canary}}[2m])) > 0 or vector(1))`;
    const values = await valuesWithoutCanaryData(before);
    expect(values).toEqual([0]);
    expect(evaluate(values, 'result[0] < 0.05')).toBe('Successful');
  });
});
